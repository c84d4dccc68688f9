"""Each rule alone (tests/rule_verifier.py): given these placements, the rule forbids them or not,
charges exactly this much at its level, and its audit agrees. No solver, no other rule."""

from __future__ import annotations

import pytest

from cases import FALL, case, exclude, link, need, pin, placed, rural, settings, teacher, urban
from rule_verifier import RuleVerifier
from scheduler.rules import RULES
from scheduler.rules.base import WEIGHT_SCALE

TWO_AT_R1 = (placed("T1", "R1"), placed("T2", "R1"))


def two_teachers(*extra):
    return case(urban("U1"), urban("U2"), rural("R1", capacity=1), rural("R2"),
                teacher("T1", "U1"), teacher("T2", "U2"), need("R1", count=2), need("R2"), *extra)


# --- hard rows: bites / does not bite, and the audit says the same -----------------------------

BITES = [
    ("host_capacity", two_teachers(), settings(), TWO_AT_R1),
    ("need_cap", two_teachers(), settings(), (placed("T1", "R2"), placed("T2", "R2"))),
    ("one_placement", two_teachers(), settings(), (placed("T1", "R1"), placed("T1", "R2"))),
    ("link_max", two_teachers(link("U1", "R1", max_per_year=0)), settings(), (placed("T1", "R1"),)),
    ("couples", two_teachers(teacher("T3", "U1", spouse="T1")), settings(),
     (placed("T1", "R1"), placed("T3", "R2"))),
    ("team_dispatch", two_teachers(teacher("T3", "U1", team="A"), teacher("T4", "U1", team="A")), settings(),
     (placed("T3", "R1"), placed("T4", "R2"))),
    ("pins", two_teachers(pin("T1", "R1")), settings(), (placed("T1", "R2"),)),
    ("pins", two_teachers(exclude("T1")), settings(), (placed("T1", "R2"),)),
    ("eligibility", two_teachers(teacher("T3", "U1", years=2)), settings(), (placed("T3", "R2"),)),
    ("sending_school", two_teachers(teacher("T3", "R2")), settings(), (placed("T3", "R1"),)),
    ("stage_fit", two_teachers(rural("R3", "junior"), need("R3")), settings(), (placed("T1", "R3"),)),
    ("pairing", two_teachers(link("U1", "R2")), settings(pairing_mode="strict"), (placed("T1", "R1"),)),
    ("subject_fit", two_teachers(need("R2", "语文")), settings(), (placed("T1", "R2", "语文"),)),
    ("time_window", two_teachers(), settings(), (placed("T1", "R1", start="2027春"),)),
    ("links_alive", two_teachers(link("U1", "R2", min_per_year=1)), settings(modes={"links_alive": "hard"}),
     (placed("T1", "R1"),)),
    ("quota", two_teachers(), settings(quota_rate=1.0, modes={"quota": "hard"}), (placed("T1", "R1"),)),
]


@pytest.mark.parametrize("rule_id, c, s, placements", BITES, ids=[b[0] for b in BITES])
def test_the_rule_alone_forbids_what_its_audit_calls_broken(rule_id, c, s, placements):
    verify = RuleVerifier(rule_id, c, s)
    assert verify.forbids(*placements)
    assert any(v.hard for v in verify.audit(*placements)), rule_id


DOES_NOT_BITE = [
    ("host_capacity", two_teachers(), settings(), (placed("T1", "R1"), placed("T2", "R2"))),
    ("host_capacity", two_teachers(), settings(modes={"host_capacity": "off"}), TWO_AT_R1),
    ("need_cap", two_teachers(), settings(), TWO_AT_R1),
    ("one_placement", two_teachers(), settings(), TWO_AT_R1),
    ("link_max", two_teachers(link("U1", "R1", max_per_year=1)), settings(), TWO_AT_R1),
    ("couples", two_teachers(teacher("T3", "U1", spouse="T1")), settings(), (placed("T1", "R1"), placed("T3", "R1"))),
    ("couples", two_teachers(teacher("T3", "U1", spouse="T1")), settings(couples_rule=False),
     (placed("T1", "R1"), placed("T3", "R2"))),
    ("team_dispatch", two_teachers(teacher("T3", "U1", team="A"), teacher("T4", "U1", team="A")), settings(),
     (placed("T3", "R1"), placed("T4", "R1"))),
    ("pins", two_teachers(pin("T1", "R1")), settings(), (placed("T1", "R1"),)),
    ("eligibility", two_teachers(teacher("T3", "U1", years=2)), settings(min_years=2), (placed("T3", "R2"),)),
    ("eligibility", two_teachers(teacher("T3", "U1", years=2)), settings(modes={"eligibility": "off"}),
     (placed("T3", "R2"),)),
    ("stage_fit", two_teachers(rural("R3", "九年一贯制"), need("R3")), settings(), (placed("T1", "R3"),)),
    ("pairing", two_teachers(link("U1", "R2")), settings(pairing_mode="strict"), (placed("T1", "R2"),)),
    ("links_alive", two_teachers(link("U1", "R2", min_per_year=1)), settings(modes={"links_alive": "hard"}),
     (placed("T1", "R2"),)),
    ("quota", two_teachers(), settings(quota_rate=1.0, modes={"quota": "hard"}), TWO_AT_R1),
]


@pytest.mark.parametrize("rule_id, c, s, placements", DOES_NOT_BITE, ids=[b[0] for b in DOES_NOT_BITE])
def test_the_rule_alone_allows_what_its_audit_passes(rule_id, c, s, placements):
    verify = RuleVerifier(rule_id, c, s)
    assert not verify.forbids(*placements)
    assert not any(v.hard for v in verify.audit(*placements)), rule_id


# --- goals and soft rules: exactly this much at the rule's level -------------------------------

def test_soft_pairing_charges_one_teacher_per_unlinked_placement():
    c = two_teachers(link("U1", "R2"))
    verify = RuleVerifier("pairing", c, settings(pairing_mode="prefer"))
    assert not verify.forbids(placed("T1", "R1"))
    assert verify.penalty(placed("T1", "R1")) == WEIGHT_SCALE
    assert verify.penalty(placed("T1", "R2")) == 0


def test_soft_couples_charge_once_per_term_the_spouses_are_split():
    c = two_teachers(teacher("T3", "U1", spouse="T1"))
    verify = RuleVerifier("couples", c, settings(modes={"couples": "soft"}))
    assert verify.penalty(placed("T1", "R1"), placed("T3", "R2")) == 2 * WEIGHT_SCALE  # both terms of the year
    assert len(verify.audit(placed("T1", "R1"), placed("T3", "R2"))) == 1  # the audit names the couple once
    assert verify.penalty(placed("T1", "R1"), placed("T3", "R1")) == 0


def test_the_quota_charges_each_missing_rotation():
    c = two_teachers(teacher("T3", "U1"))  # U1: two eligible teachers; 100 % owes two a year
    verify = RuleVerifier("quota", c, settings(quota_rate=1.0))
    options = (placed("T1", "R1"), placed("T3", "R2"))
    assert verify.penalty(among=options) == 2 * WEIGHT_SCALE + 1 * WEIGHT_SCALE  # U2 owes its one too
    assert verify.penalty(placed("T1", "R1"), among=options[1:]) == 2 * WEIGHT_SCALE
    assert verify.penalty(*options, placed("T2", "R1")) == 0


def test_the_backbone_share_charges_only_backbone_shortfalls():
    c = two_teachers(teacher("T3", "U1", backbone=True))
    verify = RuleVerifier("backbone", c, settings(quota_rate=1.0, backbone_share=0.5, backbone_base="应交流数"))
    # On the quota's rotations: U1 owes 2 rotations, 1 of them backbone; U2 owes 1, so ceil(0.5) = 1
    # backbone it cannot have.
    assert verify.penalty(placed("T1", "R1"), among=(placed("T3", "R2"),)) == 2 * WEIGHT_SCALE
    assert verify.penalty(placed("T3", "R2"), among=(placed("T1", "R1"),)) == WEIGHT_SCALE
    # On everyone rotated (the default since 交流总数 is exact): U2 sends none and owes none; U1 owes
    # ceil(0.5 × 1) = 1 backbone of the one it sends.
    verify = RuleVerifier("backbone", c, settings(quota_rate=1.0, backbone_share=0.5))
    assert verify.penalty(placed("T1", "R1"), among=(placed("T3", "R2"),)) == WEIGHT_SCALE
    assert verify.penalty(placed("T3", "R2"), among=(placed("T1", "R1"),)) == 0


def test_unmet_need_costs_its_weight_per_teacher_term():
    c = case(urban("U1"), rural("R1", priority=3), teacher("T1", "U1"), need("R1", priority=2))
    verify = RuleVerifier("need", c, settings())
    assert verify.penalty(among=(placed("T1", "R1"),)) == 3 * 2 * 2 * WEIGHT_SCALE  # two terms
    assert verify.penalty(placed("T1", "R1")) == 0


def test_links_kept_alive_charge_per_missing_teacher():
    c = two_teachers(link("U1", "R2", min_per_year=1))
    verify = RuleVerifier("links_alive", c, settings())
    assert verify.penalty(among=(placed("T1", "R2"),)) == WEIGHT_SCALE
    assert verify.penalty(placed("T1", "R2")) == 0


def test_wishes_rank_the_first_wish_below_an_unlisted_school():
    c = two_teachers(teacher("T3", "U1", years=6, wishes=("R2", "R1")))
    verify = RuleVerifier("wishes", c, settings())
    first, second = verify.penalty(placed("T3", "R2")), verify.penalty(placed("T3", "R1"))
    assert second - first == 20  # one step down the wish list
    assert verify.penalty(placed("T1", "R1")) == -8  # no wishes listed: only the 8 years count (first)


# --- the questions every rule answers, by the registry --------------------------------------

def test_every_rule_costs_go_to_its_own_level_and_every_hard_rule_with_a_way_out_is_suggested():
    for rule in RULES:
        assert ("soft" in rule.modes) == (rule.level is not None), rule.id
    c = two_teachers()
    hard_everywhere = settings(modes={r.id: "hard" for r in RULES if "hard" in r.modes})
    offered = {r.id for r in RULES if r.relaxation(hard_everywhere)}
    policy = {"eligibility", "sending_school"}  # who may rotate is never a way out
    assert offered == {r.id for r in RULES if "hard" in r.modes and set(r.modes) - {"hard"}} - policy
    assert RuleVerifier("pins", c, settings()).rule.relaxations(two_teachers(pin("T1", "R1")), settings())


def test_the_backbone_share_on_everyone_rotated_bites_when_extra_teachers_go():
    """骨干比例基数 = 交流总数: the share of all rotated, not of the quota (tests/test_backbone_settings.py)."""
    c = two_teachers(teacher("T3", "U1", backbone=True), teacher("T4", "U1"))
    three = (placed("T1", "R2"), placed("T3", "R2"), placed("T4", "R2"))  # U1: 1 backbone of 3
    on_rotated = settings(quota_rate=0.1, backbone_share=0.5, backbone_base="交流总数", modes={"backbone": "hard"})
    verify = RuleVerifier("backbone", c, on_rotated)
    assert verify.forbids(*three) and [v.amount for v in verify.audit(*three)] == [1]
    assert not verify.forbids(*three[1:]) and not verify.audit(*three[1:])  # 1 of 2
    on_quota = settings(quota_rate=0.1, backbone_share=0.5, backbone_base="应交流数", modes={"backbone": "hard"})
    # on the quota's 1 rotation, U1's one backbone teacher is enough; U2 owes its 1 whether it sends or not
    assert [v.school_ids for v in RuleVerifier("backbone", c, on_quota).audit(*three)] == [("U2",)]
    assert [v.school_ids for v in verify.audit(*three)] == [("U1",)]  # U2 sends none, so owes none
