"""Next year's planning workbook: this year's workbook with the plan's placements added to its 交流记录.

Every placement becomes one `Exchange`: the teacher, the host school (id and name), the first and
last term, the length, and the 交流方式 of the need it fills (as the 派出安排 sheet shows it,
`summary.placement_form`). A placement already in the history (same
teacher, same start term) is not added twice, so running the command again changes nothing.
The rest of the case is kept as read: roster, schools, links, needs, pins and 设置; the planner
updates the needs and the horizon for the new year.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.models import Case, Exchange
from ..domain.settings import Settings, required_settings
from ..plan import Placement, Plan
from ..rules.context import Context
from .summary import placement_form


@dataclass(frozen=True)
class NextYear:
    case: Case
    #: the records added, and the placements that were already in the history
    added: list[Exchange]
    already: int


def placement_record(ctx: Context, placement: Placement) -> Exchange:
    """One placement as the 交流记录 keeps it."""
    case = ctx.case
    host = case.school(placement.school_id).name if case.has_school(placement.school_id) else None
    name = case.teacher(placement.teacher_id).name if case.has_teacher(placement.teacher_id) else ""
    return Exchange(teacher_id=placement.teacher_id, from_term=placement.start, to_term=placement.end,
                    host_school_id=placement.school_id, host_school=host, terms=placement.terms,
                    form=placement_form(ctx, placement) or None, extra={"姓名": name, "学科": placement.subject})


def with_plan_history(case: Case, plan: Plan, settings: Settings) -> NextYear:
    """The case with `plan`'s placements appended to its history (existing records kept, in order);
    `settings` are the ones the plan was read with (they give a need its length, hence its form)."""
    ctx = Context(case, required_settings(settings))
    recorded = {(e.teacher_id, e.from_term.ordinal) for e in case.history}
    added: list[Exchange] = []
    already = 0
    for placement in sorted(plan.placements, key=lambda p: (p.start.ordinal, p.teacher_id)):
        key = (placement.teacher_id, placement.start.ordinal)
        if key in recorded:
            already += 1
            continue
        recorded.add(key)
        added.append(placement_record(ctx, placement))
    # Extra columns the earlier records had (a copied 派出安排's 派出学校 ...) stay; the new rows leave them empty.
    return NextYear(case.model_copy(update={"history": [*case.history, *added]}), added, already)
