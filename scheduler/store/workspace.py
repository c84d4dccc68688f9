"""What the planner's pages keep in the store, in the words of one project: its files, its one
working scenario (settings, rule modes, column mapping, pins), its current plan version, and what a
finished solve or a hand edit adds. The pages (ui/state.py) call only this module and `Store`.

Choices the pages rely on:
- A project has one working scenario, `SCENARIO`, autosaved on every change.
- What the pages read is what the store holds: a scenario whose settings text cannot be read in
  full (a value an older planner wrote) opens with that setting at its default, said in words
  naming it (`Opened.problems`); the text stays stored until the planner changes a setting, and then
  it is kept in the history.
- A plan version of other files than the scenario's (the data was replaced since) is not shown
  against the data; it stays stored (the Compare page lists it).
- Two tabs: each change says what it read (`seen`); a change made meanwhile elsewhere is refused
  (Conflict), and the tab takes up what is stored (`changed_since`).
- A solve that ran to its end (or to its time limit) is stored and made current. One the planner
  stopped is stored only if it places somebody, and made current only when there is no current
  plan or the current one is neither proven nor placing as many teachers. An infeasible solve or
  one that failed stores nothing: the current version stays as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from ..config.rules_file import Columns
from ..domain.models import Case, Pin
from ..domain.settings import DEFAULTS, Settings, setting_names
from ..plan import ENDED_STOPPED, Placement, Plan
from ..rules import RULES, Text
from ..workbook import Loaded
from ..workbook.report import Report
from .codec import pins_record
from .history import Event, project_history  # noqa: F401 - the pages' history, through this module
from .schema import AuditEntry, Project
from .store import (ProjectInfo, ScenarioInfo, Store, StoredVersion, VersionInfo, changed_inputs, edited_version,
                    settings_read, settings_text, version_record)

#: the name of each project's working scenario (the one the pages edit)
SCENARIO = "工作方案"
#: the project a new, empty store starts with (the bundled sample in it)
FIRST_PROJECT = "示例项目"
#: the stored name of a bundled sample loaded as such (the bytes are the sample's own)
SAMPLE_MARK = "样例·"

#: reads files as uploaded with a column mapping (scheduler.workbook.read_files, or a cached one)
Reader = Callable[[tuple[tuple[str, bytes], ...], Columns], Loaded]


@dataclass(frozen=True)
class Snapshot:
    """One project as the pages show it."""

    project: ProjectInfo
    files: tuple[tuple[str, bytes], ...]
    upload_ids: list[int]
    scenario: ScenarioInfo | None
    current: StoredVersion | None
    #: the nearest solved (not hand-edited) version the current one comes from
    solved: StoredVersion | None


@dataclass(frozen=True)
class Opened:
    """A project as the pages take it up from the store (`open_scenario`)."""

    snapshot: Snapshot
    #: the scenario's files, read afresh (None: the same files as the pages have already)
    loaded: Loaded | None
    #: the files by their names as uploaded (a sample's mark taken off), and whether they are a bundled sample
    files: tuple[tuple[str, bytes], ...]
    marked_sample: bool
    #: the scenario's column mapping, settings and pins (None: no scenario stored yet)
    columns: Columns | None
    settings: Settings | None
    #: the settings changes on top of the workbook's, as the Rules page keys them
    overrides: dict[str, Any] = field(default_factory=dict)
    #: the pins when they are not the workbook's own (None: the workbook's)
    pins: list[Pin] | None = None
    #: the plan shown and the solve it comes from (None: no plan of these files)
    current: StoredVersion | None = None
    solved: StoredVersion | None = None
    #: each stored setting that could not be read (at its default meanwhile), in words naming it
    problems: list[Text] = field(default_factory=list)


def open_scenario(store: Store, project: ProjectInfo, read: Reader, known_upload_ids: list[int] = (),
                  loaded: Loaded | None = None) -> Opened:
    """Everything of `project` as the store has it, the files read by `read` unless they are the
    `known_upload_ids` whose reading is `loaded` (what the pages show already)."""
    snap = snapshot(store, project)
    files = tuple((name.removeprefix(SAMPLE_MARK), content) for name, content in snap.files)
    marked = len(snap.files) == 1 and snap.files[0][0].startswith(SAMPLE_MARK)
    scenario = snap.scenario
    columns = {sheet: dict(fields) for sheet, fields in scenario.columns.items()} if scenario is not None else None
    fresh = None
    if snap.files and tuple(snap.upload_ids) != tuple(known_upload_ids):
        fresh = read(files, columns or {})
    workbook = fresh or loaded
    settings, overrides, pins, problems = None, {}, None, []
    if scenario is not None:
        settings, unread = settings_read(scenario.settings_text)
        problems += unread
        base = (workbook.settings if workbook is not None else None) or DEFAULTS
        overrides = overrides_between(base, settings)
        workbook_pins = workbook.case.pins if workbook is not None and workbook.case is not None else []
        pins = None if scenario.pins == workbook_pins else list(scenario.pins)
    current, solved = shown_versions(snap, snap.upload_ids if snap.files else list(known_upload_ids))
    if current is not None:
        problems += [Text(f"方案 #{current.info.id}：{p.zh}", f"plan #{current.info.id}: {p.en}")
                     for p in settings_read(current.info.settings_text)[1]]
    return Opened(snap, fresh, files, marked, columns, settings, overrides, pins, current, solved, problems)


def shown_versions(snap: Snapshot, upload_ids: list[int]) -> tuple[StoredVersion | None, StoredVersion | None]:
    """(the current version, the solve it comes from) when it is a plan of `upload_ids`, else (None, None)."""
    if snap.current is None or sorted(snap.current.info.upload_ids) != sorted(upload_ids):
        return None, None
    return snap.current, snap.solved


def version_settings(version: StoredVersion) -> Settings:
    """The settings a stored version was made with, a setting that cannot be read at its default
    (said by `open_scenario`'s problems)."""
    return settings_read(version.info.settings_text)[0]


def scenario_key(settings: Settings, columns: Columns, pins: list[Pin], upload_ids: list[int]) -> tuple:
    """What the scenario stores, to store it only when it changed."""
    return settings_text(settings, columns), repr(pins_record(pins)), tuple(upload_ids)


def changed_since(store: Store, project_id: int, scenario_seen: Any, current_seen: int | None
                  ) -> tuple[ProjectInfo | None, str | None]:
    """(the project now, what changed in the store since the caller read it): "scenario" (another
    tab saved settings, pins or files: take everything up again), "plan" (only the current version
    moved: a finished solve, an edit elsewhere), or None."""
    project = project_by_id(store, project_id)
    if project is None:
        return None, None
    scenario = store.scenario(project_id, SCENARIO)
    if scenario is not None and scenario.updated_at != scenario_seen:
        return project, "scenario"
    if project.current_version_id != current_seen:
        return project, "plan"
    return project, None


def stored_files(files: tuple[tuple[str, bytes], ...], is_sample: bool) -> tuple[tuple[str, bytes], ...]:
    """The files as stored: a bundled sample under its marked name, so it reopens as the sample."""
    return tuple((SAMPLE_MARK + name if is_sample else name, content) for name, content in files)


def is_bundled_sample(opened: Opened, samples: Path) -> bool:
    """Whether the project's files are the bundled sample they were loaded as (its marked name), byte for byte."""
    if not opened.marked_sample:
        return False
    path = samples / opened.files[0][0]
    return path.exists() and hashlib.sha256(opened.files[0][1]).digest() == hashlib.sha256(path.read_bytes()).digest()


def free_name(store: Store) -> str:
    """A name for a new project no project has: 示例项目, 示例项目2, …"""
    names = {p.name for p in store.projects()}
    return next(name for n in range(1, 10_000) if (name := FIRST_PROJECT + ("" if n == 1 else str(n))) not in names)


def project_to_open(store: Store, wanted: int | None = None) -> ProjectInfo:
    """The project a new session opens: the one asked for (the address's ?project=), else the one
    used last, else a new one (a new store)."""
    project = project_by_id(store, wanted) if wanted is not None else None
    project = project or last_project(store)
    return project or store.create_project(free_name(store))


def archive(store: Store, project_id: int) -> ProjectInfo:
    """Archive the project; the one to open instead: the one used last of the others, else a new one."""
    store.archive_project(project_id)
    return last_project(store) or store.create_project(free_name(store))


def last_project(store: Store) -> ProjectInfo | None:
    """The project touched last (by anyone), not archived; else the newest one not archived."""
    with store.transaction() as session:
        found = session.scalar(select(AuditEntry.project_id).join(Project, Project.id == AuditEntry.project_id)
                               .where(Project.archived.is_(False)).order_by(AuditEntry.id.desc()).limit(1))
    open_ = store.projects(include_archived=False)
    return next((p for p in open_ if p.id == found), open_[-1] if open_ else None)


def project_by_id(store: Store, project_id: int) -> ProjectInfo | None:
    return next((p for p in store.projects() if p.id == project_id), None)


def touch(store: Store, project_id: int) -> None:
    """Record that the project was opened, so a new session reopens it."""
    with store.transaction() as session:
        store._log(session, project_id, "open_project")


def snapshot(store: Store, project: ProjectInfo) -> Snapshot:
    scenario = store.scenario(project.id, SCENARIO)
    upload_ids = list(scenario.upload_ids) if scenario is not None else []
    files = tuple(store.upload_content(upload_id) for upload_id in upload_ids)
    current = store.version(project.current_version_id) if project.current_version_id is not None else None
    solved = current
    while solved is not None and solved.info.origin != "solve" and solved.info.parent_id is not None:
        solved = store.version(solved.info.parent_id)
    if solved is not None and solved.info.origin != "solve":
        solved = None
    return Snapshot(project, files, upload_ids, scenario, current, solved)


def store_files(store: Store, project_id: int, files: tuple[tuple[str, bytes], ...], report: Report,
                columns: Columns) -> list[int]:
    """Each file as uploaded (a file the project has already is not stored twice); their ids."""
    return [store.add_upload(project_id, name, content, report, columns)[0].id for name, content in files]


def save_scenario(store: Store, project_id: int, settings: Settings, columns: Columns, pins: list[Pin],
                  upload_ids: list[int], seen: Any = None) -> ScenarioInfo:
    return store.save_scenario(project_id, SCENARIO, settings_text(settings, columns), pins, upload_ids, seen=seen)


def overrides_between(base: Settings, settings: Settings) -> dict[str, Any]:
    """The planner's changes that make `base` (the workbook's settings) into `settings`, keyed as the
    Rules page keys them (English name, or rule:<id> for a rule's mode)."""
    changes: dict[str, Any] = {name: getattr(settings, name) for name in setting_names()
                               if getattr(settings, name) != getattr(base, name)}
    changes.update({f"rule:{rule.id}": rule.mode(settings) for rule in RULES
                    if len(rule.modes) > 1 and rule.mode(settings) != rule.mode(base)})
    return changes


def solve_outcome(plan: Plan, current_status: str | None, current_placements: int = 0) -> tuple[bool, bool]:
    """(store it, make it current) for a finished solve, against the current plan's status and
    number of placements (None: no current plan); see the module's docstring."""
    if plan.status == "infeasible":
        return False, False
    if plan.ended != ENDED_STOPPED:
        return True, True
    if not plan.placements:
        return False, False
    if current_status is None:
        return True, True
    return True, current_status != "optimal" and len(plan.placements) >= current_placements


def store_solve(store: Store, project_id: int, case: Case, settings: Settings, plan: Plan, *,
                upload_ids: list[int], columns: Columns, scenario_id: int | None) -> VersionInfo | None:
    """A finished solve as a new plan version, by `solve_outcome`; None when nothing was stored."""
    project = project_by_id(store, project_id)
    current = None
    if project is not None and project.current_version_id is not None:
        current = next((v for v in store.versions(project_id) if v.id == project.current_version_id), None)
    keep, make_current = solve_outcome(plan, current.status if current is not None else None,
                                       int(current.headline.get("placements") or 0) if current is not None else 0)
    if not keep:
        return None
    record = version_record(case, settings, plan, upload_ids=upload_ids, columns=columns, scenario_id=scenario_id)
    return store.add_version(project_id, record, make_current=make_current)


def plan_changes(before: Plan, after: Plan) -> dict[str, Placement | None]:
    """Each teacher whose placement differs between the two plans → their placement in `after`."""
    old, new = before.by_teacher(), after.by_teacher()
    return {teacher: new.get(teacher) for teacher in dict.fromkeys([*old, *new]) if old.get(teacher) != new.get(teacher)}


def store_edit(store: Store, parent: StoredVersion, case: Case, edited: Plan) -> VersionInfo:
    """A hand edit of `parent` as a new current version (Conflict when another tab moved the
    current version meanwhile)."""
    record = edited_version(parent, case, plan_changes(parent.plan, edited), who=store.user)
    return store.add_version(parent.info.project_id, record, seen_current=parent.info.id)


def stale_inputs(version: StoredVersion | None, scenario: ScenarioInfo | None) -> list[str]:
    """What changed since `version` was solved ("settings", "pins", "files"); [] when nothing did."""
    if version is None or scenario is None:
        return []
    return changed_inputs(version.info, scenario)
