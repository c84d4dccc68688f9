"""骨干比例基数 (backbone_base) and 骨干认定 (backbone_counts), WORKBOOK.md "Settings: more keys":
what the backbone share is a share of, and who counts for it. Each base bites where it should and
not elsewhere, the Pucheng rule (15 %; 名师 + 高级 + 一级 ≥ 30 % of those rotated) gives its exact
count, and the rule's model agrees with its audit on every choice of a small case."""

from __future__ import annotations

from itertools import combinations

import pytest

from cases import case, need, placed, run, rural, settings, teacher, urban, where
from rule_verifier import RuleVerifier
from scheduler.domain import Title
from scheduler.domain.enums import BackboneLevel
from scheduler.domain.settings import BackboneBase, BackboneCount, check_setting, parse_value, setting_keys
from scheduler.plan import Plan
from scheduler.rules import RULE_BY_ID
from scheduler.rules.base import WEIGHT_SCALE
from scheduler.rules.context import Context
from scheduler.rules.quota import counts_as_backbone, quota_rows


def three_at_u1(*extra):
    """U1: T1 (backbone), T3, T4 eligible; R1 needs five. 10 % of 3 eligible: the quota asks for 1."""
    return case(urban("U1"), rural("R1"), teacher("T1", "U1", backbone=True), teacher("T3", "U1"),
                teacher("T4", "U1"), need("R1", count=5), *extra)


THREE = (placed("T1", "R1"), placed("T3", "R1"), placed("T4", "R1"))
HARD = {"backbone": "hard"}


def row(c, s, *placements):
    (r,) = [r for r in quota_rows(Context(c, s), Plan(list(placements), status="edited")) if r.school_id == "U1"]
    return r


# --- the settings themselves ------------------------------------------------------------------

def test_the_keys_and_values_are_the_workbooks():
    assert setting_keys()["骨干比例基数"] == "backbone_base" and setting_keys()["骨干认定"] == "backbone_counts"
    assert parse_value("backbone_base", "交流总数") is BackboneBase.ROTATED
    assert parse_value("backbone_base", "应交流数") is BackboneBase.QUOTA
    assert parse_value("backbone_base", "符合条件数") is BackboneBase.ELIGIBLE
    assert parse_value("backbone_counts", "骨干,高级,一级") == (
        BackboneCount.BACKBONE, BackboneCount.SENIOR, BackboneCount.FIRST)
    assert parse_value("backbone_counts", "名师、正高级") == (BackboneCount.MASTER, BackboneCount.FULL_SENIOR)
    assert check_setting("backbone_counts", "") and check_setting("backbone_counts", "校长")
    assert check_setting("backbone_base", "全部")
    assert {"backbone_base", "backbone_counts"} <= set(RULE_BY_ID["backbone"].settings_keys)


def test_who_counts_follows_the_list():
    s = settings(backbone_counts="名师,高级,一级")
    master = teacher("M", "U1", backbone=True).model_copy(update={"backbone_level": BackboneLevel.MASTER})
    county = teacher("C", "U1", backbone=True).model_copy(update={"backbone_level": BackboneLevel.COUNTY})
    senior = teacher("S", "U1").model_copy(update={"title": Title.SENIOR})
    full = teacher("F", "U1").model_copy(update={"title": Title.FULL_SENIOR})
    assert [counts_as_backbone(s, t) for t in (master, county, senior, full)] == [True, False, True, False]
    default = settings()
    assert [counts_as_backbone(default, t) for t in (master, county, senior, full)] == [True, True, False, False]
    assert counts_as_backbone(settings(backbone_counts="正高级,高级"), full)


# --- 交流总数: extra rotations raise what is owed ----------------------------------------------

def test_on_the_rotated_base_extra_rotations_ask_for_more_backbone_than_the_quota():
    c = three_at_u1()
    on_quota = settings(quota_rate=0.1, backbone_share=0.5, backbone_base="应交流数", modes=HARD)
    on_rotated = settings(quota_rate=0.1, backbone_share=0.5, backbone_base="交流总数", modes=HARD)
    assert row(c, on_quota, *THREE).backbone_required == 1  # 50 % of the 1 the quota asks for
    assert row(c, on_rotated, *THREE).backbone_required == 2  # 50 % of the 3 rotated, rounded up
    assert not RuleVerifier("backbone", c, on_quota).forbids(*THREE)
    verify = RuleVerifier("backbone", c, on_rotated)
    assert verify.forbids(*THREE)
    assert [v.amount for v in verify.audit(*THREE)] == [1]
    assert not verify.forbids(*THREE[:2]) and not verify.audit(*THREE[:2])  # 1 of 2 is 50 %
    assert verify.forbids(*THREE[1:])  # 0 of 2


def test_the_solver_sends_fewer_where_the_rotated_base_binds():
    c = three_at_u1()
    common = dict(quota_rate=0.1, backbone_share=0.5, modes=HARD)
    assert len(where(run(c, backbone_base="应交流数", **common))) == 3  # the need takes all three
    assert sorted(where(run(c, backbone_base="交流总数", **common))) in (["T1", "T3"], ["T1", "T4"])


# --- 符合条件数: a share of the eligible, whatever is rotated -----------------------------------

def test_on_the_eligible_base_ten_eligible_at_15_percent_owe_two_a_year():
    c = case(urban("U1"), rural("R1"), need("R1", count=10),
             *(teacher(f"T{n}", "U1", backbone=n <= 2) for n in range(1, 11)))
    s = settings(quota_rate=0.1, backbone_share=0.15, backbone_base="符合条件数")
    b1, b2, plain = placed("T1", "R1"), placed("T2", "R1"), placed("T3", "R1")
    assert row(c, s, plain).backbone_required == 2 and row(c, s, plain).required == 1
    verify = RuleVerifier("backbone", c, s)
    assert verify.penalty(plain, among=(b1, b2)) == 2 * WEIGHT_SCALE
    assert verify.penalty(b1, among=(b2,)) == WEIGHT_SCALE
    assert verify.penalty(b1, b2) == 0
    assert [v.amount for v in verify.audit(plain)] == [2] and [v.amount for v in verify.audit(b1)] == [1]
    assert not verify.audit(b1, b2)


# --- Pucheng: 15 %; 名师 + 高级 + 一级 ≥ 30 % of those rotated ---------------------------------

PUCHENG = dict(quota_rate=0.15, backbone_share=0.30, backbone_base="交流总数", backbone_counts="名师,高级,一级")


def pucheng_case():
    """U1: 20 eligible, so the 15 % quota asks for 3. M is a 名师, S 高级, F 一级, Z 正高级, C a county
    backbone teacher; P1..P15 have no title."""
    named = [teacher("M", "U1", backbone=True).model_copy(update={"backbone_level": BackboneLevel.MASTER}),
             teacher("S", "U1").model_copy(update={"title": Title.SENIOR}),
             teacher("F", "U1").model_copy(update={"title": Title.FIRST}),
             teacher("Z", "U1").model_copy(update={"title": Title.FULL_SENIOR}),
             teacher("C", "U1", backbone=True).model_copy(update={"backbone_level": BackboneLevel.COUNTY})]
    return case(urban("U1"), rural("R1"), need("R1", count=20), *named,
                *(teacher(f"P{n}", "U1") for n in range(1, 16)))


def test_the_pucheng_rule_is_expressed_exactly():
    c, s = pucheng_case(), settings(**PUCHENG, modes=HARD)
    seven = [placed(t, "R1") for t in ("M", "S", "F", "Z", "C", "P1", "P2")]
    r = row(c, s, *seven)
    assert (r.eligible, r.required, r.rotated, r.backbone_rotated, r.backbone_required) == (20, 3, 7, 3, 3)
    verify = RuleVerifier("backbone", c, s)
    assert not verify.forbids(*seven) and not verify.audit(*seven)  # 3 of 7 ≥ 30 % (2.1 → 3)
    swapped = [placed(t, "R1") for t in ("M", "P3", "F", "Z", "C", "P1", "P2")]  # 高级 S stays home
    assert verify.forbids(*swapped) and [v.amount for v in verify.audit(*swapped)] == [1]
    six = [placed(t, "R1") for t in ("M", "F", "Z", "C", "P1", "P2")]
    assert not verify.forbids(*six)  # 2 of 6 = 30 % exactly (1.8 → 2)
    # the quota: 15 % of 20 = 3 a school year
    assert RuleVerifier("quota", c, s).audit(*six) == []


# --- the model agrees with the audit on every choice ------------------------------------------

AGREE = [("交流总数", HARD), ("应交流数", HARD), ("符合条件数", HARD), ("交流总数", None), ("应交流数", None),
         ("符合条件数", None)]


@pytest.mark.parametrize("base, modes", AGREE, ids=[f"{b}-{'hard' if m else 'soft'}" for b, m in AGREE])
def test_the_model_and_the_audit_agree_on_every_choice(base, modes):
    c = case(urban("U1"), rural("R1"), need("R1", count=6), teacher("T1", "U1", backbone=True),
             teacher("T2", "U1", backbone=True), *(teacher(f"T{n}", "U1") for n in range(3, 7)))
    s = settings(quota_rate=0.34, backbone_share=0.4, backbone_base=base, modes=modes)  # quota: 3 of 6
    verify = RuleVerifier("backbone", c, s)
    options = [placed(f"T{n}", "R1") for n in range(1, 7)]
    for k in range(len(options) + 1):
        for chosen in combinations(options, k):
            among = tuple(o for o in options if o not in chosen)
            short = sum(v.amount for v in verify.audit(*chosen))
            if modes:
                assert bool(verify.model(*chosen, *among).broken_rows(set(range(len(chosen))))) == (short > 0), chosen
            else:
                assert verify.penalty(*chosen, among=among) == short * WEIGHT_SCALE, chosen


def test_on_the_rotated_base_the_soft_cost_is_exact_beyond_the_quota():
    """Soft, the rotated base is priced on every teacher rotated (⌈share × rotated⌉ − backbone), not
    on the quota's rotations only: sending one more than the quota asks can cost a backbone teacher."""
    c = three_at_u1()
    s = settings(quota_rate=0.3, backbone_share=0.5, backbone_base="交流总数")  # the quota asks for 1 of 3
    verify = RuleVerifier("backbone", c, s)
    for k in range(4):
        for chosen in combinations(THREE, k):
            among = tuple(o for o in THREE if o not in chosen)
            assert verify.penalty(*chosen, among=among) == sum(v.amount for v in verify.audit(*chosen)) * WEIGHT_SCALE
    assert verify.penalty(*THREE[1:], among=THREE[:1]) == 1 * WEIGHT_SCALE  # 0 of 2 rotated: owes 1
    assert verify.penalty(*THREE) == 1 * WEIGHT_SCALE  # 1 backbone of 3 rotated: ⌈1.5⌉ = 2 owed
    assert verify.penalty(*THREE[:2], among=THREE[2:]) == 0  # 1 of 2: ⌈1⌉ = 1 owed
