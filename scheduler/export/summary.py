"""The JSON summary of a plan: how it was found, every placement, the quota school by school,
the unmet need, the audit, and the headline figures. Plain data, ready for `json.dump`; no ID
number in it is whole (`personal_data`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..audit import AuditReport, audit
from ..rules.context import Context, term_label
from ..domain.models import Case
from ..domain.settings import Settings, setting_names, value_text
from ..domain.terms import school_year_label
from ..plan import Placement, Plan
from ..rules import RULE_BY_ID, Violation, rule_modes
from ..rules.changes import Change
from .audit_text import violation_text
from .changes_sheet import change_records
from .headline import headline, status_label
from .personal_data import masked


def _number(value: float) -> float | None:
    """JSON has no NaN or infinity."""
    return None if value is None or not math.isfinite(value) else round(value, 6)


def link_program(ctx: Context, placement: Placement) -> str | None:
    if not ctx.case.has_teacher(placement.teacher_id):
        return None
    home = ctx.case.teacher(placement.teacher_id).school_id
    return ctx.link_program.get(frozenset((home, placement.school_id)))


def placement_form(ctx: Context, placement: Placement) -> str:
    """The 交流方式 of the need the placement fills (需求.交流方式), "" when it names none."""
    return ctx.form_of(placement.school_id, placement.subject, placement.start.ordinal, placement.terms)


def placement_record(ctx: Context, placement: Placement) -> dict[str, Any]:
    case = ctx.case
    teacher = case.teacher(placement.teacher_id) if case.has_teacher(placement.teacher_id) else None
    home = teacher.school_id if teacher else None
    return {
        "teacher_id": placement.teacher_id,
        "teacher_name": teacher.name if teacher else None,
        "from_school_id": home,
        "from_school_name": ctx.school_name(home) if home else None,
        "to_school_id": placement.school_id,
        "to_school_name": ctx.school_name(placement.school_id),
        "subject": placement.subject,
        "start_term": placement.start.label("zh"),
        "end_term": placement.end.label("zh"),
        "terms": placement.terms,
        "form": placement_form(ctx, placement) or None,
        "link_program": link_program(ctx, placement),
        "backbone": bool(teacher and teacher.backbone),
    }


def _violation(case: Case, violation: Violation) -> dict[str, Any]:
    rule = RULE_BY_ID[violation.rule]
    return {"rule": violation.rule, "rule_zh": rule.zh, "rule_en": rule.en, "zh": violation_text(case, violation, "zh"),
            "en": violation_text(case, violation, "en"), "teacher_ids": list(violation.teacher_ids),
            "school_ids": list(violation.school_ids), "amount": _number(violation.amount)}


def plan_summary(case: Case, settings: Settings, plan: Plan,
                 report: AuditReport | None = None, changes: Sequence[Change] | None = None) -> dict[str, Any]:
    """`changes`: a re-plan's changes against the published plan (rules/changes.py), as `changes`."""
    report = report if report is not None else audit(case, settings, plan)
    ctx = report.context_for(case, settings)
    quota, need = report.quota_and_need(ctx, plan)
    figures = headline(case, settings, plan, ctx, quota=quota, need=need)
    extra = {} if changes is None else {"changes": change_records(ctx, changes),
                                        "unchanged": [c.teacher_id for c in changes if not c.changed]}
    return masked({
        "status": plan.status,
        "status_label": {"zh": status_label(plan.status, "zh"), "en": status_label(plan.status, "en")},
        "gap": _number(plan.gap),
        "objective_levels": [{"key": level.key, "zh": level.zh, "en": level.en, "value": _number(level.value),
                              "bound": _number(level.bound), "gap": _number(level.gap)} for level in plan.levels],
        "times": {key: round(value, 3) for key, value in plan.times.items()},
        "headline": figures.as_dict(),
        "placements": [placement_record(ctx, p) for p in plan.placements],
        # one record per unit of the quota (比例范围): a school, or a 学区 / county with its school_ids;
        # "school_id" is the unit's key (the school's id when the quota is counted per school)
        "quota": [{"school_id": r.school_id, "school_name": r.name("zh"), "scope": r.unit.scope.value,
                   "school_ids": list(r.school_ids), "school_year": r.school_year, "school_year_label": school_year_label(r.school_year),
                   "eligible": r.eligible, "required": r.required, "rotated": r.rotated,
                   "shortfall": r.shortfall, "backbone_rotated": r.backbone_rotated,
                   "backbone_required": r.backbone_required, "backbone_shortfall": r.backbone_shortfall}
                  for r in quota],
        "unmet": [{"school_id": r.school_id, "school_name": ctx.school_name(r.school_id), "subject": r.subject,
                   "term": term_label(r.term), "need": r.need, "filled": r.filled, "shortfall": r.shortfall}
                  for r in need if r.shortfall],
        "audit": {"ok": report.ok, "summary": {"zh": report.summary("zh"), "en": report.summary("en")},
                  "hard": [_violation(case, v) for v in report.hard],
                  "shortfalls": [_violation(case, v) for v in report.shortfalls]},
        "settings": {name: value_text(getattr(settings, name), "en") for name in setting_names()},
        "rule_modes": rule_modes(settings),
        "stats": {key: value for key, value in plan.stats.items() if isinstance(value, (int, float, str, list))},
        **extra,
    })
