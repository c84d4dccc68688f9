"""The sample scenarios: reproducible, internally consistent, and shaped like real rosters."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from scheduler.domain import Case, Gender, Locality, PinAction, Stage, Title, settings_from
from scheduler.domain.subjects import ARTS, normalise_subject
from scheduler.samples import generate_case, load_scenario

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DATONG = SEEDS / "datong_city.toml"
LUEYANG = SEEDS / "lueyang_county.toml"
TIANJIN = SEEDS / "tianjin_pairing.toml"
REGISTRY = SEEDS / "registry_county.toml"
ALL = (DATONG, LUEYANG, TIANJIN, REGISTRY)


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    return {path.stem: generate_case(path) for path in ALL}


@pytest.fixture(scope="module")
def datong(cases) -> Case:
    return cases["datong_city"]


def _age(case: Case, teacher) -> int:
    start = settings_from(case.settings).horizon_from
    born = teacher.birth_date
    return start.year - born.year - ((9, 1) < (born.month, born.day))


def _eligible(case: Case) -> list:
    rules = settings_from(case.settings)
    return [t for t in case.teachers if t.years_at_school >= rules.min_years and not t.exemption]


def _members(case: Case) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for link in case.links:
        members[link.lead_school_id].add(link.member_school_id)
    return members


# --- reproducibility ---------------------------------------------------------------------

def test_same_scenario_and_scale_give_the_same_case():
    assert generate_case(LUEYANG, 2) == generate_case(LUEYANG, 2)


def test_case_does_not_depend_on_the_hash_seed():
    """Set or dict order of strings changes with PYTHONHASHSEED; the case must not."""
    script = ("import hashlib, sys; from pathlib import Path; from scheduler.samples import generate_case; "
              f"print(hashlib.sha256(generate_case(Path({str(LUEYANG)!r})).model_dump_json().encode()).hexdigest())")
    digests = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }
    local = hashlib.sha256(generate_case(LUEYANG).model_dump_json().encode()).hexdigest()
    assert digests == {local}


# --- integrity ---------------------------------------------------------------------------

@pytest.mark.parametrize("stem", [p.stem for p in ALL])
def test_every_reference_resolves(cases, stem):
    case = cases[stem]
    teacher_ids = [t.teacher_id for t in case.teachers]
    school_ids = [s.school_id for s in case.schools]
    assert len(set(teacher_ids)) == len(teacher_ids)
    assert len(set(school_ids)) == len(school_ids)
    assert len({s.name for s in case.schools}) == len(case.schools), "school names repeat"
    for teacher in case.teachers:
        assert case.has_school(teacher.school_id)
        assert all(case.has_school(p) for p in teacher.preferences)
        if teacher.spouse_id:
            assert case.has_teacher(teacher.spouse_id)
    for link in case.links:
        assert case.has_school(link.lead_school_id) and case.has_school(link.member_school_id)
    for demand in case.demands:
        assert case.has_school(demand.school_id)
    for pin in case.pins:
        assert case.has_teacher(pin.teacher_id)
        assert pin.school_id is None or case.has_school(pin.school_id)


@pytest.mark.parametrize("stem", [p.stem for p in ALL])
def test_values_are_those_the_workbook_accepts(cases, stem):
    case = cases[stem]
    rules = settings_from(case.settings)  # raises if a setting is invalid
    horizon = (rules.horizon_from, rules.horizon_to)
    for teacher in case.teachers:
        assert all(normalise_subject(s) == s for s in teacher.subjects)
        assert 23 <= _age(case, teacher) <= 59
        assert 0 <= teacher.years_at_school <= _age(case, teacher) - 22
        assert teacher.backbone or teacher.backbone_level is None
        assert len(teacher.preferences) <= 3
    for demand in case.demands:
        assert normalise_subject(demand.subject) == demand.subject
        assert demand.count >= 1 and 1 <= demand.priority <= 5
        assert horizon[0] <= demand.from_term <= demand.to_term <= horizon[1]
    for school in case.schools:
        assert 1 <= school.priority <= 5
        assert school.host_capacity is None or school.host_capacity >= 1


@pytest.mark.parametrize("stem", [p.stem for p in ALL])
def test_links_run_from_urban_schools_to_fitting_receiving_schools(cases, stem):
    case = cases[stem]
    fits = {Stage.PRIMARY: {Stage.PRIMARY, Stage.NINE_YEAR}, Stage.JUNIOR: {Stage.JUNIOR, Stage.NINE_YEAR},
            Stage.SENIOR: {Stage.SENIOR}, Stage.KINDERGARTEN: {Stage.KINDERGARTEN}}
    for link in case.links:
        lead, member = case.school(link.lead_school_id), case.school(link.member_school_id)
        assert lead.locality is Locality.URBAN and member.locality is not Locality.URBAN
        assert member.stage in fits[lead.stage]
        if link.min_per_year is not None and link.max_per_year is not None:
            assert link.min_per_year <= link.max_per_year
    receiving = {s.school_id for s in case.schools if s.locality is not Locality.URBAN}
    assert receiving == {link.member_school_id for link in case.links}, "a receiving school has no partner"
    # Under strict pairing a sending school without partners could never meet its quota.
    sending = {t.school_id for t in case.teachers if case.home_school(t).locality is Locality.URBAN}
    assert sending == {link.lead_school_id for link in case.links}
    assert {d.school_id for d in case.demands} <= receiving


@pytest.mark.parametrize("stem", [p.stem for p in ALL])
def test_spouses_are_mutual_and_in_one_county(cases, stem):
    case = cases[stem]
    married = [t for t in case.teachers if t.spouse_id]
    assert 0.02 <= len(married) / len(case.teachers) <= 0.04
    for teacher in married:
        spouse = case.spouse(teacher)
        assert spouse.spouse_id == teacher.teacher_id and spouse.teacher_id != teacher.teacher_id
        assert spouse.gender != teacher.gender
        assert case.home_school(spouse).county == case.home_school(teacher).county


@pytest.mark.parametrize("stem", [p.stem for p in ALL])
def test_pins_are_decisions_a_planner_could_make(cases, stem):
    case = cases[stem]
    rules = settings_from(case.settings)
    members = _members(case)
    eligible = {t.teacher_id for t in _eligible(case)}
    assert 2 <= len(case.pins) <= 6
    assert len({p.teacher_id for p in case.pins}) == len(case.pins)
    for pin in case.pins:
        teacher = case.teacher(pin.teacher_id)
        assert pin.teacher_id in eligible
        if pin.action is PinAction.EXCLUDE:
            assert pin.school_id is None and pin.start_term is None
            continue
        assert pin.school_id in members[teacher.school_id]
        needs = [d for d in case.demands if d.school_id == pin.school_id and d.subject in teacher.subjects]
        assert needs, f"{pin.school_id} has no need in {teacher.subjects}"
        if pin.action is PinAction.PIN:
            assert any(d.from_term <= pin.start_term
                       and pin.start_term.shift(rules.placement_terms - 1) <= d.to_term for d in needs)


@pytest.mark.parametrize("stem", [p.stem for p in ALL])
def test_preferences_name_partner_schools_of_the_home_school(cases, stem):
    case = cases[stem]
    members = _members(case)
    urban_eligible = [t for t in _eligible(case) if case.home_school(t).locality is Locality.URBAN]
    with_wishes = [t for t in urban_eligible if t.preferences]
    assert 0.12 <= len(with_wishes) / len(urban_eligible) <= 0.28
    for teacher in with_wishes:
        assert len(set(teacher.preferences)) == len(teacher.preferences)
        assert set(teacher.preferences) <= members[teacher.school_id]


# --- a realistic roster ------------------------------------------------------------------

def test_datong_roster_shares(datong):
    teachers = datong.teachers
    n = len(teachers)
    assert 4000 <= n <= 6000
    assert 0.40 <= len(_eligible(datong)) / n <= 0.60
    assert 0.45 <= sum(t.years_at_school >= 6 for t in teachers) / n <= 0.60
    assert 0.12 <= sum(t.backbone for t in teachers) / n <= 0.18
    assert 0.10 <= sum(bool(t.other_subjects) for t in teachers) / n <= 0.20
    assert 0.03 <= sum(bool(t.exemption) for t in teachers) / n <= 0.05


def test_backbone_teachers_gather_in_urban_schools(datong):
    share = {}
    for locality in Locality:
        group = [t for t in datong.teachers if datong.home_school(t).locality is locality]
        share[locality] = sum(t.backbone for t in group) / len(group)
    assert share[Locality.URBAN] > 1.5 * share[Locality.RURAL]


def test_women_are_the_majority_in_primary_and_kindergarten(datong):
    for stage in (Stage.PRIMARY, Stage.KINDERGARTEN):
        group = [t for t in datong.teachers if datong.home_school(t).stage is stage]
        assert sum(t.gender is Gender.FEMALE for t in group) / len(group) > 0.7


def test_titles_and_exemptions_follow_age(datong):
    for teacher in datong.teachers:
        age = _age(datong, teacher)
        if teacher.title in (Title.SENIOR, Title.FULL_SENIOR):
            assert age >= 35
        if teacher.exemption == "距退休不足3年":
            assert age >= 57
        if teacher.exemption in ("怀孕", "哺乳期"):
            assert teacher.gender is Gender.FEMALE and age <= 38
    reasons = Counter(t.exemption for t in datong.teachers if t.exemption)
    assert {"距退休不足3年", "怀孕", "哺乳期"} <= set(reasons)


def test_promotion_seekers_are_first_grade_urban_teachers(datong):
    seekers = [t for t in datong.teachers if t.seeking_promotion]
    assert seekers
    assert all(t.title is Title.FIRST and datong.home_school(t).locality is Locality.URBAN for t in seekers)


def test_poor_villages_lack_music_pe_and_art(datong):
    poor_villages = [s for s in datong.schools if s.locality is Locality.RURAL and s.priority >= 3]
    arts_needed = {d.school_id for d in datong.demands if d.subject in ARTS}
    assert sum(s.school_id in arts_needed for s in poor_villages) / len(poor_villages) >= 0.5
    # Needs lean to 音体美 far more than the urban staff does.
    rural = {s.school_id for s in poor_villages}
    rural_needs = [d for d in datong.demands if d.school_id in rural]
    urban_staff = [t for t in datong.teachers if datong.home_school(t).locality is Locality.URBAN]
    arts_need_share = sum(d.count for d in rural_needs if d.subject in ARTS) / sum(d.count for d in rural_needs)
    arts_staff_share = sum(t.subject in ARTS for t in urban_staff) / len(urban_staff)
    assert arts_need_share > 2 * arts_staff_share


@pytest.mark.parametrize("stem", [p.stem for p in ALL])
def test_needs_exceed_the_quota_a_little_and_most_schools_can_meet_it(cases, stem):
    """Placements offered each school year: above the quota, not a multiple of it; few shortfalls."""
    case = cases[stem]
    rules = settings_from(case.settings)
    members = _members(case)
    by_school = defaultdict(list)
    for demand in case.demands:
        by_school[demand.school_id].append(demand)
    eligible_at = defaultdict(list)
    for teacher in _eligible(case):
        eligible_at[teacher.school_id].append(teacher)
    first_year = rules.horizon_from.school_year

    def placements(demand) -> int:
        terms = [t for t in range(demand.from_term.ordinal, demand.to_term.ordinal + 1) if t // 2 == first_year]
        return demand.count * (len(terms) // rules.placement_terms)

    quota = {lead: math.ceil(rules.quota_rate * len(eligible_at[lead])) for lead in members}
    offered = sum(placements(d) for d in case.demands)
    assert 1.0 * sum(quota.values()) < offered < 1.7 * sum(quota.values())
    reachable = 0
    for lead, partners in members.items():
        subjects = {s for t in eligible_at[lead] for s in t.subjects}
        capacity = sum(placements(d) for m in partners for d in by_school[m] if d.subject in subjects)
        reachable += capacity >= quota[lead]
    assert reachable >= 0.85 * len(members)


# --- scenario-specific -------------------------------------------------------------------

def test_lueyang_receiving_schools_are_urgent(cases):
    case = cases["lueyang_county"]
    receiving = [s for s in case.schools if s.locality is not Locality.URBAN]
    assert all(s.priority >= 4 for s in receiving)
    assert 1000 <= len(case.teachers) <= 1800
    assert {link.program for link in case.links} == {"学区", "教育集团"}


def test_tianjin_teams_go_together_from_one_school(cases):
    case = cases["tianjin_pairing"]
    assert case.settings["placement_terms"] == "1"
    assert 1500 <= len(case.teachers) <= 3000
    teams = defaultdict(list)
    for teacher in case.teachers:
        if teacher.team_id:
            teams[teacher.team_id].append(teacher)
    assert len(teams) >= 10
    members = _members(case)
    eligible = {t.teacher_id for t in _eligible(case)}
    for team in teams.values():
        assert 3 <= len(team) <= 5
        assert len({t.available_from for t in team} | {t.available_to for t in team}) == 1  # no windows
        assert len({t.school_id for t in team}) == 1
        assert all(t.teacher_id in eligible and t.spouse_id is None for t in team)
        # Some partner school needs every member's subject at once.
        home = team[0].school_id
        hosts = [m for m in members[home]
                 if all(any(d.school_id == m and d.subject in t.subjects for d in case.demands) for t in team)]
        assert hosts
        assert any((case.school(m).host_capacity or len(team)) >= len(team) for m in hosts)


def test_tianjin_receiving_regions_are_listed_without_staff(cases):
    case = cases["tianjin_pairing"]
    staffed = {t.school_id for t in case.teachers}
    receiving = [s for s in case.schools if s.locality is not Locality.URBAN]
    assert not staffed & {s.school_id for s in receiving}
    assert {"会宁县", "围场县", "墨玉县", "泽库县"} <= {s.county for s in receiving}
    assert all(s.lon < 119 for s in receiving) and min(s.lon for s in receiving) < 82  # 和田 lies far west


# --- scale -------------------------------------------------------------------------------

def test_scale_repeats_the_counties_with_unique_ids():
    single, triple = generate_case(LUEYANG), generate_case(LUEYANG, 3)
    assert len(triple.schools) == 3 * len(single.schools)
    assert 2.7 <= len(triple.teachers) / len(single.teachers) <= 3.3
    assert len({t.teacher_id for t in triple.teachers}) == len(triple.teachers)
    assert len({s.school_id for s in triple.schools}) == len(triple.schools)
    assert {s.county for s in triple.schools} == {"略阳县", "略阳县·2", "略阳县·3"}
    for link in triple.links:  # pairing stays inside each copy of the county
        assert triple.school(link.lead_school_id).county == triple.school(link.member_school_id).county
    for teacher in triple.teachers:
        if teacher.spouse_id:
            assert triple.home_school(teacher).county == triple.home_school(triple.spouse(teacher)).county


@pytest.mark.slow
def test_a_province_size_case_takes_seconds():
    started = time.perf_counter()
    case = generate_case(DATONG, 20)
    assert len(case.teachers) >= 100_000
    assert time.perf_counter() - started < 10


# --- the TOML format ---------------------------------------------------------------------

def test_scenario_rejects_unknown_settings_and_counties(tmp_path):
    text = DATONG.read_text(encoding="utf-8")
    bad_setting = tmp_path / "bad_setting.toml"
    bad_setting.write_text(text.replace('min_years = "6"', 'min_yeers = "6"'), encoding="utf-8")
    with pytest.raises(ValueError, match="min_yeers"):
        load_scenario(bad_setting)
    bad_county = tmp_path / "bad_county.toml"
    bad_county.write_text(text.replace('leads = ["平城区", "云冈区"]', 'leads = ["平城区", "云岗区"]'), encoding="utf-8")
    with pytest.raises(ValueError, match="云岗区"):
        load_scenario(bad_county)


def test_scenario_names_a_missing_school_size(tmp_path):
    path = tmp_path / "no_size.toml"
    text = LUEYANG.read_text(encoding="utf-8")
    path.write_text(text.replace("senior = [50, 75]\n", ""), encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[staff.town\] gives no size for senior"):
        load_scenario(path)


def test_stage_keys_may_be_written_in_chinese(tmp_path):
    path = tmp_path / "zh.toml"
    text = LUEYANG.read_text(encoding="utf-8")
    path.write_text(text.replace("rural = { primary = 18,", 'rural = { "小学" = 18,'), encoding="utf-8")
    assert load_scenario(path).county("略阳县").rural[Stage.PRIMARY] == 18
