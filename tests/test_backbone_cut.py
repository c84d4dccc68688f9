"""The backbone share's rounding cut (`BackboneShare._rounding_cut`): on the 交流总数 base a unit that
meets its quota of three rotates a whole backbone teacher, not 0.6 of one. The cut must never
forbid a plan (every choice of a small case obeys it, each missing count at its least), and it
must tell the LP relaxation what the rounding hides (the LP bound of level 1 reaches the plan)."""

from __future__ import annotations

from itertools import combinations

import pytest

from cases import case, need, placed, run, rural, settings, teacher, urban
from rule_verifier import Recorder, RuleVerifier
from scheduler.model.lp_guide import LpGuide
from scheduler.model.solve import build
from scheduler.model.builder import level_terms
from scheduler.rules import RULE_BY_ID
from scheduler.rules.base import WEIGHT_SCALE
from scheduler.rules.context import Context


def school_of(eligible: int, backbone: int, home: str = "U1"):
    """`eligible` teachers at `home`, the first `backbone` of them backbone teachers."""
    return [teacher(f"{home}-{k}", home, backbone=k < backbone) for k in range(eligible)]


def both_rules(c, s, placements) -> Recorder:
    """The quota and the backbone share built together over exactly these placements."""
    verify = RuleVerifier("backbone", c, s)
    recorder = Recorder(verify.ctx, verify._options(tuple(placements)),
                        {rule: RULE_BY_ID[rule].mode(s) for rule in ("quota", "backbone")})
    for rule in ("quota", "backbone"):
        RULE_BY_ID[rule].build(recorder)
    return recorder


@pytest.mark.parametrize("eligible, rate, share, backbone, hard", [
    (30, 0.1, 0.2, 2, False),   # the quota asks for 3, 20 % of 3 is 0.6: owed 1
    (40, 0.1, 0.2, 1, False),   # 4: owed 1
    (60, 0.1, 0.2, 3, False),   # 6: owed 2, falling to 1 when the quota is one short
    (70, 0.1, 0.15, 2, False),  # 7 at 15 %: owed 2
    (35, 0.2, 0.5, 3, False),   # 7 at 50 %: owed 4
    (50, 0.1, 0.3, 2, True),    # hard: 5 at 30 %, owed 2
])
def test_no_plan_of_a_small_unit_breaks_the_cut(eligible, rate, share, backbone, hard):
    c = case(urban("U1"), rural("R1"), *school_of(eligible, backbone), need("R1", count=20))
    s = settings(quota_rate=rate, backbone_share=share, backbone_base="交流总数", quota_hard=hard)
    # Options for the backbone teachers and seven others: every choice of them, 2^(backbone + 7).
    going = [f"U1-{k}" for k in range(backbone + 7)]
    recorder = both_rules(c, s, [placed(t, "R1") for t in going])
    assert len(recorder.cuts) == 1
    checked = 0
    for size in range(len(going) + 1):
        for chosen in combinations(range(len(going)), size):
            chosen = set(chosen)
            if recorder.broken_rows(chosen):
                continue  # a hard quota or share forbids this choice anyway
            assert not recorder.broken_cuts(chosen), sorted(going[i] for i in chosen)
            checked += 1
    assert checked >= 50  # (a hard quota and share leave 70 of the 512 choices)


def test_where_the_share_of_the_quota_is_whole_no_cut_is_made():
    c = case(urban("U1"), rural("R1"), *school_of(50, 2), need("R1", count=20))
    s = settings(quota_rate=0.1, backbone_share=0.2, backbone_base="交流总数")  # 20 % of 5 is 1
    assert both_rules(c, s, [placed("U1-0", "R1")]).cuts == []


def test_a_quota_turned_off_gets_no_cut():
    c = case(urban("U1"), rural("R1"), *school_of(30, 1), need("R1", count=20))
    s = settings(quota_rate=0.1, backbone_share=0.2, backbone_base="交流总数", modes={"quota": "off"})
    assert both_rules(c, s, [placed("U1-0", "R1")]).cuts == []


def test_the_lp_bound_of_the_quota_level_reaches_a_plan_of_units_without_backbone_staff():
    """Three schools of 30 without a backbone teacher: each must rotate 3 and then misses one
    backbone teacher (or misses three rotations), so the level-1 optimum is 3 missing. The LP with the
    share's row alone says 1.8 (0.6 a school)."""
    schools = ("U1", "U2", "U3")
    c = case(*(urban(u) for u in schools), rural("R1"), *(t for u in schools for t in school_of(30, 0, u)),
             need("R1", count=30))
    chosen = settings(quota_rate=0.1, backbone_share=0.2, backbone_base="交流总数")
    plan = run(c, quota_rate=0.1, backbone_share=0.2, backbone_base="交流总数")
    (quota_level,) = [lv for lv in plan.levels if lv.key == "quota"]
    assert quota_level.value == 3
    _, model = build(c, chosen)
    terms = list(level_terms(model)[1].items())
    relaxation = LpGuide(model.model).relax(terms, time_limit=10)
    assert relaxation is not None
    assert relaxation.lower == pytest.approx(3 * WEIGHT_SCALE)


def test_the_quota_is_built_before_the_backbone_share():
    """The cut names the quota's missing count, which exists only once the quota is built: a key not
    built yet counts 0 (`PlanModel.cut`), and the cut would then forbid plans that miss the quota."""
    from scheduler.rules import RULES
    from scheduler.rules.quota import BackboneShare, RotationQuota

    kinds = [type(rule) for rule in RULES]
    assert kinds.index(RotationQuota) < kinds.index(BackboneShare)
