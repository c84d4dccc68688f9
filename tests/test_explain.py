"""Explanations on hand-made cases whose conflict is known: the diagnosis names exactly the right
schools and teachers, each suggested relaxation applied makes the case solvable, why-not agrees
with an actual re-solve, and the command line prints the same in a planner's terminal.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from plan_counts import count
from cases import FALL, SPRING, case, link, need, pin, plan, rural, settings, teacher, urban, where
from scheduler.rules.context import Context
from scheduler.domain.models import Case, Teacher
from scheduler.domain.settings import settings_from
from scheduler.explain import diagnose, explain_infeasible, school_story, why_placed
from scheduler.explain.why_not import why_not
from scheduler.model import solve
from scheduler.rules import RULES
from scheduler.workbook import read_paths, write_case

REPO = Path(__file__).resolve().parents[1]
LUEYANG = REPO / "sample_data" / "lueyang_county.xlsx"
SOLVED = ("optimal", "feasible")


def named(item, name: str):
    """A school or teacher from `cases` under a planner's name (the builders use the id as name)."""
    return item.model_copy(update={"name": name})


def conflicts(c: Case, s) -> list:
    return [f for f in diagnose(c, s) if f.conflict]


def relaxation_texts(c: Case, s, lang: str = "en") -> list[str]:
    report = explain_infeasible(c, s)
    assert report.feasible is False
    return [r.get(lang) for r in report.relaxations]


def mentions(finding, lang: str = "en") -> str:
    return finding.text.get(lang)


# --- 1. a hard quota no linked need can absorb ----------------------------------------------

def quota_case(*extra) -> Case:
    """城区一小 (U1) is linked only to R1, which needs 语文; its one teacher teaches 数学. R2 needs 数学
    but is not linked. U2 is an unrelated sending school that meets its quota through R3."""
    return case(named(urban("U1"), "城区一小"), named(urban("U2"), "城区二小"), rural("R1"), rural("R2"), rural("R3"),
                teacher("T1", "U1"), teacher("T2", "U2"),
                need("R1", "语文"), need("R2"), need("R3"),
                link("U1", "R1"), link("U2", "R3"), *extra)


HARD_QUOTA = {"quota_rate": 1.0, "pairing_mode": "strict", "modes": {"quota": "hard"}}


def test_a_hard_quota_no_linked_need_absorbs_names_that_school_only():
    c, s = quota_case(), settings(**HARD_QUOTA)
    assert solve(c, s).status == "infeasible"
    found = conflicts(c, s)
    assert [(f.rule, f.school_ids) for f in found] == [("quota", ("U1",))]
    assert "城区一小" in mentions(found[0], "zh") and "城区二小" not in mentions(found[0], "zh")
    assert "only 0 of them can reach a linked school" in mentions(found[0])
    assert found[0].relax is not None
    report = explain_infeasible(c, s)
    assert report.feasible is False
    assert {school for f in report.findings for school in f.school_ids} == {"U1"}
    assert [r.en for r in report.relaxations] == ["set rotation quota to soft", "set pairing links to soft"]
    assert "把“交流比例”设为软约束" in "\n".join(report.lines("zh"))


def test_each_suggested_quota_relaxation_makes_the_case_solvable():
    c = quota_case()
    soft_quota = solve(c, settings(quota_rate=1.0, pairing_mode="strict", modes={"quota": "soft"}))
    assert soft_quota.status in SOLVED
    prefer = solve(c, settings(**{**HARD_QUOTA, "pairing_mode": "prefer"}))
    assert prefer.status in SOLVED
    assert where(prefer) == {"T1": "R2", "T2": "R3"}  # the unlinked need absorbs U1's rotation
    # rule:pairing=soft is the same relaxation as the report words it
    assert solve(c, settings(quota_rate=1.0, pairing_mode="strict", modes={"quota": "hard", "pairing": "soft"})
                 ).status in SOLVED


def test_a_linked_need_too_small_for_the_quota_is_found_before_solving():
    # U1 must rotate both its teachers, but its only linked school needs one 数学 teacher.
    c = case(named(urban("U1"), "城区一小"), urban("U2"), rural("R1"), rural("R2"),
             teacher("T1", "U1"), teacher("T2", "U1"), teacher("T3", "U2"),
             need("R1"), need("R2"), link("U1", "R1"), link("U2", "R2"))
    s = settings(**HARD_QUOTA)
    assert solve(c, s).status == "infeasible"
    found = conflicts(c, s)
    assert [(f.rule, f.school_ids) for f in found] == [("quota", ("U1",))]
    assert "can take at most 1 of its teachers" in mentions(found[0])
    assert "set rotation quota to soft" in relaxation_texts(c, s)
    assert solve(c, settings(quota_rate=1.0, pairing_mode="strict")).status in SOLVED


def test_a_team_that_cannot_go_makes_a_hard_quota_fail_and_both_are_named():
    c = case(urban("U1"), urban("U2"), rural("R1"), rural("R2"), rural("R3"),
             teacher("T1", "U1", team="A"), teacher("T2", "U1", "语文", team="A"), teacher("T3", "U1"),
             teacher("T4", "U2"), need("R1"), need("R2", "语文"), need("R3", count=2))
    s = settings(quota_rate=1.0, modes={"quota": "hard"})
    found = conflicts(c, s)
    assert {(f.rule, f.school_ids, f.teacher_ids) for f in found} == {
        ("quota", ("U1",), ()), ("team_dispatch", (), ("T1", "T2"))}
    relaxations = relaxation_texts(c, s)
    assert relaxations == ["set rotation quota to soft", "set team dispatch to off"]
    assert solve(c, settings(quota_rate=1.0, modes={"quota": "hard", "team_dispatch": "off"})).status in SOLVED


# --- 2. two teammates no school can host together --------------------------------------------

def team_case(*extra) -> Case:
    """Team A: 张老师 (数学) and 李老师 (语文); R1 needs only 数学, R2 only 语文. Team B can go together."""
    return case(urban("U1"), rural("R1"), rural("R2"), rural("R3"),
                named(teacher("T1", "U1", team="A"), "张老师"), named(teacher("T2", "U1", "语文", team="A"), "李老师"),
                named(teacher("T3", "U1"), "王老师"),
                teacher("T4", "U1", team="B"), teacher("T5", "U1", team="B"),
                need("R1"), need("R2", "语文"), need("R3", count=2), *extra)


def test_teammates_without_a_common_school_are_named_and_no_one_else():
    c, s = team_case(), settings()
    found = [f for f in diagnose(c, s) if f.rule == "team_dispatch"]
    assert len(found) == 1
    assert found[0].teacher_ids == ("T1", "T2")
    text = mentions(found[0], "zh")
    assert "张老师" in text and "李老师" in text and "王老师" not in text and "T4" not in text
    assert found[0].conflict is False  # alone the team just stays home
    result = solve(c, s)
    assert result.status in SOLVED
    assert not {"T1", "T2"} & set(where(result))
    assert where(result)["T4"] == where(result)["T5"] == "R3"


def test_a_pinned_teammate_without_a_common_school_is_a_named_conflict():
    c, s = team_case(pin("T1", "R1")), settings()
    assert solve(c, s).status == "infeasible"
    report = explain_infeasible(c, s)
    assert [(f.rule, f.teacher_ids) for f in report.findings] == [("team_dispatch", ("T1", "T2"))]
    assert "张老师已被锁定派出" in mentions(report.findings[0], "zh")
    assert [r.en for r in report.relaxations] == ["set team dispatch to off", "remove the pin of 张老师 → R1"]
    assert solve(c, settings(modes={"team_dispatch": "off"})).status in SOLVED
    assert solve(team_case(), s).status in SOLVED  # the pin removed


# --- 3. pins that break a host capacity -------------------------------------------------------

def capacity_case(capacity: int = 1, pins: tuple = (pin("T1", "R1"), pin("T2", "R1"))) -> Case:
    return case(urban("U1"), urban("U2"), named(rural("R1", capacity=capacity), "乡村一小"), rural("R2", capacity=1),
                teacher("T1", "U1"), teacher("T2", "U2"), teacher("T3", "U1"), teacher("T4", "U2"),
                need("R1", count=2), need("R2"), *pins)


def test_pins_beyond_a_host_capacity_name_the_school_and_both_teachers():
    c, s = capacity_case(), settings()
    assert solve(c, s).status == "infeasible"
    report = explain_infeasible(c, s)
    assert [(f.rule, f.school_ids, f.teacher_ids) for f in report.findings] == [
        ("host_capacity", ("R1",), ("T1", "T2"))]
    assert mentions(report.findings[0]) == "乡村一小 hosts 1 in 2026-fall but 2 are pinned there (T1, T2)"
    assert report.findings[0].relax.en == "raise 乡村一小's host capacity to 2, or remove a pin"
    assert [r.en for r in report.relaxations] == [
        "set host capacity to off", "remove the pin of T1 → 乡村一小", "remove the pin of T2 → 乡村一小"]


@pytest.mark.parametrize("relaxed, chosen", [
    (capacity_case(capacity=2), settings()),  # raise the capacity
    (capacity_case(pins=(pin("T1", "R1"),)), settings()),  # remove a pin
    (capacity_case(), settings(modes={"host_capacity": "off"})),  # host capacity off
], ids=["raise capacity", "remove a pin", "capacity off"])
def test_each_capacity_relaxation_makes_the_case_solvable(relaxed, chosen):
    result = solve(relaxed, chosen)
    assert result.status in SOLVED
    assert where(result)["T1"] == "R1"


def test_pins_without_a_start_that_can_take_turns_are_no_conflict():
    # Two school years of need: the pinned teachers can go one after the other (regression: the
    # diagnosis assumed both start in the first term and reported a false conflict).
    c = case(urban("U1"), urban("U2"), rural("R1", capacity=1), teacher("T1", "U1"), teacher("T2", "U2"),
             need("R1", first=FALL, last="2028春"), pin("T1", "R1"), pin("T2", "R1"))
    assert conflicts(c, settings()) == []
    assert solve(c, settings()).status in SOLVED
    # pinned to the same start they do clash
    clash = c.model_copy(update={"pins": [pin("T1", "R1", FALL), pin("T2", "R1", SPRING)]})
    found = conflicts(clash, settings())
    assert [(f.rule, f.teacher_ids) for f in found] == [("host_capacity", ("T1", "T2"))]
    assert solve(clash, settings()).status == "infeasible"


# --- 4. a pin a hard rule forbids -----------------------------------------------------------

def test_a_pin_eligibility_forbids_quotes_the_reason_with_the_name():
    base = [urban("U1"), rural("R1"), rural("R2"), named(teacher("T1", "U1", years=2), "李明"), teacher("T2", "U1"),
            need("R1"), need("R2")]
    c, s = case(*base, pin("T1", "R1")), settings()
    assert solve(c, s).status == "infeasible"
    report = explain_infeasible(c, s)
    assert [(f.rule, f.teacher_ids, f.school_ids) for f in report.findings] == [("pins", ("T1",), ("R1",))]
    assert "李明在本校任教2年，不足6年（交流资格）" in mentions(report.findings[0], "zh")
    assert "李明 has 2 years at the school, fewer than 6 (eligibility)" in mentions(report.findings[0])
    assert [r.en for r in report.relaxations] == ["remove the pin of 李明 → R1"]
    assert solve(case(*base), s).status in SOLVED


# --- 5. why not -----------------------------------------------------------------------------

def why_not_case(*extra) -> Case:
    """T1 fills R1 (priority 5) rather than R2; R3 needs 数学 but is not linked to U1."""
    return case(urban("U1"), rural("R1", priority=5), rural("R2"), named(rural("R3"), "乡村三小"),
                teacher("T1", "U1"), need("R1"), need("R2"), need("R3"),
                link("U1", "R1"), link("U1", "R2"), *extra)


def test_why_not_costs_agree_with_a_re_solve_with_the_placement_pinned():
    c, s = why_not_case(), settings(pairing_mode="strict")
    current = solve(c, s)
    assert where(current) == {"T1": "R1"}
    answer = why_not(c, s, current, "T1", "R2")
    assert answer.forbidden_by == []
    assert answer.forced_plan is not None and where(answer.forced_plan) == {"T1": "R2"}
    resolved = solve(why_not_case(pin("T1", "R2")), s)
    assert [(name.en, now, forced) for name, now, forced in answer.costs] == [
        (level.en, before.value, level.value) for before, level in zip(current.levels, resolved.levels)]
    need_now, need_forced = next((now, forced) for name, now, forced in answer.costs if name.en.startswith("unmet"))
    assert need_forced - need_now == 8  # R1's need (priority 5) instead of R2's (1), two terms each
    assert answer.lines("en")[-1] == "the first level to get worse is unmet subject need (weighted), by 8"


def test_why_not_prices_a_plan_read_back_without_levels():
    # A plan from a workbook carries no level values: they are computed, not shown as nan.
    c, s = why_not_case(), settings(pairing_mode="strict")
    current = solve(c, s)
    read_back = why_not(c, s, plan(*current.placements), "T1", "R2")
    assert read_back.costs == why_not(c, s, current, "T1", "R2").costs
    assert [now for _, now, _ in read_back.costs] == [level.value for level in current.levels]


def test_why_not_a_school_the_pairing_forbids_quotes_the_rule_and_does_not_solve(monkeypatch):
    c, s = why_not_case(), settings(pairing_mode="strict")
    current = solve(c, s)

    def no_solve(*args, **kwargs):
        raise AssertionError("a forbidden placement needs no re-solve")
    monkeypatch.setattr(importlib.import_module("scheduler.explain.why_not"), "solve", no_solve)
    answer = why_not(c, s, current, "T1", "R3")
    assert answer.forced_plan is None and answer.costs == []
    assert [t.en for t in answer.forbidden_by] == ["T1's school U1 and 乡村三小 are not linked (rule: pairing links)"]
    assert "（规则：结对关系）" in answer.lines("zh")[0]


def test_why_not_a_placement_the_other_pins_leave_no_room_for():
    # Allowed on its own, but R1's one bed is pinned to T2: forcing T1 there has no plan (regression:
    # the answer said "no worse").
    c = case(urban("U1"), rural("R1", capacity=1), rural("R2"), teacher("T1", "U1"), teacher("T2", "U1"),
             need("R1", count=2), need("R2"), pin("T2", "R1"))
    s = settings()
    current = solve(c, s)
    answer = why_not(c, s, current, "T1", "R1")
    assert answer.forced_plan is not None and answer.forced_plan.status == "infeasible"
    assert answer.lines("en") == ["with T1 forced to R1 no plan exists: R1 hosts 1 in 2026-fall but 2 are pinned "
                                  "there (T2, T1)"]


# --- 6. why a placement, a school's story -----------------------------------------------------

def test_why_placed_names_the_school_the_subject_and_the_link_program():
    c = case(named(urban("U1"), "城区一小"), named(rural("R1"), "乡村小学"), named(teacher("T1", "U1"), "王芳"),
             need("R1"), link("U1", "R1", program="城乡教育共同体"))
    s = settings(pairing_mode="strict")
    result = solve(c, s)
    ctx = Context(c, s)
    lines = why_placed(ctx, result, result.by_teacher()["T1"])
    zh, en = "\n".join(t.zh for t in lines), "\n".join(t.en for t in lines)
    assert "填补乡村小学2026秋至2027春的数学需求" in zh
    assert "fills 乡村小学's math need 2026-fall to 2027-spring" in en
    assert "城区一小与乡村小学同属“城乡教育共同体”结对" in zh
    assert "城区一小 and 乡村小学 are linked (城乡教育共同体)" in en
    leaves = "\n".join(t.en for t in school_story(ctx, result, "U1"))
    arrives = "\n".join(t.zh for t in school_story(ctx, result, "R1"))
    assert "王芳 (数学) goes to 乡村小学 from 2026-fall" in leaves
    assert "王芳（数学）2026秋起从城区一小来" in arrives


def test_why_placed_says_when_a_placement_uses_no_link():
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1"), need("R1"))
    s = settings(pairing_mode="prefer")
    result = solve(c, s)
    lines = why_placed(Context(c, s), result, result.by_teacher()["T1"])
    assert "U1 and R1 are not linked (the pairing mode allows it)" in [t.en for t in lines]


# --- 7. every rule explains a solved sample ---------------------------------------------------

@pytest.fixture(scope="module")
def lueyang():
    c = read_paths([LUEYANG]).case
    assert c is not None
    s = settings_from(c.settings)
    result = solve(c, s)
    assert result.status in SOLVED
    return c, s, result


def test_every_rule_explains_the_solved_sample_in_both_languages(lueyang):
    """A rule that only states itself says its own doc; a rule with figures gives the figures
    counted the long way from the case and the placements."""
    c, s, result = lueyang
    ctx = Context(c, s)
    n = count(ctx, result)
    assert 0 < n.backbone_years_met < n.rotating_years and 0 < n.need_filled < n.need_total  # a sample worth testing on
    figures = {
        "pairing": (f"{n.placements}人中{n.linked_placements}人去结对学校",
                    f"{n.linked_placements} of {n.placements} go to a linked school"),
        "quota": (f"{n.school_years}个学校学年中{n.school_years_meeting_quota}个达到交流比例",
                  f"{n.school_years_meeting_quota} of {n.school_years} school-years meet the quota"),
        "backbone": (f"交流{n.placements}人中骨干{n.backbone_placed}人；{n.rotating_years}个学校学年中"
                     f"{n.backbone_years_met}个达到骨干比例",
                     f"{n.backbone_placed} of {n.placements} rotated are backbone; {n.backbone_years_met} of "
                     f"{n.rotating_years} school-years meet the share"),
        "need": (f"需求{n.need_total}人·学期，已满足{n.need_filled}；其中音体美{n.arts_need}，已满足{n.arts_filled}",
                 f"{n.need_filled} of {n.need_total} needed teacher-terms filled; music/PE/art {n.arts_filled} of "
                 f"{n.arts_need}"),
        "links_alive": (f"{n.link_years}个结对学年中{n.link_years_alive}个达到最少派出人数",
                        f"{n.link_years_alive} of {n.link_years} link-years meet their minimum"),
        "wishes": (f"填报志愿的{n.with_wishes}名交流教师中{n.first_wish}人去第一志愿，{n.any_wish}人去所填志愿之一",
                   f"of {n.with_wishes} placed teachers with wishes, {n.first_wish} got their first, {n.any_wish} "
                   f"one of theirs"),
    }
    for rule in RULES:
        explanation = rule.explain(ctx, result)
        assert explanation.rule == rule.id
        expected = figures.get(rule.id, (f"{rule.zh}：{rule.zh_doc}", f"{rule.en}: {rule.en_doc}"))
        assert (explanation.headline.zh, explanation.headline.en) == expected, rule.id


# --- 8. the command line --------------------------------------------------------------------

def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scheduler", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_cli_explains_a_placed_teacher_of_the_sample(lueyang):
    c, _, result = lueyang
    placement = result.placements[0]
    who: Teacher = c.teacher(placement.teacher_id)
    done = run("explain", LUEYANG, "--teacher", who.teacher_id)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"== 为什么安排{who.name} ==" in done.stdout
    assert c.school(placement.school_id).name in done.stdout


def test_cli_explain_of_an_infeasible_workbook_exits_1_with_the_relaxation(tmp_path):
    c = quota_case().model_copy(update={"settings": {"quota_rate": "100%", "pairing_mode": "严格",
                                                     "rule:quota": "hard"}})
    workbook = tmp_path / "quota.xlsx"
    write_case(c, workbook)
    done = run("explain", workbook)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "城区一小：按100%的比例" in done.stdout and "城区二小" not in done.stdout
    assert "以下任一调整可得到可行方案：" in done.stdout
    assert "- 把“交流比例”设为软约束" in done.stdout
    english = run("--lang", "en", "explain", workbook)
    assert english.returncode == 1
    assert "- set rotation quota to soft" in english.stdout


def test_score_breakdown_matches_the_solver_levels_on_a_sample():
    from scheduler.rules.context import Context
    from scheduler.explain import score_breakdown
    from scheduler.workbook import read_paths

    case = read_paths([Path(__file__).resolve().parents[1] / "sample_data" / "lueyang_county.xlsx"]).case
    settings = settings_from(case.settings)
    plan = solve(case, settings)
    lines = score_breakdown(Context(case, settings), plan)
    by_level: dict[int, float] = {}
    for line in lines:
        by_level[line.level] = by_level.get(line.level, 0) + line.amount
    levels = {level.key: level.value for level in plan.levels}
    assert by_level[1] == levels["quota"] and by_level[2] == levels["need"]
