"""The 未派出教师 sheet's reasons are what a fresh enumeration of every option says.

`unplaced_teachers` asks each teacher not placed once and enumerates only their options; the
reference below is how the sheet was made before: every option of the case enumerated by the
model's own `enumerate_options`, then each teacher without one asked rule by rule. On real
sample workbooks (with a plan, so some teachers had options and were not chosen) the two agree
on every teacher, category and reason, in both languages.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from scheduler.domain import settings_from
from scheduler.domain.enums import PinAction
from scheduler.domain.models import Pin
from scheduler.export.unplaced import (NO_OPTION, NOT_CHOSEN, Unplaced, _no_option, _not_chosen, hard_filters,
                                       unplaced_teachers)
from scheduler.model.greedy import greedy_plan
from scheduler.model.options import enumerate_options
from scheduler.model.solve import build, placements_of
from scheduler.plan import Plan
from scheduler.rules.context import Context
from scheduler.workbook import read_paths

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def reference(ctx: Context, plan: Plan) -> list[Unplaced]:
    """The sheet as it was made from the whole case's enumeration (commit 50d51cf)."""
    filters = hard_filters(ctx)
    placed = {p.teacher_id for p in plan.placements}
    options_by_teacher: dict[int, list[tuple[str, str, int, int]]] = defaultdict(list)
    for option in enumerate_options(ctx, filters):
        options_by_teacher[option.teacher].append((option.school, option.subject, option.start, option.terms))
    filled: dict[tuple[str, str, int], int] = defaultdict(int)
    for p in plan.placements:
        for ordinal in p.ordinals:
            filled[(p.school_id, p.subject, ordinal)] += 1
    asked = sorted(filters, key=lambda r: not r.planner_decision)
    result = []
    for position, teacher in enumerate(ctx.case.teachers):
        if teacher.teacher_id in placed:
            continue
        options = options_by_teacher.get(position)
        if options:
            result.append(Unplaced(teacher, "not_chosen", _not_chosen(ctx, teacher, options, filled), NOT_CHOSEN))
            continue
        blocked = next((b for rule in asked if (b := rule.why_unplaced(ctx, teacher)) is not None), None)
        if blocked is not None:
            result.append(Unplaced(teacher, blocked.category, blocked.reason, blocked.label))
        else:
            result.append(Unplaced(teacher, "no_option", _no_option(ctx, teacher, filters), NO_OPTION))
    return result


def _rows(items: list[Unplaced]) -> list[tuple]:
    return [(u.teacher.teacher_id, u.category, u.reason.zh, u.reason.en, u.label.zh, u.label.en) for u in items]


def _greedy(case, settings) -> Plan:
    _, model = build(case, settings)
    return Plan(placements_of(model, greedy_plan(model)), "greedy")


@pytest.mark.parametrize("name", ["lueyang_county.xlsx", "registry_county.xlsx", "tianjin_pairing.xlsx",
                                  "pucheng_county.xlsx", "datong_city.xlsx"])
def test_reasons_equal_a_fresh_enumeration(name):
    case = read_paths([SAMPLES / name]).case
    settings = settings_from(case.settings)
    plan = _greedy(case, settings)
    ctx = Context(case, settings)
    got, expected = _rows(unplaced_teachers(ctx, plan)), _rows(reference(ctx, plan))
    assert got == expected
    categories = {row[1] for row in got}
    assert "not_chosen" in categories and len(categories) >= 3, categories


def test_reasons_equal_with_exclusions_forbids_and_pairing_off():
    """A planner's exclusion of a teacher with options, a forbidden school and pairing 不限: every
    kind of answer comes from the same rules as the enumeration's."""
    case = read_paths([SAMPLES / "lueyang_county.xlsx"]).case
    settings = settings_from(case.settings).model_copy(update={"rule_modes": {"pairing": "off"}})
    plan = _greedy(case, settings)
    placed = {p.teacher_id for p in plan.placements}
    free = [t for t in case.teachers if t.teacher_id not in placed]
    pins = list(case.pins) + [Pin(teacher_id=free[0].teacher_id, action=PinAction.EXCLUDE),
                              Pin(teacher_id=free[1].teacher_id, action=PinAction.FORBID,
                                  school_id=case.schools[0].school_id)]
    case = case.model_copy(update={"pins": pins})
    ctx = Context(case, settings)
    got = _rows(unplaced_teachers(ctx, plan))
    assert got == _rows(reference(ctx, plan))
    assert dict((row[0], row[1]) for row in got)[free[0].teacher_id] == "excluded"


def test_no_option_says_whether_nobody_needs_the_subject_or_no_partner_does():
    """A PE teacher whose own school is the only one needing PE: nobody else needs one. A music
    teacher whom only an unlinked school needs: no partner does. Both are told apart."""
    from workbook_builder import minimal, read_sheets

    sheets = minimal()
    sheets["教师"] += [["T3", "李强", "男", "1984-05-01", "S1", "体育", "", 9, "", "", ""],
                      ["T4", "赵敏", "女", "1983-09-01", "S1", "音乐", "", 9, "", "", ""]]
    sheets["学校"].append(["S3", "两河口小学", "略阳县", "乡村", "小学"])
    sheets["需求"] += [["S1", "体育", 1, "2026秋", "2027春"], ["S3", "音乐", 1, "2026秋", "2027春"]]
    case = read_sheets(sheets).case
    settings = settings_from(case.settings)
    ctx = Context(case, settings)
    reasons = {u.teacher.teacher_id: (u.category, u.reason.zh) for u in unplaced_teachers(ctx, Plan([], "empty"))}
    assert reasons["T3"] == ("no_option", "规划期内没有学校需要体育教师")
    assert reasons["T4"] == ("no_option", "与城关小学结对的学校都不需要音乐教师")
