"""End-to-end: each sample workbook in sample_data/ is solved with its own settings, proven optimal,
and passed by the independent audit (Lüeyang ≈ 0.3 s, Tianjin ≈ 1 s, Datong ≈ 4 s to solve)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from scheduler.audit import AuditReport, audit
from scheduler.rules.context import Context
from scheduler.domain import Case, settings_from
from scheduler.model import solve
from scheduler.plan import Plan
from scheduler.rules.quota import quota_rows
from scheduler.workbook import read_paths

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
NAMES = ("lueyang_county", "tianjin_pairing", "datong_city")


@cache
def solved(name: str) -> tuple[Case, Plan, AuditReport]:
    loaded = read_paths([SAMPLES / f"{name}.xlsx"])
    assert loaded.ok, loaded.report
    case = loaded.case
    settings = settings_from(case.settings)
    plan = solve(case, settings)
    return case, plan, audit(case, settings, plan)


@pytest.fixture(params=NAMES)
def sample(request) -> tuple[Case, Plan, AuditReport]:
    return solved(request.param)


def test_the_plan_is_proven_optimal(sample):
    _, plan, _ = sample
    assert plan.status == "optimal", plan.stats
    assert plan.gap == 0
    assert [level.key for level in plan.levels] == ["quota", "need", "links", "teachers"]
    assert all(level.value == level.bound for level in plan.levels)


def test_the_audit_finds_no_broken_hard_rule(sample):
    _, plan, report = sample
    assert plan.placements
    assert report.ok, report.lines("en")[:10]


def test_every_pinned_placement_is_in_the_plan(sample):
    case, plan, _ = sample
    ctx = Context(case, settings_from(case.settings))
    assert ctx.pinned, "each sample pins at least one placement"
    placed = plan.by_teacher()
    for teacher_id, pin in ctx.pinned.items():
        assert teacher_id in placed
        assert placed[teacher_id].school_id == pin.school_id
        assert pin.start_term is None or placed[teacher_id].start == pin.start_term
    for teacher_id in ctx.excluded:
        assert teacher_id not in placed


def test_the_quota_is_met_at_most_sending_schools(sample):
    case, plan, _ = sample
    rows = quota_rows(Context(case, settings_from(case.settings)), plan)
    assert rows
    met = sum(row.shortfall == 0 for row in rows)
    assert met >= 0.9 * len(rows), f"{met} of {len(rows)} school-years meet the quota"


def test_the_objective_levels_agree_with_the_audit(sample):
    """The solver's quota and need levels are the audit's shortfalls, counted independently."""
    _, plan, report = sample
    levels = {level.key: level.value for level in plan.levels}
    by_rule = report.by_rule()
    quota = sum(v.amount for rule in ("quota", "backbone") for v in by_rule.get(rule, []))
    need = sum(v.amount for v in by_rule.get("need", []))
    assert levels["quota"] == pytest.approx(quota)
    assert levels["need"] == pytest.approx(need)
