"""The goals, in their strict priority order — 1 quota and backbone share, 2 weighted need,
3 links kept alive (and soft-rule penalties), 4 teachers' wishes — each with a case where it
decides the plan and one where it does not, every solved plan audited; plus cases that pit two
levels against each other to show the higher one wins whatever the weights below it.

Unless a test says otherwise: school year 2026 (2026秋–2027春), 2-term placements, no quota,
no backbone share, pairing `any` (see `cases.settings`).
"""

from __future__ import annotations

import pytest

from cases import (FALL, broken, case, check, link, need, placed, plan, run, rural, settings, short, teacher, urban,
                   when, where)
from scheduler.model import solve


class TestQuota:
    def _conflict(self):
        """R1 has one bed and needs 数学 (A, from U1) and 音乐 (B, from U2, worth twice as much).
        U2's quota is met by C going to R3 either way; U1's quota needs A to go."""
        return case(urban("U1"), urban("U2"), rural("R1", capacity=1), rural("R3"),
                    need("R1", "数学"), need("R1", "音乐"), need("R3", "语文"),
                    teacher("A", "U1", "数学"), teacher("B", "U2", "音乐"), teacher("C", "U2", "语文"))

    def test_bites_the_quota_outranks_a_heavier_need(self):
        assert where(run(self._conflict(), quota_rate=0.1)) == {"A": "R1", "C": "R3"}

    def test_does_not_bite_without_a_quota_the_heavier_need_wins(self):
        assert where(run(self._conflict(), quota_rate=0.0)) == {"B": "R1", "C": "R3"}
        assert where(run(self._conflict(), quota_rate=0.1, modes={"quota": "off"})) == {"B": "R1", "C": "R3"}

    def test_may_send_fewer_teachers_in_total_when_beds_are_short(self):
        # R1 has one bed for four terms. Without a quota B and C use it one after the other. With one,
        # U1's only teacher A (free 2027春–2027秋 only) takes it across both school years: U1 then
        # misses its quota in one school year instead of two, and one teacher fewer goes overall.
        # So "a higher rate never rotates fewer" holds only where need and beds are plentiful
        # (test_rules_properties).
        c = case(urban("U1"), urban("U2"), rural("R1", capacity=1), rural("R2"),
                 need("R1", "数学", FALL, "2028春"), need("R2", "语文", FALL, "2028春", count=2),
                 teacher("A", "U1", available=("2027春", "2027秋")),
                 teacher("B", "U2"), teacher("C", "U2"), teacher("D", "U2", "语文"), teacher("E", "U2", "语文"))
        without = run(c, quota_rate=0.0)
        assert {t: w[0] for t, w in when(without).items()} == {"B": "R1", "C": "R1", "D": "R2", "E": "R2"}
        assert when(run(c, quota_rate=0.1))["A"] == ("R1", "2027春")
        assert len(run(c, quota_rate=0.1).placements) == 3

    def test_is_counted_per_school_year(self):
        # Two eligible teachers at 50 %: one must go in each school year, although sending both
        # in 2026 would fill as much need.
        c = case(urban("U1"), rural("R1"), need("R1", last="2028春", count=2), teacher("T1", "U1"), teacher("T2", "U1"))
        result = run(c, quota_rate=0.5)
        assert sorted(p.start.school_year for p in result.placements) == [2026, 2027]
        assert not short(check(c, result, quota_rate=0.5), "quota")

    def test_soft_reports_the_shortfall_school_by_school(self):
        # U1's teacher teaches nothing any school needs; U2's does.
        c = case(urban("U1"), urban("U2"), rural("R1"), need("R1", "音乐"),
                 teacher("T1", "U1", "数学"), teacher("T2", "U2", "音乐"))
        result = run(c, quota_rate=0.1)
        assert where(result) == {"T2": "R1"}
        [v] = short(check(c, result, quota_rate=0.1), "quota")
        assert (v.school_ids, v.amount, v.hard) == (("U1",), 1, False)
        assert "U1" in v.text.zh and "1" in v.text.en

    def test_hard_makes_an_impossible_quota_infeasible(self):
        c = case(urban("U1"), rural("R1"), need("R1", "音乐"), teacher("T1", "U1", "数学"))
        assert solve(c, settings(quota_rate=0.1, quota_hard=True)).status == "infeasible"
        assert solve(c, settings(quota_rate=0.1, modes={"quota": "hard"})).status == "infeasible"
        assert run(c, quota_rate=0.1).placements == []
        everything_off = {"need": "off", "wishes": "off"}
        assert solve(c, settings(quota_rate=0.1, quota_hard=True, modes=everything_off)).status == "infeasible"

    def test_hard_audit_flags_a_school_short_of_its_quota(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T1", "U1"))
        [v] = broken(check(c, plan(), quota_rate=0.1, quota_hard=True), "quota")
        assert v.school_ids == ("U1",) and v.amount == 1

    def test_required_is_the_rate_of_the_eligible_rounded_up(self):
        # 11 eligible at 10 % → 2; the 3-year teacher does not count.
        teachers = [teacher(f"T{i}", "U1", years=8 + i) for i in range(11)] + [teacher("N", "U1", years=3)]
        c = case(urban("U1"), rural("R1"), need("R1", "音乐"), *teachers)
        [v] = short(check(c, plan(), quota_rate=0.1), "quota")
        assert v.amount == 2 and "11" in v.text.en


class TestBackboneShare:
    # R1 needs one teacher; T2 has served longer, T1 is a backbone teacher.
    def _case(self):
        return case(urban("U1"), rural("R1"), need("R1"),
                    teacher("T1", "U1", years=7, backbone=True), teacher("T2", "U1", years=12))

    def test_bites_the_backbone_teacher_goes(self):
        assert where(run(self._case(), quota_rate=0.1, backbone_share=0.2)) == {"T1": "R1"}

    def test_does_not_bite_without_a_share_seniority_decides(self):
        assert where(run(self._case(), quota_rate=0.1, backbone_share=0.0)) == {"T2": "R1"}
        assert where(run(self._case(), quota_rate=0.1, backbone_share=0.2, modes={"backbone": "off"})) == {"T2": "R1"}

    def test_on_the_quota_base_rotations_beyond_the_quota_owe_no_backbone_share(self):
        # Quota: 1 of 6. On 应交流数 the share is owed on that one rotation only, so all six still fill the
        # six needs. (Written for the old default base; 交流总数 is the default now, see the next test.)
        teachers = [teacher(f"T{i}", "U1") for i in range(1, 7)]
        c = case(urban("U1"), rural("R1"), need("R1", count=6), *teachers)
        on_quota = dict(quota_rate=0.1, backbone_share=0.2, backbone_base="应交流数")
        result = run(c, **on_quota)
        assert len(result.placements) == 6
        [v] = short(check(c, result, **on_quota), "backbone")
        assert v.amount == 1

    def test_on_everyone_rotated_a_sixth_plain_teacher_costs_a_second_backbone(self):
        # The default base (交流总数): 20 % of 5 owes 1, of 6 owes 2; no backbone teacher at U1, so the top
        # level holds the sixth back (one backbone short instead of two) and the need gets five.
        teachers = [teacher(f"T{i}", "U1") for i in range(1, 7)]
        c = case(urban("U1"), rural("R1"), need("R1", count=6), *teachers)
        result = run(c, quota_rate=0.1, backbone_share=0.2)
        assert len(result.placements) == 5
        [v] = short(check(c, result, quota_rate=0.1, backbone_share=0.2), "backbone")
        assert v.amount == 1

    def test_shortfall_is_reported_when_no_backbone_teacher_can_go(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T2", "U1"))
        result = run(c, quota_rate=0.1, backbone_share=0.2)
        assert where(result) == {"T2": "R1"}  # the quota and the share cost one teacher each: the need decides
        [v] = short(check(c, result, quota_rate=0.1, backbone_share=0.2), "backbone")
        assert v.school_ids == ("U1",) and v.amount == 1

    def test_hard_audit_flags_too_few_backbone_teachers(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T2", "U1"))
        [v] = broken(check(c, plan(placed("T2", "R1")), quota_rate=0.1, backbone_share=0.2, quota_hard=True), "backbone")
        assert v.school_ids == ("U1",)


class TestNeed:
    def test_arts_weight_makes_music_beat_math_for_the_one_teacher_who_can_go(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "数学"), need("R2", "音乐"),
                 teacher("T1", "U1", "数学", also=("音乐",)))
        assert [(p.school_id, p.subject) for p in run(c).placements] == [("R2", "音乐")]
        assert [(p.school_id, p.subject) for p in run(c, arts_weight=0.5).placements] == [("R1", "数学")]

    def test_school_priority_decides(self):
        c = case(urban("U1"), rural("R1"), rural("R2", priority=2), need("R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c)) == {"T1": "R2"}

    def test_need_priority_decides(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", priority=3), need("R2"), teacher("T1", "U1"))
        assert where(run(c)) == {"T1": "R1"}

    def test_does_not_bite_when_every_need_can_be_filled(self):
        c = case(urban("U1"), rural("R1"), rural("R2", priority=2), need("R1"), need("R2"),
                 teacher("T1", "U1"), teacher("T2", "U1"))
        assert sorted(where(run(c)).values()) == ["R1", "R2"]

    def test_unmet_need_is_reported_per_school_subject_and_term(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "音乐"), need("R2", "数学"),
                 teacher("T1", "U1", "音乐"))
        result = run(c)
        assert where(result) == {"T1": "R1"}
        violations = short(check(c, result), "need")
        assert [(v.school_ids, v.amount) for v in violations] == [(("R2",), 1.0), (("R2",), 1.0)]
        assert sorted(v.text.zh[2:7] for v in violations) == ["2026秋", "2027春"]
        # With nobody sent, each unfilled 音乐 term weighs the arts weight (2), each 数学 term 1.
        unsent = short(check(c, plan()), "need")
        assert sorted((v.school_ids[0], v.amount) for v in unsent) == [("R1", 2.0)] * 2 + [("R2", 1.0)] * 2


class TestLinksAlive:
    # U1 is linked with R1 and R2; T1 would rather go to R2.
    def _case(self, r2_priority=1, min_r1=1):
        return case(urban("U1"), rural("R1"), rural("R2", priority=r2_priority),
                    link("U1", "R1", min_per_year=min_r1), link("U1", "R2"),
                    need("R1"), need("R2"), teacher("T1", "U1", wishes=("R2", "R1")))

    def test_bites_a_link_minimum_outranks_a_wish(self):
        assert where(run(self._case(), pairing_mode="strict")) == {"T1": "R1"}

    def test_does_not_bite_without_a_minimum_the_wish_decides(self):
        assert where(run(self._case(min_r1=None), pairing_mode="strict")) == {"T1": "R2"}
        assert where(run(self._case(), pairing_mode="strict", modes={"links_alive": "off"})) == {"T1": "R2"}

    def test_need_outranks_a_link_minimum_and_the_shortfall_is_reported(self):
        c = self._case(r2_priority=2)
        result = run(c, pairing_mode="strict")
        assert where(result) == {"T1": "R2"}
        [v] = short(check(c, result, pairing_mode="strict"), "links_alive")
        assert set(v.school_ids) == {"U1", "R1"} and v.amount == 1

    def test_hard_keeps_the_link_alive_against_the_need(self):
        assert where(run(self._case(r2_priority=2), modes={"links_alive": "hard"})) == {"T1": "R1"}

    def test_hard_with_no_one_to_send_is_infeasible(self):
        c = case(urban("U1"), rural("R1"), link("U1", "R1", min_per_year=1), need("R1", "音乐"), teacher("T1", "U1"))
        assert solve(c, settings(modes={"links_alive": "hard"})).status == "infeasible"
        [v] = broken(check(c, plan(), modes={"links_alive": "hard"}), "links_alive")
        assert set(v.school_ids) == {"U1", "R1"}


class TestWishes:
    # R1 and R2 need the same; only the teachers' side differs.
    SCHOOLS = (urban("U1"), rural("R1"), rural("R2"))
    NEEDS = (need("R1"), need("R2"))

    @pytest.mark.parametrize("wishes, expected", [(("R2", "R1"), "R2"), (("R1", "R2"), "R1"), (("R2",), "R2")])
    def test_ranked_wishes_decide_between_two_equal_schools(self, wishes, expected):
        assert where(run(case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", wishes=wishes)))) == {"T1": expected}

    def test_a_wish_never_outranks_the_need(self):
        c = case(urban("U1"), rural("R1", priority=2), rural("R2"), *self.NEEDS, teacher("T1", "U1", wishes=("R2",)))
        assert where(run(c)) == {"T1": "R1"}

    def test_a_promotion_seeker_goes_before_a_longer_serving_colleague(self):
        c = case(urban("U1"), rural("R1"), need("R1"),
                 teacher("T1", "U1", years=20), teacher("T2", "U1", years=7, promotion=True))
        assert where(run(c)) == {"T2": "R1"}

    def test_without_a_promotion_seeker_the_longest_serving_goes(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T1", "U1", years=20), teacher("T2", "U1", years=7))
        assert where(run(c)) == {"T1": "R1"}

    def test_each_goes_to_the_school_they_wish_when_both_can(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", wishes=("R2",)), teacher("T2", "U1", wishes=("R1",)))
        assert where(run(c)) == {"T1": "R2", "T2": "R1"}

    def test_the_nearer_school_when_coordinates_are_given(self):
        # R1 is about 111 km north of U1, R2 about 33 km.
        c = case(urban("U1", lon=110.0, lat=35.0), rural("R1", lon=110.0, lat=36.0), rural("R2", lon=110.0, lat=35.3),
                 *self.NEEDS, teacher("T1", "U1"))
        assert where(run(c)) == {"T1": "R2"}
        c = case(urban("U1", lon=110.0, lat=35.0), rural("R1", lon=110.0, lat=36.0), rural("R2", lon=110.0, lat=35.3),
                 *self.NEEDS, teacher("T1", "U1", wishes=("R1", "R2")))
        assert where(run(c)) == {"T1": "R1"}  # a wish outweighs the trip

    def test_off_still_fills_the_need(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", wishes=("R2",)), teacher("T2", "U1"))
        assert sorted(where(run(c, modes={"wishes": "off"})).values()) == ["R1", "R2"]


class TestLexicographicOrder:
    """Each level wins over every level below, however large their weights."""

    def test_quota_beats_a_need_ten_times_as_urgent(self):
        c = case(urban("U1"), urban("U2"), rural("R1", capacity=1, priority=10), rural("R3"),
                 need("R1", "数学"), need("R1", "音乐"), need("R3", "语文"),
                 teacher("A", "U1", "数学"), teacher("B", "U2", "音乐"), teacher("C", "U2", "语文"))
        assert where(run(c, quota_rate=0.1)) == {"A": "R1", "C": "R3"}

    def test_need_beats_a_link_minimum_and_a_first_wish(self):
        # Filling a more urgent need is worth more than keeping a link alive and granting a first wish.
        schools = [urban("U1"), rural("R9", priority=2)] + [rural(f"R{i}") for i in range(3)]
        links = [link("U1", f"R{i}", min_per_year=1) for i in range(3)]
        needs = [need("R9")] + [need(f"R{i}") for i in range(3)]
        c = case(*schools, *links, *needs, teacher("T1", "U1", wishes=("R0",)))
        assert where(run(c)) == {"T1": "R9"}

    def test_a_soft_rule_penalty_beats_any_wish(self):
        # Stage fit soft sits on level 3: a first wish at a junior school does not pay for crossing stages.
        c = case(urban("U1"), rural("R1", "junior"), rural("R2"), need("R1"), need("R2"),
                 teacher("T1", "U1", wishes=("R1",), promotion=True))
        assert where(run(c, modes={"stage_fit": "soft"})) == {"T1": "R2"}
