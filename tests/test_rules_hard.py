"""The hard rules, one class each: a small case where the rule bites and one where it does not,
each with its known optimal plan (who goes where, who stays), every solved plan audited; and a
plan written by hand that breaks the rule, which the audit must flag with the rule's id, naming
the right teacher and school — the audit never asks the solver.

Unless a test says otherwise: school year 2026 (2026秋–2027春), 2-term placements, no quota,
pairing `any` (see `cases.settings`).
"""

from __future__ import annotations

from datetime import date

from cases import (FALL, SPRING, broken, case, check, exclude, forbid, link, need, pin, placed, plan, run, rural,
                   school, settings, short, teacher, urban, when, where)
from scheduler.model import solve
from scheduler.rules import RULES

HARD_BY_DEFAULT = {"one_placement", "eligibility", "sending_school", "pins", "subject_fit", "stage_fit",
                   "time_window", "need_cap", "host_capacity", "pairing", "link_max", "team_dispatch", "couples"}


def test_every_hard_rule_has_a_test_class_here():
    hard = {rule.id for rule in RULES if rule.mode(settings(pairing_mode="strict")) == "hard"}
    assert hard == HARD_BY_DEFAULT
    tested = {name.removeprefix("Test").lower() for name in globals() if name.startswith("Test")}
    assert {rule.replace("_", "") for rule in hard} <= tested


class TestOnePlacement:
    # R1 needs a teacher in school year 2026, R2 (more urgent) in school year 2027.
    SCHOOLS = (urban("U1"), rural("R1"), rural("R2", priority=2))
    NEEDS = (need("R1"), need("R2", first="2027秋", last="2028春"))

    def test_bites_one_teacher_fills_only_the_more_urgent_need(self):
        result = run(case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1")))
        assert when(result) == {"T1": ("R2", "2027秋")}

    def test_does_not_bite_with_a_teacher_for_each_need(self):
        result = run(case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1"), teacher("T2", "U1")))
        assert len(result.placements) == 2
        assert sorted(where(result).values()) == ["R1", "R2"]

    def test_audit_flags_a_teacher_placed_twice(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1"))
        report = check(c, plan(placed("T1", "R1"), placed("T1", "R2", start="2027秋")))
        [v] = broken(report, "one_placement")
        assert v.teacher_ids == ("T1",)


class TestEligibility:
    def test_bites_short_service_exempt_and_over_age_teachers_stay(self):
        c = case(urban("U1"), rural("R1"), need("R1", count=4),
                 teacher("T1", "U1", years=3), teacher("T2", "U1", years=6),
                 teacher("T3", "U1", years=10, exemption="哺乳期"),
                 teacher("T4", "U1", gender="女", born=date(1975, 3, 1)))  # 51 on 2026-09-01
        assert where(run(c, max_age_female=45)) == {"T2": "R1"}

    def test_does_not_bite_under_the_age_cap_or_with_fewer_years_required(self):
        c = case(urban("U1"), rural("R1"), need("R1", count=2),
                 teacher("T1", "U1", years=3), teacher("T4", "U1", gender="女", born=date(1985, 3, 1)))
        assert where(run(c, min_years=3, max_age_female=45)) == {"T1": "R1", "T4": "R1"}

    def test_off_lets_anyone_rotate(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T1", "U1", years=2))
        assert where(run(c, modes={"eligibility": "off"})) == {"T1": "R1"}

    def test_audit_flags_a_teacher_with_too_few_years(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T1", "U1", years=3))
        [v] = broken(check(c, plan(placed("T1", "R1"))), "eligibility")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))
        assert "3" in v.text.zh and "6" in v.text.en

    def test_audit_flags_an_exempt_teacher(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T1", "U1", exemption="孕期"))
        [v] = broken(check(c, plan(placed("T1", "R1"))), "eligibility")
        assert v.teacher_ids == ("T1",) and "孕期" in v.text.zh


class TestSendingSchool:
    SCHOOLS = (urban("U1"), school("Z1", "town"), rural("R0"), rural("R1"))

    def test_bites_only_urban_teachers_are_sent_by_default(self):
        c = case(*self.SCHOOLS, need("R1", count=3),
                 teacher("T1", "U1"), teacher("T2", "Z1"), teacher("T3", "R0"))
        assert where(run(c)) == {"T1": "R1"}

    def test_does_not_bite_when_town_schools_send_too(self):
        c = case(*self.SCHOOLS, need("R1", count=3),
                 teacher("T1", "U1"), teacher("T2", "Z1"), teacher("T3", "R0"))
        assert where(run(c, sending_localities="城区、镇区")) == {"T1": "R1", "T2": "R1"}
        assert where(run(c, modes={"sending_school": "off"})) == {"T1": "R1", "T2": "R1", "T3": "R1"}

    def test_audit_flags_a_rural_teacher_sent(self):
        c = case(*self.SCHOOLS, need("R1"), teacher("T3", "R0"))
        [v] = broken(check(c, plan(placed("T3", "R1"))), "sending_school")
        assert (v.teacher_ids, v.school_ids) == (("T3",), ("R1",))


class TestPins:
    # R1 is the more urgent school: left alone, T1 goes there.
    SCHOOLS = (urban("U1"), rural("R1", priority=3), rural("R2"))
    NEEDS = (need("R1"), need("R2"))

    def test_does_not_bite_without_pins(self):
        assert where(run(case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1")))) == {"T1": "R1"}

    def test_pinned_placement_is_kept_against_the_need(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1"), pin("T1", "R2"))
        assert where(run(c)) == {"T1": "R2"}

    def test_pinned_start_term_is_kept(self):
        c = case(urban("U1"), rural("R1"), need("R1", last="2027秋"), teacher("T1", "U1"),
                 pin("T1", "R1", start="2027春"))
        assert when(run(c)) == {"T1": ("R1", "2027春")}

    def test_forbidden_school_is_never_used(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1"), forbid("T1", "R1"))
        assert where(run(c)) == {"T1": "R2"}

    def test_excluded_teacher_stays_home_and_a_colleague_goes(self):
        c = case(*self.SCHOOLS, need("R1"), teacher("T1", "U1", years=20), teacher("T2", "U1"), exclude("T1"))
        assert where(run(c)) == {"T2": "R1"}

    def test_a_pin_no_rule_allows_makes_the_case_infeasible(self):
        # T1 is the only teacher and has no option at all: the model has nothing to optimise.
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", years=2), pin("T1", "R1"))
        assert solve(c, settings()).status == "infeasible"

    def test_with_every_goal_off_the_hard_rules_still_hold(self):
        off = {"need": "off", "wishes": "off"}
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1"), pin("T1", "R2"))
        assert where(run(c, modes=off)) == {"T1": "R2"}
        # A pinned teacher whose team mate cannot go: no plan keeps both the pin and the team.
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", team="A"), teacher("T2", "U1", team="A", years=2),
                 pin("T1", "R1"))
        assert solve(c, settings(modes=off)).status == "infeasible"

    def test_audit_flags_a_missing_pinned_placement(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1"), pin("T1", "R2"))
        for hand in (plan(), plan(placed("T1", "R1"))):
            [v] = broken(check(c, hand), "pins")
            assert (v.teacher_ids, v.school_ids) == (("T1",), ("R2",))

    def test_audit_flags_a_pinned_school_at_another_start(self):
        c = case(urban("U1"), rural("R1"), need("R1", last="2027秋"), teacher("T1", "U1"),
                 pin("T1", "R1", start="2027春"))
        [v] = broken(check(c, plan(placed("T1", "R1"))), "pins")
        assert v.teacher_ids == ("T1",) and "2027春" in v.text.zh

    def test_audit_flags_forbidden_and_excluded_placements(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1"), teacher("T2", "U1"),
                 forbid("T1", "R1"), exclude("T2"))
        report = check(c, plan(placed("T1", "R1"), placed("T2", "R2")))
        assert sorted((v.teacher_ids, v.school_ids) for v in broken(report, "pins")) == [
            (("T1",), ("R1",)), (("T2",), ("R2",))]


class TestSubjectFit:
    def test_bites_a_math_teacher_does_not_fill_a_music_need(self):
        c = case(urban("U1"), rural("R1"), need("R1", "音乐"), teacher("T1", "U1", "数学"))
        assert where(run(c)) == {}

    def test_does_not_bite_when_music_is_a_second_subject(self):
        c = case(urban("U1"), rural("R1"), need("R1", "音乐"), teacher("T1", "U1", "数学", also=("音乐",)))
        result = run(c)
        assert [(p.teacher_id, p.school_id, p.subject) for p in result.placements] == [("T1", "R1", "音乐")]

    def test_audit_flags_a_teacher_on_a_subject_they_do_not_teach(self):
        c = case(urban("U1"), rural("R1"), need("R1", "音乐"), teacher("T1", "U1", "数学"))
        [v] = broken(check(c, plan(placed("T1", "R1", "音乐"))), "subject_fit")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))


class TestStageFit:
    # T1 teaches at a primary school; R1 is a junior school, R2 a nine-year school.
    def test_bites_a_primary_teacher_does_not_go_to_a_junior_school(self):
        c = case(urban("U1"), rural("R1", "junior"), need("R1"), teacher("T1", "U1"))
        assert where(run(c)) == {}

    def test_does_not_bite_at_a_nine_year_school(self):
        c = case(urban("U1"), rural("R1", "junior", priority=3), rural("R2", "nine-year"),
                 need("R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c)) == {"T1": "R2"}

    def test_off_lets_a_primary_teacher_fill_a_junior_need(self):
        c = case(urban("U1"), rural("R1", "junior"), need("R1"), teacher("T1", "U1"))
        assert where(run(c, stage_fit=False)) == {"T1": "R1"}
        assert where(run(c, modes={"stage_fit": "off"})) == {"T1": "R1"}

    def test_soft_prefers_the_fitting_school_when_the_need_is_equal(self):
        c = case(urban("U1"), rural("R1", "junior"), rural("R2"), need("R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c, modes={"stage_fit": "soft"})) == {"T1": "R2"}

    def test_soft_crosses_stages_when_that_fills_more_need(self):
        c = case(urban("U1"), rural("R1", "junior", priority=2), rural("R2"), need("R1"), need("R2"),
                 teacher("T1", "U1"))
        s = {"modes": {"stage_fit": "soft"}}
        result = run(c, **s)
        assert where(result) == {"T1": "R1"}
        [v] = short(check(c, result, **s), "stage_fit")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))

    def test_audit_flags_a_primary_teacher_at_a_junior_school(self):
        c = case(urban("U1"), rural("R1", "junior"), need("R1"), teacher("T1", "U1"))
        [v] = broken(check(c, plan(placed("T1", "R1"))), "stage_fit")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))


class TestTimeWindow:
    # R1 (urgent) needs a teacher in school year 2026, R2 in school year 2027.
    SCHOOLS = (urban("U1"), rural("R1", priority=3), rural("R2"))
    NEEDS = (need("R1"), need("R2", first="2027秋", last="2028春"))

    def test_does_not_bite_for_a_teacher_available_throughout(self):
        assert when(run(case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1")))) == {"T1": ("R1", "2026秋")}

    def test_bites_a_teacher_available_only_later_goes_later(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", available=("2027秋", None)))
        assert when(run(c)) == {"T1": ("R2", "2027秋")}

    def test_bites_a_teacher_available_only_for_one_term_stays(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", available=("2027春", "2027秋")))
        assert where(run(c)) == {}

    def test_bites_the_horizon_cuts_later_needs(self):
        c = case(*self.SCHOOLS, need("R2", first="2027秋", last="2028春", priority=5), need("R1"),
                 teacher("T1", "U1"), teacher("T2", "U1"))
        assert set(where(run(c, horizon_to="2027春")).values()) == {"R1"}

    def test_bites_a_need_shorter_than_a_placement_is_not_filled(self):
        c = case(urban("U1"), rural("R1"), need("R1", last=FALL), teacher("T1", "U1"))
        assert where(run(c)) == {}
        assert when(run(c, placement_terms=1)) == {"T1": ("R1", "2026秋")}

    def test_audit_flags_a_placement_running_past_the_need(self):
        c = case(*self.SCHOOLS, need("R1", last="2027秋"), teacher("T1", "U1"))
        [v] = broken(check(c, plan(placed("T1", "R1", start="2027秋"))), "time_window")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))

    def test_audit_flags_a_placement_before_the_teacher_is_available(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", available=("2027秋", None)))
        [v] = broken(check(c, plan(placed("T1", "R1"))), "time_window")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))
        assert "2027-fall" in v.text.en


class TestNeedCap:
    def test_bites_one_place_goes_to_the_longest_serving(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T1", "U1", years=8), teacher("T2", "U1", years=12))
        assert where(run(c)) == {"T2": "R1"}

    def test_does_not_bite_when_two_are_needed(self):
        c = case(urban("U1"), rural("R1"), need("R1", count=2), teacher("T1", "U1"), teacher("T2", "U1"))
        assert where(run(c)) == {"T1": "R1", "T2": "R1"}

    def test_two_need_rows_of_one_subject_add_up(self):
        c = case(urban("U1"), rural("R1"), need("R1"), need("R1"), teacher("T1", "U1"), teacher("T2", "U1"))
        assert where(run(c)) == {"T1": "R1", "T2": "R1"}

    def test_audit_flags_more_teachers_than_the_need(self):
        c = case(urban("U1"), rural("R1"), need("R1"), teacher("T1", "U1"), teacher("T2", "U1"))
        violations = broken(check(c, plan(placed("T1", "R1"), placed("T2", "R1"))), "need_cap")
        assert len(violations) == 2  # one per term
        assert all(v.teacher_ids == ("T1", "T2") and v.school_ids == ("R1",) and v.amount == 1 for v in violations)


class TestHostCapacity:
    # R1 has one bed and needs a 数学 and a 音乐 teacher.
    def _case(self, capacity):
        return case(urban("U1"), rural("R1", capacity=capacity), need("R1", "数学"), need("R1", "音乐"),
                    teacher("T1", "U1", "数学"), teacher("T2", "U1", "音乐"))

    def test_bites_one_bed_goes_to_the_music_teacher(self):
        assert where(run(self._case(1))) == {"T2": "R1"}

    def test_does_not_bite_without_a_limit_or_when_off(self):
        assert where(run(self._case(None))) == {"T1": "R1", "T2": "R1"}
        assert where(run(self._case(2))) == {"T1": "R1", "T2": "R1"}
        assert where(run(self._case(1), modes={"host_capacity": "off"})) == {"T1": "R1", "T2": "R1"}

    def test_does_not_bite_across_school_years(self):
        c = case(urban("U1"), rural("R1", capacity=1), need("R1", "数学"), need("R1", "音乐", "2027秋", "2028春"),
                 teacher("T1", "U1", "数学"), teacher("T2", "U1", "音乐"))
        assert when(run(c)) == {"T1": ("R1", "2026秋"), "T2": ("R1", "2027秋")}

    def test_audit_flags_more_guests_than_beds(self):
        report = check(self._case(1), plan(placed("T1", "R1", "数学"), placed("T2", "R1", "音乐")))
        violations = broken(report, "host_capacity")
        assert len(violations) == 2  # one per term
        assert all(v.teacher_ids == ("T1", "T2") and v.school_ids == ("R1",) for v in violations)


class TestPairing:
    # U1 is linked with R1 only; R2 is more urgent but not linked.
    SCHOOLS = (urban("U1"), rural("R1"), rural("R2", priority=2))

    def test_bites_strict_sends_only_along_links(self):
        c = case(*self.SCHOOLS, link("U1", "R1"), need("R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c, pairing_mode="strict")) == {"T1": "R1"}

    def test_bites_strict_keeps_a_teacher_home_when_only_unlinked_schools_need_them(self):
        c = case(*self.SCHOOLS, link("U1", "R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c, pairing_mode="strict")) == {}

    def test_links_count_in_either_direction(self):
        c = case(*self.SCHOOLS, link("R2", "U1"), need("R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c, pairing_mode="strict")) == {"T1": "R2"}

    def test_does_not_bite_with_any(self):
        c = case(*self.SCHOOLS, link("U1", "R1"), need("R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c, pairing_mode="any")) == {"T1": "R2"}
        assert where(run(c, pairing_mode="strict", modes={"pairing": "off"})) == {"T1": "R2"}

    def test_prefer_goes_to_the_linked_school_when_the_need_is_equal(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), link("U1", "R1"), need("R1"), need("R2"),
                 teacher("T1", "U1"))
        assert where(run(c, pairing_mode="prefer")) == {"T1": "R1"}

    def test_prefer_leaves_the_links_when_that_fills_more_need(self):
        c = case(*self.SCHOOLS, link("U1", "R1"), need("R1"), need("R2"), teacher("T1", "U1"))
        result = run(c, pairing_mode="prefer")
        assert where(result) == {"T1": "R2"}
        [v] = short(check(c, result, pairing_mode="prefer"), "pairing")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R2",))
        c = case(*self.SCHOOLS, link("U1", "R1"), need("R2"), teacher("T1", "U1"))
        assert where(run(c, pairing_mode="prefer")) == {"T1": "R2"}

    def test_prefer_leaves_the_links_to_meet_the_quota(self):
        # Only R2 needs a 数学 teacher: need and quota both ask for T1 to go off-link.
        c = case(urban("U1"), rural("R1"), rural("R2"), link("U1", "R1"), need("R1", "音乐"), need("R2"),
                 teacher("T1", "U1"))
        s = {"pairing_mode": "prefer", "modes": {"need": "off"}}
        assert where(run(c, quota_rate=0.1, **s)) == {"T1": "R2"}
        assert where(run(c, quota_rate=0.0, **s)) == {}  # wishes alone do not pay for leaving the links

    def test_audit_flags_an_off_link_placement_under_strict(self):
        c = case(*self.SCHOOLS, link("U1", "R1"), need("R2"), teacher("T1", "U1"))
        [v] = broken(check(c, plan(placed("T1", "R2")), pairing_mode="strict"), "pairing")
        assert (v.teacher_ids, v.school_ids) == (("T1",), ("R2",))
        assert check(c, plan(placed("T1", "R2")), pairing_mode="any").ok


class TestLinkMax:
    def _case(self, max_per_year, first=FALL, last=SPRING):
        return case(urban("U1"), rural("R1"), link("U1", "R1", max_per_year=max_per_year),
                    need("R1", first=first, last=last, count=2),
                    teacher("T1", "U1", years=8), teacher("T2", "U1", years=12))

    def test_bites_one_a_year_sends_the_longest_serving(self):
        assert where(run(self._case(1), pairing_mode="strict")) == {"T2": "R1"}

    def test_does_not_bite_without_a_cap_or_when_off(self):
        assert where(run(self._case(None), pairing_mode="strict")) == {"T1": "R1", "T2": "R1"}
        assert where(run(self._case(2), pairing_mode="strict")) == {"T1": "R1", "T2": "R1"}
        assert where(run(self._case(1), modes={"link_max": "off"})) == {"T1": "R1", "T2": "R1"}

    def test_the_cap_is_per_school_year(self):
        result = run(self._case(1, last="2028春"), pairing_mode="strict")
        assert sorted(p.start.school_year for p in result.placements) == [2026, 2027]

    def test_applies_whatever_the_pairing_mode(self):
        assert where(run(self._case(1), pairing_mode="any")) == {"T2": "R1"}

    def test_audit_flags_too_many_along_a_link(self):
        [v] = broken(check(self._case(1), plan(placed("T1", "R1"), placed("T2", "R1"))), "link_max")
        assert v.teacher_ids == ("T1", "T2") and set(v.school_ids) == {"U1", "R1"}


class TestTeamDispatch:
    # R1 (urgent) needs 数学; R2 needs 数学 and 音乐. T1 teaches 数学, T2 音乐.
    SCHOOLS = (urban("U1"), rural("R1", priority=3), rural("R2"))
    NEEDS = (need("R1"), need("R2", "数学"), need("R2", "音乐"))

    def test_bites_a_team_goes_together_to_the_school_that_takes_both(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", "数学", team="A"), teacher("T2", "U1", "音乐", team="A"))
        assert when(run(c)) == {"T1": ("R2", "2026秋"), "T2": ("R2", "2026秋")}

    def test_does_not_bite_without_a_team_or_when_off(self):
        apart = {"T1": "R1", "T2": "R2"}
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", "数学"), teacher("T2", "U1", "音乐"))
        assert where(run(c)) == apart
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", "数学", team="A"), teacher("T2", "U1", "音乐", team="A"))
        assert where(run(c, modes={"team_dispatch": "off"})) == apart

    def test_bites_a_team_whose_member_cannot_go_stays_home(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", "数学", team="A"),
                 teacher("T2", "U1", "音乐", team="A", years=2))
        assert where(run(c)) == {}

    def test_bites_a_team_starts_together(self):
        # 音乐 is needed only from 2027春, so the pair starts then although 数学 could start in 2026秋.
        c = case(urban("U1"), rural("R2"), need("R2", "数学", last="2027秋"), need("R2", "音乐", "2027春", "2027秋"),
                 teacher("T1", "U1", "数学", team="A"), teacher("T2", "U1", "音乐", team="A"))
        assert when(run(c)) == {"T1": ("R2", "2027春"), "T2": ("R2", "2027春")}

    def test_audit_flags_a_team_split_or_half_sent(self):
        c = case(*self.SCHOOLS, *self.NEEDS, teacher("T1", "U1", "数学", team="A"), teacher("T2", "U1", "音乐", team="A"))
        for hand in (plan(placed("T1", "R1"), placed("T2", "R2", "音乐")), plan(placed("T1", "R2"))):
            [v] = broken(check(c, hand), "team_dispatch")
            assert v.teacher_ids == ("T1", "T2")


class TestCouples:
    # T1 (数学) and T2 (音乐) are married; T1's record names the spouse, T2's does not.
    def _pair(self, wishes=()):
        return teacher("T1", "U1", "数学", spouse="T2", wishes=wishes), teacher("T2", "U1", "音乐")

    def test_bites_spouses_are_not_sent_to_two_schools_at_once(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "数学"), need("R2", "音乐"), *self._pair())
        assert where(run(c)) == {"T2": "R2"}  # the 音乐 need weighs more

    def test_does_not_bite_when_both_go_to_one_school(self):
        c = case(urban("U1"), rural("R1"), need("R1", "数学"), need("R1", "音乐"), *self._pair())
        assert where(run(c)) == {"T1": "R1", "T2": "R1"}

    def test_does_not_bite_one_after_the_other(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "数学"), need("R2", "音乐", "2027秋", "2028春"),
                 *self._pair())
        assert when(run(c)) == {"T1": ("R1", "2026秋"), "T2": ("R2", "2027秋")}

    def test_off_splits_them_when_that_fills_more_need(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "数学"), need("R2", "音乐"), *self._pair())
        assert where(run(c, couples_rule=False)) == {"T1": "R1", "T2": "R2"}
        assert where(run(c, modes={"couples": "off"})) == {"T1": "R1", "T2": "R2"}

    def test_soft_splits_them_only_when_that_fills_more_need(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "数学"), need("R2", "音乐"), *self._pair())
        result = run(c, modes={"couples": "soft"})
        assert where(result) == {"T1": "R1", "T2": "R2"}
        [v] = short(check(c, result, modes={"couples": "soft"}), "couples")
        assert v.teacher_ids == ("T1", "T2") and v.school_ids == ("R1", "R2")

    def test_soft_keeps_them_together_against_a_wish(self):
        # T1 would rather go to R2, but R1 takes both: keeping the family together ranks above wishes.
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "数学"), need("R1", "音乐"), need("R2", "数学"),
                 *self._pair(wishes=("R2", "R1")))
        assert where(run(c, modes={"couples": "soft"})) == {"T1": "R1", "T2": "R1"}
        assert where(run(c, modes={"couples": "off"})) == {"T1": "R2", "T2": "R1"}

    def test_audit_flags_spouses_at_two_schools_at_once(self):
        c = case(urban("U1"), rural("R1"), rural("R2"), need("R1", "数学"), need("R2", "音乐"), *self._pair())
        [v] = broken(check(c, plan(placed("T1", "R1"), placed("T2", "R2", "音乐"))), "couples")
        assert v.teacher_ids == ("T1", "T2") and v.school_ids == ("R1", "R2")
