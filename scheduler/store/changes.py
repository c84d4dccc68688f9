"""A project after publication: which plan version was published (`record_publication`,
`published`), the changes recorded on it (`record_change`: a withdrawal, a changed need, a new
forbid or pin; each checked against the published plan and the case, and kept for good), a re-plan
accepted as a new version and published in its turn (`accept_replan`), and next year's project made
from the published plan (`start_next_year`). Every step is in the project's history (audit_log).

Changes add up: a re-plan applies every change recorded in the project (a teacher who withdrew
before the last re-plan stays withdrawn), against the newest publication.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..config.rules_file import load_rules
from ..domain.models import Case
from ..domain.settings import Settings, required_settings
from ..domain.terms import Term
from ..export.next_year import with_plan_history
from ..plan import Plan
from ..present.replan import FORBID, NEED, PIN, WITHDRAWAL, Amendment, Replanned
from ..rules import Text
from ..workbook import read_files, write_case
from . import codec
from .errors import StoreError
from .schema import PlanVersion, ProjectChange, Publication
from .store import ProjectInfo, Store, VersionInfo, _utc, now, version_record

#: the origin of a plan version that is an accepted re-plan
REPLAN = "replan"


@dataclass(frozen=True)
class PublicationInfo:
    id: int
    project_id: int
    version_id: int
    replaces_id: int | None
    recorded_at: dt.datetime
    recorded_by: str
    publication_date: dt.date
    notice_days: int
    issuer: str


@dataclass(frozen=True)
class RecordedChange:
    id: int
    project_id: int
    publication_id: int
    created_at: dt.datetime
    created_by: str
    amendment: Amendment


def _publication_info(row: Publication) -> PublicationInfo:
    return PublicationInfo(row.id, row.project_id, row.version_id, row.replaces_id, _utc(row.recorded_at),
                           row.recorded_by, dt.date.fromisoformat(row.publication_date), row.notice_days, row.issuer)


def record_publication(store: Store, project_id: int, version_id: int, day: dt.date, settings: Settings,
                       replaces_id: int | None = None) -> PublicationInfo:
    """Record that `version_id` was published on `day` (its 公示天数 and 发文单位 from `settings`):
    from now on it is the project's published plan, and changes are recorded against it."""
    store.require("plan")
    settings = required_settings(settings)
    with store.transaction() as session:
        version = session.get(PlanVersion, version_id)
        if version is None or version.project_id != project_id:
            raise StoreError(Text(f"本项目没有方案版本 {version_id}", f"this project has no plan version {version_id}"))
        row = Publication(project_id=project_id, version_id=version_id, replaces_id=replaces_id, recorded_at=now(),
                          recorded_by=store.user, publication_date=day.isoformat(),
                          notice_days=int(settings.notice_days), issuer=settings.issuer or "")
        session.add(row)
        session.flush()
        store._log(session, project_id, "publish", version_id=version_id, publication_id=row.id,
                   publication_date=day.isoformat(), notice_days=row.notice_days, replaces=replaces_id)
        return _publication_info(row)


def publications(store: Store, project_id: int) -> list[PublicationInfo]:
    with store.transaction() as session:
        query = select(Publication).where(Publication.project_id == project_id).order_by(Publication.id)
        return [_publication_info(row) for row in session.scalars(query)]


def published(store: Store, project_id: int) -> PublicationInfo | None:
    """The project's published plan: its newest publication (None before the first)."""
    found = publications(store, project_id)
    return found[-1] if found else None


def recorded_changes(store: Store, project_id: int) -> list[RecordedChange]:
    """Every change recorded in the project, oldest first."""
    with store.transaction() as session:
        query = select(ProjectChange).where(ProjectChange.project_id == project_id).order_by(ProjectChange.id)
        return [RecordedChange(row.id, row.project_id, row.publication_id, _utc(row.created_at), row.created_by,
                               Amendment(**row.detail)) for row in session.scalars(query)]


def amendments(store: Store, project_id: int) -> list[Amendment]:
    return [change.amendment for change in recorded_changes(store, project_id)]


def _name(case: Case, teacher_id: str | None) -> str:
    return case.teacher(teacher_id).name if teacher_id and case.has_teacher(teacher_id) else str(teacher_id)


def change_problem(case: Case, plan: Plan, earlier: list[Amendment], change: Amendment) -> Text | None:
    """Why `change` cannot be recorded on the published `plan` (None: it can)."""
    teacher = change.teacher_id
    if change.kind == WITHDRAWAL:
        if teacher not in {p.teacher_id for p in plan.placements}:
            return Text(f"{_name(case, teacher)}不在已公示的方案中，无法登记退出交流",
                        f"{_name(case, teacher)} is not in the published plan: there is nothing to withdraw from")
        if any(e.kind == WITHDRAWAL and e.teacher_id == teacher for e in earlier):
            return Text(f"{_name(case, teacher)}已登记退出交流", f"{_name(case, teacher)} has withdrawn already")
        return None
    if change.kind not in (NEED, FORBID, PIN):
        return Text(f"未知的变更类别“{change.kind}”", f"unknown kind of change {change.kind!r}")
    if change.kind in (FORBID, PIN) and not case.has_teacher(teacher or ""):
        return Text(f"名册中没有教师“{teacher}”", f"the roster has no teacher {teacher!r}")
    if not case.has_school(change.school_id or ""):
        return Text(f"学校表中没有学校“{change.school_id}”", f"the schools sheet has no school {change.school_id!r}")
    if change.kind == NEED and (not change.subject or change.count is None or change.count < 0
                                or (change.terms is not None and change.terms < 1)):
        return Text("需求变化须给出学科、人数（不少于0）和学期数（不少于1）",
                    "a changed need gives a subject, a count (0 or more) and terms (1 or more)")
    if change.kind == PIN and change.start_term:
        try:
            Term.parse(change.start_term)
        except ValueError:
            return Text(f"“{change.start_term}”不是学期（例：2027秋）", f"{change.start_term!r} is not a term "
                        "(e.g. 2027 fall)")
    return None


def record_change(store: Store, project_id: int, change: Amendment, case: Case) -> RecordedChange:
    """Keep a change to the published plan (StoreError, in words, when it cannot be: no plan
    published, a withdrawal of a teacher the published plan does not place, an unknown school)."""
    store.require("plan")
    publication = published(store, project_id)
    if publication is None:
        raise StoreError(Text("本项目还没有发布方案：请先在“导出”页发布", "this project has published no plan yet: "
                              "publish one on the Export page first"))
    problem = change_problem(case, store.version(publication.version_id).plan, amendments(store, project_id), change)
    if problem is not None:
        raise StoreError(problem)
    detail = dataclasses.asdict(change)
    with store.transaction() as session:
        row = ProjectChange(project_id=project_id, publication_id=publication.id, created_at=now(),
                            created_by=store.user, kind=change.kind, detail=detail)
        session.add(row)
        session.flush()
        store._log(session, project_id, "record_change", change_id=row.id, publication_id=publication.id,
                   teacher=_name(case, change.teacher_id) if change.teacher_id else None, **detail)
        return RecordedChange(row.id, project_id, publication.id, _utc(row.created_at), row.created_by, change)


def accept_replan(store: Store, project_id: int, publication: PublicationInfo, case: Case, settings: Settings,
                  replanned: Replanned, day: dt.date, *, upload_ids: list[int] | None = None,
                  columns: dict[str, Any] | None = None) -> tuple[VersionInfo, PublicationInfo]:
    """The re-plan as a new current version (the published one stays as it was), its changes listed
    as edits (who, when, teacher, before, after, reason), published on `day` in its turn (the
    变更通知's date): later changes are recorded against it."""
    base = store.version(publication.version_id)
    when = now().isoformat()
    edits = [{"who": store.user, "when": when, "teacher_id": c.teacher_id, "kind": c.kind, "reason": c.reason,
              "before": codec.placement_record(c.before), "after": codec.placement_record(c.after)}
             for c in replanned.changes if c.changed]
    record = version_record(case, settings, replanned.plan, report=replanned.report,
                            upload_ids=upload_ids if upload_ids is not None else base.info.upload_ids,
                            columns=columns if columns is not None else load_rules(base.info.settings_text).columns,
                            scenario_id=base.info.scenario_id, parent_id=base.info.id)
    version = store.add_version(project_id, dataclasses.replace(record, origin=REPLAN, edits=edits))
    return version, record_publication(store, project_id, version.id, day, settings, replaces_id=publication.id)


def discard_replan(store: Store, project_id: int, changed: int) -> None:
    """Say in the history that a re-plan (with `changed` teachers changed) was looked at and discarded."""
    with store.transaction() as session:
        store._log(session, project_id, "discard_replan", changed=changed)


def start_next_year(store: Store, project_id: int, case: Case, name: str) -> ProjectInfo:
    """Next year's project: this project's published plan added to the workbook's 交流记录 (as the
    `history` command does), stored as the new project's file, with the published version's settings
    as its working scenario. The new project has no plan yet."""
    from .workspace import SCENARIO  # the pages' scenario name; workspace imports this module's siblings only

    publication = published(store, project_id)
    if publication is None:
        raise StoreError(Text("本项目还没有发布方案，无法据此开始下一年度", "this project has published no plan: "
                              "there is nothing to start next year from"))
    version = store.version(publication.version_id)
    result = with_plan_history(case, version.plan, version.settings)
    buffer = io.BytesIO()
    write_case(result.case, buffer)
    content = buffer.getvalue()
    file_name = f"{name}.xlsx"
    report = read_files([(file_name, content)]).report
    project = store.create_project(name)
    upload, _ = store.add_upload(project.id, file_name, content, report)
    store.save_scenario(project.id, SCENARIO, version.info.settings_text, result.case.pins, [upload.id])
    with store.transaction() as session:
        store._log(session, project_id, "start_next_year", project=name, next_project_id=project.id,
                   version_id=version.info.id, history_added=len(result.added))
        store._log(session, project.id, "from_last_year", last_project_id=project_id, version_id=version.info.id,
                   history_added=len(result.added))
    return project
