"""比例范围 (quota_scope: 学校 / 学区 / 区县), WORKBOOK.md "Settings: more keys": the quota (10 % of the
eligible, rounded up) and the backbone share are counted per sending school, per 学区 (the sending
schools with the same 学校.学区 together; a sending school without a 学区 alone) or per county (its
sending schools together). Each scope bites where it should and not elsewhere, on cases with a known
answer; the audit, the diagnosis, the relaxation, the sending-school sheet and the quota chart name
the district or county."""

from __future__ import annotations

import openpyxl
import pytest

from cases import broken, case, check, need, placed, plan, run, rural, settings, short, teacher, urban
from rule_verifier import RuleVerifier
from scheduler.domain.enums import QuotaScope
from scheduler.explain.diagnosis import diagnose
from scheduler.export import write_plan_workbook
from scheduler.model import solve
from scheduler.rules import RULE_BY_ID
from scheduler.rules.context import Context
from scheduler.rules.quota import quota_rows, quota_units
from ui import plan_tables
from workbook_builder import minimal, read_sheets


def in_district(school, district: str | None, county: str = "测试县"):
    return school.model_copy(update={"district": district, "county": county})


def five_and_fifteen(*extra, need_count: int = 20):
    """A (5 eligible) and B (15 eligible), both urban in 学区 城关; R1 needs `need_count` 数学 teachers."""
    return case(in_district(urban("A"), "城关"), in_district(urban("B"), "城关"), rural("R1"),
                *(teacher(f"A{n}", "A") for n in range(1, 6)), *(teacher(f"B{n}", "B") for n in range(1, 16)),
                need("R1", count=need_count), *extra)


def rows_of(c, s, *placements):
    return quota_rows(Context(c, s), plan(*placements))


# --- the arithmetic: 5 and 15 eligible --------------------------------------------------------

def test_per_school_the_quota_is_one_plus_two_per_district_two():
    c = five_and_fifteen()
    per_school = rows_of(c, settings(quota_rate=0.1))
    assert [(r.school_id, r.eligible, r.required) for r in per_school] == [("A", 5, 1), ("B", 15, 2)]
    (district,) = rows_of(c, settings(quota_rate=0.1, quota_scope="学区"))
    assert (district.school_ids, district.eligible, district.required) == (("A", "B"), 20, 2)  # ⌈0.1 × 20⌉
    assert district.name("zh") == "城关（学区）" and district.name("en") == "城关 (district)"


def test_a_school_without_a_district_is_its_own_unit_and_the_county_takes_all():
    c = case(in_district(urban("A"), "城关"), in_district(urban("B"), None), in_district(urban("C"), "城关"),
             in_district(urban("D"), "东区", county="别县"), rural("R1"),
             *(teacher(f"{s}{n}", s) for s in "ABCD" for n in range(1, 4)), need("R1", count=12))
    by_district = quota_units(Context(c, settings(quota_scope="学区")))
    assert [(u.key, u.scope, u.school_ids, u.eligible) for u in by_district] == [
        ("学区:城关", QuotaScope.DISTRICT, ("A", "C"), 6), ("B", QuotaScope.SCHOOL, ("B",), 3),
        ("学区:东区", QuotaScope.DISTRICT, ("D",), 3)]
    by_county = quota_units(Context(c, settings(quota_scope="区县")))
    assert [(u.label, u.school_ids, u.eligible) for u in by_county] == [("测试县", ("A", "B", "C"), 9),
                                                                        ("别县", ("D",), 3)]


def test_rural_schools_of_a_district_are_not_in_its_quota():
    c = case(in_district(urban("A"), "城关"), in_district(rural("R1"), "城关"), teacher("A1", "A"),
             teacher("R", "R1"), need("R1"))
    (unit,) = quota_units(Context(c, settings(quota_scope="学区")))
    assert unit.school_ids == ("A",) and unit.eligible == 1


# --- the quota, solved ------------------------------------------------------------------------

def test_per_school_bites_per_district_does_not_when_one_school_cannot_send():
    """A's five teach 语文 and R1 needs 数学 only: per school A owes 1 it cannot send; per 学区, B's two cover
    the district's 2."""
    c = case(in_district(urban("A"), "城关"), in_district(urban("B"), "城关"), rural("R1"),
             *(teacher(f"A{n}", "A", "语文") for n in range(1, 6)), *(teacher(f"B{n}", "B") for n in range(1, 16)),
             need("R1", count=2))
    common = dict(quota_rate=0.1)
    per_school = run(c, **common)
    assert [(v.school_ids, v.amount) for v in short(check(c, per_school, **common), "quota")] == [(("A",), 1)]
    per_district = run(c, quota_scope="学区", **common)
    assert len(per_district.placements) == 2 and not short(check(c, per_district, quota_scope="学区", **common), "quota")


def test_hard_per_school_is_infeasible_where_per_district_solves():
    """R1 takes two; per school A and B owe 1 + 2 = 3 (no plan), per district 2 (a plan)."""
    c = five_and_fifteen(need_count=2)
    per_district = run(c, quota_rate=0.1, quota_scope="学区", quota_hard=True)
    assert len(per_district.placements) == 2
    assert solve(c, settings(quota_rate=0.1, quota_hard=True)).status == "infeasible"
    # the diagnosis bounds each school's places alone (R1's two seats for A, two for B), so it sees no
    # conflict per school (a shared need is left to the solver) and none per district
    assert not [f for f in diagnose(c, settings(quota_rate=0.1, quota_hard=True, quota_scope="学区"))
                if f.rule == "quota" and f.conflict]


# --- the audit and the diagnosis name the district --------------------------------------------

def test_the_audit_of_a_hand_edited_plan_names_the_district_and_its_schools():
    c = five_and_fifteen()
    s = settings(quota_rate=0.1, quota_scope="学区", quota_hard=True)
    report = check(c, plan(placed("A1", "R1")), quota_rate=0.1, quota_scope="学区", quota_hard=True)
    [v] = broken(report, "quota")
    assert v.school_ids == ("A", "B") and v.amount == 1
    assert "城关" in v.text.zh and "A、B" in v.text.zh and "应交流2人" in v.text.zh
    assert "城关" in v.text.en and "district" in v.text.en
    assert not RuleVerifier("quota", c, s).audit(placed("A1", "R1"), placed("B1", "R1"))


def test_the_diagnosis_names_the_district_it_cannot_fill():
    c = case(in_district(urban("A"), "城关"), in_district(urban("B"), "城关"), rural("R1"),
             *(teacher(f"A{n}", "A", "语文") for n in range(1, 11)), *(teacher(f"B{n}", "B", "语文") for n in range(1, 11)),
             need("R1"))
    [f] = [f for f in diagnose(c, settings(quota_rate=0.1, quota_hard=True, quota_scope="学区")) if f.rule == "quota"]
    assert f.conflict and f.school_ids == ("A", "B")
    assert f.text.zh.startswith("城关（学区：A、B）") and "符合条件的20名教师" in f.text.zh
    assert "城关 (district: A, B)" in f.text.en


def test_the_relaxation_says_the_scope():
    hard = settings(quota_hard=True, quota_scope="学区")
    relaxation = RULE_BY_ID["quota"].relaxation(hard)
    assert relaxation.text.zh == "把按学区计算的“交流比例”设为软约束"
    assert "per district" in relaxation.text.en
    assert RULE_BY_ID["quota"].relaxation(settings(quota_hard=True)).text.zh == "把“交流比例”设为软约束"


# --- the backbone share is counted in the same scope ------------------------------------------

def test_the_backbone_share_counts_in_the_scope():
    """A sends its backbone teacher, B four plain teachers: per school B owes ⌈20 % × 4⌉ = 1 it lacks; per
    学区 the five rotated owe 1 and have it."""
    c = five_and_fifteen(teacher("AB", "A", backbone=True))
    sent = (placed("AB", "R1"), *(placed(f"B{n}", "R1") for n in range(1, 5)))
    per_school = RuleVerifier("backbone", c, settings(backbone_share=0.2, backbone_base="交流总数"))
    assert [(v.school_ids, v.amount) for v in per_school.audit(*sent)] == [(("B",), 1)]
    per_district = RuleVerifier("backbone", c, settings(backbone_share=0.2, backbone_base="交流总数", quota_scope="学区"))
    assert not per_district.audit(*sent) and per_district.penalty(*sent) == 0
    # one more plain teacher: 6 rotated owe 2, one short, named with the district and the teachers who went
    [v] = per_district.audit(*sent, placed("B5", "R1"))
    assert v.amount == 1 and v.school_ids == ("A", "B") and "城关" in v.text.zh and "B5" in v.teacher_ids


# --- what the planner sees: the sending-school sheet and the quota chart -----------------------

def test_the_sending_sheet_and_the_quota_chart_have_one_row_per_district(tmp_path):
    c = five_and_fifteen(need_count=3)
    s = settings(quota_rate=0.1, quota_scope="学区")
    result = run(c, quota_rate=0.1, quota_scope="学区")
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(c, s, result, path)
    sheet = openpyxl.load_workbook(path)["派出学校汇总"]
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[:3] == ["范围", "名称", "派出学校"]
    assert len(rows) == 1 and rows[0][:3] == ["学区", "城关", "A（A）；B（B）"]
    assert rows[0][header.index("应交流")] == 2 and rows[0][header.index("符合条件教师")] == 20
    chart = plan_tables.quota_chart(Context(c, s), result, "zh")
    assert list(chart.columns)[0] == "学区" and list(chart.iloc[:, 0]) == ["城关（学区）"]
    per_school = plan_tables.quota_chart(Context(c, settings(quota_rate=0.1)), result, "en")
    assert list(per_school.columns)[0] == "school" and list(per_school.iloc[:, 0]) == ["A", "B"]


@pytest.mark.parametrize("scope", ["学区", "district"])
def test_the_workbook_column_and_setting_reach_the_quota(scope):
    sheets = minimal()
    sheets["学校"] = [["学校编号", "学校名称", "区县", "城乡类型", "学段", "学区"],
                      ["S1", "城关小学", "略阳县", "城区", "小学", "城关学区"],
                      ["S3", "城关二小", "略阳县", "城区", "小学", "城关学区"],
                      ["S2", "白水江小学", "略阳县", "乡村", "小学", ""]]
    sheets["设置"] = [["参数", "值"], ["比例范围", scope]]
    loaded = read_sheets(sheets)
    assert loaded.ok, loaded.report
    ctx = Context(loaded.case, loaded.settings)
    # S3 has no teacher: it owes nothing alone, but its rotations would count for its district
    assert [(u.key, u.school_ids, u.eligible) for u in quota_units(ctx)] == [("学区:城关学区", ("S1", "S3"), 2)]


def test_the_school_story_says_whose_figures_and_the_diagnosis_a_way_out_for_the_district():
    from scheduler.explain.why import school_story

    c = five_and_fifteen(need_count=3)
    s = settings(quota_rate=0.1, quota_scope="学区")
    result = run(c, quota_rate=0.1, quota_scope="学区")
    story = [line.zh for line in school_story(Context(c, s), result, "A")]
    assert any(line.startswith("2026-2027学年（学区“城关”合计）：符合条件20人，应交流2人") for line in story), story
    lone = [line.zh for line in school_story(Context(c, settings(quota_rate=0.1)), result, "A")]
    assert any(line.startswith("2026-2027学年：符合条件5人，应交流1人") for line in lone), lone
    stuck = case(in_district(urban("A"), "城关"), in_district(urban("B"), "城关"), rural("R1"),
                 *(teacher(f"A{n}", "A", "语文") for n in range(1, 11)), need("R1"))
    [f] = [f for f in diagnose(stuck, settings(quota_rate=0.1, quota_scope="学区")) if f.rule == "quota"]
    assert not f.conflict and "该学区各校" in f.relax.zh and "the district's schools" in f.relax.en


def test_per_county_bites_where_per_school_does_not_and_the_other_way():
    """Per county, A (5 eligible, all 语文) and B (15) owe ⌈10 % × 20⌉ = 2 together; B's two cover it, where
    per school A's 1 is short. C, in another county, owes its own 1 whatever the other county sends."""
    c = case(urban("A"), urban("B"), in_district(urban("C"), None, county="别县"), rural("R1"),
             *(teacher(f"A{n}", "A", "语文") for n in range(1, 6)), *(teacher(f"B{n}", "B") for n in range(1, 16)),
             *(teacher(f"C{n}", "C", "语文") for n in range(1, 4)), need("R1", count=2))
    per_county = run(c, quota_rate=0.1, quota_scope="区县")
    [v] = short(check(c, per_county, quota_rate=0.1, quota_scope="区县"), "quota")
    assert v.school_ids == ("C",) and v.amount == 1 and "别县（区县：C）" in v.text.zh
    per_school = run(c, quota_rate=0.1)
    assert sorted((x.school_ids, x.amount) for x in short(check(c, per_school, quota_rate=0.1), "quota")) == [
        (("A",), 1), (("C",), 1)]
