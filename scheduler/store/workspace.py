"""What the planner's pages keep in the store, in the words of one project: its files, its one
working scenario (settings, rule modes, column mapping, pins), its current plan version, and what a
finished solve or a hand edit adds. The pages (ui/state.py) call only this module and `Store`.

Choices the pages rely on:
- A project has one working scenario, `SCENARIO`, autosaved on every change.
- A solve that ran to its end (or to its time limit) is stored and made current. One the planner
  stopped is stored only if it places somebody, and made current only when there is no current
  plan or the current one is neither proven nor placing as many teachers. An infeasible solve or
  one that failed stores nothing: the current version stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..config.rules_file import Columns
from ..domain.models import Case, Pin
from ..domain.settings import Settings, setting_names
from ..plan import ENDED_STOPPED, Placement, Plan
from ..rules import RULES
from ..workbook.report import Report
from .schema import AuditEntry, Project
from .store import (ProjectInfo, ScenarioInfo, Store, StoredVersion, VersionInfo, changed_inputs, edited_version,
                    settings_text, version_record)

#: the name of each project's working scenario (the one the pages edit)
SCENARIO = "工作方案"
#: the project a new, empty store starts with (the bundled sample in it)
FIRST_PROJECT = "示例项目"


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
