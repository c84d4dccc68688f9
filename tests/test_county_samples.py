"""The county-policy samples of issue #13 (seeds/pucheng_county.toml, hefei_city.toml, lueyang_year2.toml):
each committed workbook is what its seed gives, reads clean, solves with the real CP-SAT, and its plan
shows the policy the seed was drawn from (Pucheng's 15 % with 30 % by title and age caps in two-year
stints, Hefei's quota counted per 学区, Lüeyang's second year resting last year's teachers).

Solving the three takes ≈ 7 s (Hefei ≈ 4 s); generating Lüeyang's second year solves its first (≈ 1 s).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from scheduler.audit import AuditReport, audit
from scheduler.domain import Case, Gender, Settings, Term, Title, settings_from
from scheduler.domain.enums import BackboneLevel, QuotaScope
from scheduler.model import solve
from scheduler.plan import Plan
from scheduler.rules import quota as quota_rule
from scheduler.rules.context import Context
from scheduler.samples import generate_case, load_scenario
from scheduler.workbook import Loaded, read_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SAMPLES = ROOT / "sample_data"
NAMES = ("pucheng_county", "hefei_city", "lueyang_year2")
#: a small limit: each sample is proven optimal in a few seconds
TIME_LIMIT_S = 30


def _solve_as_written(case: Case) -> Plan:
    return solve(case, settings_from(case.settings))


@cache
def fresh(name: str) -> Case:
    return generate_case(SEEDS / f"{name}.toml", solve_previous=_solve_as_written)


@cache
def loaded(name: str) -> Loaded:
    return read_paths([SAMPLES / f"{name}.xlsx"])


@cache
def solved(name: str) -> tuple[Case, Settings, Plan, AuditReport]:
    case = loaded(name).case
    settings = settings_from(case.settings, time_limit_s=str(TIME_LIMIT_S))
    plan = solve(case, settings)
    return case, settings, plan, audit(case, settings, plan)


def _same(one: Case, other: Case) -> bool:
    """The same case, field by field (`==` on a pydantic model also compares its private caches, e.g. the
    history index a solve builds)."""
    return one.model_dump() == other.model_dump()


def _age(born: date, term: Term) -> int:
    day = date(term.year, 9, 1) if term.season == "fall" else date(term.year, 2, 20)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- every sample -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_sample_reads_with_no_problem(name):
    got = loaded(name)
    assert got.report.problems == [], got.report.problems[:5]
    assert got.case is not None


@pytest.mark.parametrize("name", NAMES)
def test_committed_sample_is_what_its_seed_gives(name):
    """`make sample` regenerates sample_data/ from seeds/ deterministically; a stale workbook fails here.
    (lueyang_year2 starts from the plan of lueyang_county: a rule change that alters that plan changes
    its 交流记录, and `make sample` must be run again.)"""
    assert _same(loaded(name).case, fresh(name)), f"sample_data/{name}.xlsx is stale: run `make sample`"


def test_generation_is_deterministic():
    again = generate_case(SEEDS / "hefei_city.toml")
    assert _same(again, fresh("hefei_city"))


@pytest.mark.parametrize("name", NAMES)
def test_sample_solves_and_the_audit_finds_no_broken_hard_rule(name):
    _, _, plan, report = solved(name)
    assert plan.status in ("optimal", "feasible"), plan.stats
    assert plan.placements
    assert report.ok, report.lines("en")[:10]


@pytest.mark.parametrize("name", NAMES)
def test_settings_sheet_carries_the_seed_policy(name):
    """The seed's [settings] are the workbook's 设置 rows, and they parse."""
    scenario = load_scenario(SEEDS / f"{name}.toml")
    case = loaded(name).case
    for key, value in scenario.settings.items():
        assert case.settings[key] == value
    settings_from(case.settings)


def test_every_bundled_sample_has_a_title_in_the_picker():
    from ui.state import sample_names, sample_title

    names = sample_names()
    assert {f"{n}.xlsx" for n in NAMES} <= set(names)
    for name in names:
        assert sample_title(name, "zh") != name and sample_title(name, "en") != name, name
    for name in NAMES:
        teachers = len(loaded(name).case.teachers)
        assert f"（{teachers}名教师）" in sample_title(f"{name}.xlsx"), "the title states the roster's size"


# --- Pucheng: 15 %, 名师/高级/一级 ≥ 30 % of those rotated, men under 50, women under 45, 4 terms ----------

def test_pucheng_settings_are_the_county_plan():
    settings = settings_from(loaded("pucheng_county").case.settings)
    assert settings.quota_rate == 0.15 and settings.backbone_share == 0.30
    assert settings.backbone_base.value == "rotated"
    assert {c.value for c in settings.backbone_counts} == {"master", "senior", "first"}
    assert (settings.max_age_male, settings.max_age_female) == (49, 44)
    assert settings.placement_terms == 4


def test_pucheng_placements_last_two_school_years():
    case, _, plan, _ = solved("pucheng_county")
    assert all(d.terms is None for d in case.demands)  # the 交流学期数 setting: 4
    assert {p.terms for p in plan.placements} == {4}


def test_pucheng_nobody_over_the_age_caps_is_sent():
    case, settings, plan, _ = solved("pucheng_county")
    start = settings.horizon_from
    for p in plan.placements:
        teacher = case.teacher(p.teacher_id)
        cap = 44 if teacher.gender is Gender.FEMALE else 49  # under 45 and under 50
        assert _age(teacher.birth_date, start) <= cap, (teacher.teacher_id, teacher.gender, teacher.birth_date)


def _counts_by_title(teacher) -> bool:
    return teacher.title in (Title.SENIOR, Title.FIRST) or teacher.backbone_level is BackboneLevel.MASTER


def test_pucheng_names_masters_among_the_backbone():
    case = loaded("pucheng_county").case
    assert any(t.backbone_level is BackboneLevel.MASTER for t in case.teachers)


def test_pucheng_a_third_of_those_rotated_hold_a_title_or_are_masters_where_the_school_has_them():
    """Counted independently of the rule: per sending school, ⌈30 % × rotated⌉ of its rotated teachers
    are 名师, 高级 or 一级 — unless every such eligible teacher of the school is rotated already."""
    case, settings, plan, _ = solved("pucheng_county")
    ctx = Context(case, settings)
    rotated: dict[str, list] = defaultdict(list)
    for p in plan.placements:
        teacher = case.teacher(p.teacher_id)
        rotated[teacher.school_id].append(teacher)
    assert rotated
    for school_id, teachers in rotated.items():
        owed = math.ceil(0.30 * len(teachers) - 1e-9)
        counted = sum(map(_counts_by_title, teachers))
        available = sum(1 for t in case.teachers if t.school_id == school_id and ctx.eligible(t) and _counts_by_title(t))
        assert counted >= min(owed, available), (case.school(school_id).name, counted, owed)
    assert not [v for v in solved("pucheng_county")[3].by_rule().get("backbone", [])]


def test_pucheng_quota_is_fifteen_percent_rounded_up():
    case, settings, plan, _ = solved("pucheng_county")
    rows = quota_rule.quota_rows(Context(case, settings), plan)
    assert rows
    for row in rows:
        assert row.unit.scope is QuotaScope.SCHOOL
        assert row.required == math.ceil(0.15 * row.unit.eligible - 1e-9)
    met = sum(row.rotated >= row.required for row in rows)
    assert met >= 0.9 * len(rows)


# --- Hefei: the 10 % counted per 学区 ----------------------------------------------------------

def test_hefei_every_school_has_a_district_of_its_county():
    case = loaded("hefei_city").case
    for school in case.schools:
        assert school.district and school.district.startswith(school.county), school
    by_county = defaultdict(set)
    for school in case.schools:
        by_county[school.county].add(school.district)
    assert all(len(districts) >= 2 for districts in by_county.values()), by_county


def test_hefei_one_term_support_needs_beside_the_school_year_exchange():
    case, _, plan, _ = solved("hefei_city")
    forms = {(d.terms, d.form) for d in case.demands}
    assert forms == {(1, "支教"), (None, "定期交流")}
    assert all(d.from_term == d.to_term for d in case.demands if d.terms == 1)
    assert {p.terms for p in plan.placements} == {1, 2}


def test_hefei_quota_is_counted_per_district():
    """Independently of the rule: each 学区 owes ⌈10 % × its sending schools' eligible teachers⌉ a school
    year, and every rotation from any of its schools counts towards it."""
    case, settings, plan, _ = solved("hefei_city")
    ctx = Context(case, settings)
    units = quota_rule.quota_units(ctx)
    district_of = {s.school_id: s.district for s in case.schools}
    eligible = defaultdict(int)
    for teacher in case.teachers:
        if teacher.school_id in {s.school_id for s in ctx.sending_schools} and ctx.eligible(teacher):
            eligible[district_of[teacher.school_id]] += 1
    rotated = defaultdict(int)
    for p in plan.placements:
        rotated[district_of[case.teacher(p.teacher_id).school_id], p.start.school_year] += 1
    rows = quota_rule.quota_rows(ctx, plan)
    assert {u.scope for u in units} == {QuotaScope.DISTRICT}
    assert len(units) < len(ctx.sending_schools), "several sending schools share a 学区"
    for row in rows:
        district = row.unit.label
        assert row.unit.eligible == eligible[district]
        assert row.required == math.ceil(0.10 * eligible[district] - 1e-9)
        assert row.rotated == rotated[district, row.school_year]
    met = sum(row.rotated >= row.required for row in rows)
    assert met >= 0.9 * len(rows), f"{met} of {len(rows)} district-years meet the quota"


# --- Lüeyang year 2: last year's plan as 交流记录, rest 3 years ---------------------------------

@cache
def first_year() -> tuple[Case, Plan]:
    case = generate_case(SEEDS / "lueyang_county.toml")
    return case, _solve_as_written(case)


def test_lueyang_year2_horizon_is_one_school_year_later():
    year1, _ = first_year()
    case = loaded("lueyang_year2").case
    one, two = settings_from(year1.settings), settings_from(case.settings)
    assert two.horizon_from == one.horizon_from.shift(2) and two.horizon_to == one.horizon_to.shift(2)
    assert two.rest_years == 3
    before = {t.teacher_id: t for t in year1.teachers}
    for teacher in case.teachers:
        assert teacher.years_at_school == before[teacher.teacher_id].years_at_school + 1
        assert teacher.birth_date == before[teacher.teacher_id].birth_date
    assert {s.school_id for s in case.schools} == {s.school_id for s in year1.schools}


def test_lueyang_year2_history_is_the_first_year_plan():
    year1, plan = first_year()
    case = loaded("lueyang_year2").case
    start = settings_from(case.settings).horizon_from
    expected = {(p.teacher_id, p.school_id, p.start, p.end) for p in plan.placements
                if p.start < start and case.has_teacher(p.teacher_id)}
    assert expected
    assert {(e.teacher_id, e.host_school_id, e.from_term, e.to_term) for e in case.history} == expected
    for exchange in case.history:
        assert exchange.host_school == year1.school(exchange.host_school_id).name
        assert exchange.form == "定期交流"


def test_lueyang_year2_a_placement_still_running_keeps_its_teacher_away():
    case = loaded("lueyang_year2").case
    start = settings_from(case.settings).horizon_from
    running = {e.teacher_id for e in case.history if e.to_term >= start}
    excluded = {p.teacher_id for p in case.pins if p.action.value == "exclude"}
    assert running <= excluded


def test_lueyang_year2_nobody_of_last_year_is_sent_again():
    case, settings, plan, _ = solved("lueyang_year2")
    ctx = Context(case, settings)
    went = {e.teacher_id for e in case.history}
    assert went
    assert not [t for t in went if ctx.eligible(case.teacher(t))], "交流间隔年数 = 3 rests last year's teachers"
    again = [p.teacher_id for p in plan.placements if p.teacher_id in went]
    assert again == []


def test_lueyang_year2_retires_those_reaching_60_and_every_reference_resolves():
    year1, _ = first_year()
    case = loaded("lueyang_year2").case
    start = settings_from(case.settings).horizon_from
    assert all(_age(t.birth_date, start) < 60 for t in case.teachers)
    assert len(case.teachers) < len(year1.teachers), "someone reached 60 in a year"
    for teacher in case.teachers:
        assert teacher.spouse_id is None or case.has_teacher(teacher.spouse_id)
    assert all(case.has_teacher(p.teacher_id) for p in case.pins)
    assert all(case.has_teacher(e.teacher_id) for e in case.history)


# --- the generator's new keys -----------------------------------------------------------------

def test_older_seeds_carry_no_district_need_length_or_form():
    """The new seed keys draw nothing unless a seed sets them: the older samples stay as they were."""
    case = generate_case(SEEDS / "lueyang_county.toml")
    assert all(s.district is None for s in case.schools)
    assert all(d.terms is None and d.form is None for d in case.demands)
    assert not case.history
    assert not any(t.backbone_level is BackboneLevel.MASTER for t in case.teachers)


def test_a_later_year_needs_a_solver_for_the_earlier_one():
    with pytest.raises(ValueError, match="solve_previous"):
        generate_case(SEEDS / "lueyang_year2.toml")


def test_a_later_year_takes_its_counties_from_the_earlier_seed(tmp_path):
    text = (SEEDS / "lueyang_year2.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text + '\n[[counties]]\nname = "某县"\ncenter = [106.0, 33.0]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="takes its counties"):
        load_scenario(bad)


def test_a_later_year_of_a_later_year_is_refused(tmp_path):
    (tmp_path / "lueyang_county.toml").write_text((SEEDS / "lueyang_county.toml").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    (tmp_path / "year2.toml").write_text((SEEDS / "lueyang_year2.toml").read_text(encoding="utf-8"), encoding="utf-8")
    year3 = (SEEDS / "lueyang_year2.toml").read_text(encoding="utf-8").replace(
        'seed = "lueyang_county.toml"', 'seed = "year2.toml"').replace('first_term = "2027秋"', 'first_term = "2028秋"')
    (tmp_path / "year3.toml").write_text(year3, encoding="utf-8")
    with pytest.raises(ValueError, match="first year's seed"):
        generate_case(tmp_path / "year3.toml", solve_previous=_solve_as_written)


def test_generate_command_writes_the_later_year_with_its_history(tmp_path):
    """`make sample` goes through the CLI, which hands the generator its solver."""
    import subprocess
    import sys

    out = tmp_path / "year2.xlsx"
    done = subprocess.run([sys.executable, "-m", "scheduler", "generate", str(SEEDS / "lueyang_year2.toml"),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _same(read_paths([out]).case, loaded("lueyang_year2").case)
