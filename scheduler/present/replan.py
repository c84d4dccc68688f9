"""Re-planning a published plan, as the command line (`replan`) and the 变更 page both do it.

The changes a planner records after publication (`Amendment`: a withdrawal, a need that changed, a
new forbid or pin) are applied to the case (`case_with_amendments`); the published plan is matched
against the case row by row (`match_published`: a row naming a teacher or school the case no
longer has is a problem of its own and a change, never dropped); `replan` solves with the published
plan kept where the rules allow (WORKBOOK.md, "Re-planning after publication") and `outcome` says
what became of every teacher (rules/changes.py), and `diff_rows` puts that in names for a table.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from ..audit import AuditReport, audit
from ..domain.enums import PinAction
from ..domain.models import Case, Demand, Pin
from ..domain.settings import Settings
from ..domain.subjects import subject_label
from ..domain.terms import Term
from ..model import solve
from ..model.solve import ProgressFn
from ..plan import Placement, Plan
from ..rules.base import Text
from ..rules.changes import ADDED, DROPPED, KEPT, KIND_LABEL, MOVED, Change, plan_changes
from ..rules.context import Context

WITHDRAWAL, NEED, FORBID, PIN = "withdrawal", "need", "forbid", "pin"
AMENDMENT_LABEL = {WITHDRAWAL: Text("退出交流", "withdrawal"), NEED: Text("需求变化", "need changed"),
                   FORBID: Text("禁止去某校", "forbid a school"), PIN: Text("锁定安排", "pin")}


@dataclass(frozen=True)
class Amendment:
    """One change recorded on a published plan. `kind` is one of WITHDRAWAL (teacher, reason, date),
    NEED (school, subject, count, terms: the need's new 人数 and 交流学期数), FORBID (teacher, school),
    PIN (teacher, school, start term)."""

    kind: str
    teacher_id: str | None = None
    school_id: str | None = None
    subject: str | None = None
    count: int | None = None
    terms: int | None = None
    start_term: str | None = None
    reason: str = ""
    date: str | None = None


def case_with_amendments(case: Case, amendments: Sequence[Amendment]) -> Case:
    """The case as the amendments leave it: a withdrawal is a 禁止交流 pin (its reason kept), a forbid
    and a pin are pins, a changed need sets 人数 (and 交流学期数) of every need row of that school and
    subject (0 removes them; a need the case lacks is added over the case's whole planning window)."""
    pins = list(case.pins)
    demands = list(case.demands)
    for change in amendments:
        if change.kind == WITHDRAWAL:
            extra = {k: v for k, v in (("原因", change.reason), ("日期", change.date or "")) if v}
            pins.append(Pin(teacher_id=change.teacher_id, action=PinAction.EXCLUDE, extra=extra))
        elif change.kind == FORBID:
            pins.append(Pin(teacher_id=change.teacher_id, action=PinAction.FORBID, school_id=change.school_id))
        elif change.kind == PIN:
            start = Term.parse(change.start_term) if change.start_term else None
            pins = [p for p in pins if not (p.teacher_id == change.teacher_id and p.action == PinAction.PIN)]
            pins.append(Pin(teacher_id=change.teacher_id, action=PinAction.PIN, school_id=change.school_id,
                            start_term=start))
        elif change.kind == NEED:
            demands = _need_changed(demands, change)
        else:
            raise ValueError(f"unknown amendment kind {change.kind!r}")
    return case.model_copy(update={"pins": pins, "demands": demands})


def _need_changed(demands: list[Demand], change: Amendment) -> list[Demand]:
    same = [d for d in demands if d.school_id == change.school_id and d.subject == change.subject]
    others = [d for d in demands if d not in same]
    count = int(change.count or 0)
    if count <= 0:
        return others
    if same:
        update = {"count": count} | ({"terms": change.terms} if change.terms else {})
        return others + [d.model_copy(update=update) for d in same]
    if not demands:
        return demands
    first = min((d.from_term for d in demands), key=lambda t: t.ordinal)
    last = max((d.to_term for d in demands), key=lambda t: t.ordinal)
    return demands + [Demand(school_id=change.school_id, subject=change.subject, count=count, from_term=first,
                             to_term=last, terms=change.terms or None)]


def match_published(case: Case, plan: Plan) -> tuple[Plan, list[Placement], list[Text]]:
    """The published placements the case still knows, those it does not (teacher or school gone),
    and one problem per such row (its row number in the published list, the teacher and school)."""
    kept, unmatched, problems = [], [], []
    for number, placement in enumerate(plan.placements, start=1):
        teacher_known, school_known = case.has_teacher(placement.teacher_id), case.has_school(placement.school_id)
        if teacher_known and school_known:
            kept.append(placement)
            continue
        unmatched.append(placement)
        if not teacher_known:
            problems.append(Text(f"已公示方案第{number}行：教师编号“{placement.teacher_id}”已不在名册中",
                                 f"published plan, row {number}: teacher id {placement.teacher_id!r} is no longer "
                                 "in the roster"))
        else:
            name = case.teacher(placement.teacher_id).name
            problems.append(Text(f"已公示方案第{number}行：{name}的接收学校编号“{placement.school_id}”已不在学校表中",
                                 f"published plan, row {number}: {name}'s receiving school id "
                                 f"{placement.school_id!r} is no longer in the schools sheet"))
    return Plan(placements=kept, status=plan.status), unmatched, problems


@dataclass(frozen=True)
class Replanned:
    plan: Plan
    report: AuditReport
    changes: list[Change]
    ctx: Context

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def dropped(self) -> list[Change]:
        """The published placements that had to go (dropped or moved), each with its reason."""
        return [c for c in self.changes if c.kind in (DROPPED, MOVED)]


def outcome(case: Case, settings: Settings, published: Plan, plan: Plan,
            unmatched: Sequence[Placement] = ()) -> Replanned:
    """What a re-plan `plan` of `published` is: its audit and every teacher's change, with the reason."""
    ctx = Context(case, settings, published)
    return Replanned(plan, audit(case, settings, plan, published), plan_changes(ctx, plan, unmatched), ctx)


def replan(case: Case, settings: Settings, published: Plan, unmatched: Sequence[Placement] = (), *,
           progress: ProgressFn | None = None, stop: threading.Event | None = None) -> Replanned:
    """Solve again keeping the published plan where the rules allow, and say what changed. An
    infeasible case gives a plan of status "infeasible" (the caller explains it)."""
    plan = solve(case, settings, progress=progress, stop=stop, published=published)
    return outcome(case, settings, published, plan, unmatched)


DIFF_COLUMNS = (("类别", "change"), ("姓名", "name"), ("原单位", "home school"), ("原安排", "before"),
                ("现安排", "after"), ("原因", "reason"))


def _where(ctx: Context, placement: Placement | None, lang: str) -> str:
    if placement is None:
        return "—"
    school = ctx.school_name(placement.school_id)
    subject = subject_label(placement.subject, lang)
    return f"{school}·{subject}（{placement.start.label(lang)}起{placement.terms}学期）" if lang == "zh" \
        else f"{school}, {subject}, from {placement.start.label(lang)} for {placement.terms} term(s)"


def diff_rows(replanned: Replanned, lang: str = "zh", kinds: Sequence[str] = (DROPPED, MOVED, ADDED, KEPT)
              ) -> list[list[str]]:
    """One row per change of the given kinds, in names (teacher, home school, before, after, reason)."""
    ctx = replanned.ctx
    rows = []
    for change in replanned.changes:
        if change.kind not in kinds:
            continue
        known = ctx.case.has_teacher(change.teacher_id)
        teacher = ctx.case.teacher(change.teacher_id) if known else None
        rows.append([KIND_LABEL[change.kind].get(lang), teacher.name if teacher else change.teacher_id,
                     ctx.school_name(teacher.school_id) if teacher else "", _where(ctx, change.before, lang),
                     _where(ctx, change.after, lang), change.text.get(lang) if change.changed else ""])
    return rows


__all__ = ["ADDED", "AMENDMENT_LABEL", "Amendment", "DIFF_COLUMNS", "DROPPED", "FORBID", "KEPT", "MOVED", "NEED",
           "PIN", "Replanned", "WITHDRAWAL", "case_with_amendments", "diff_rows", "match_published", "outcome",
           "replan"]
