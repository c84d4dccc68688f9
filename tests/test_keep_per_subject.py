"""学科最少保留 (keep_per_subject): a sending school keeps at least N teachers of each of its (main)
subjects at home in every term. Alone (the verifier), end to end (a real solve with a known answer),
in the audit of a hand-edited plan, before solving (the diagnosis) and in the 未派出教师 reasons."""

from __future__ import annotations

from cases import broken, case, check, need, placed, plan, run, rural, settings, teacher, urban, where
from rule_verifier import RuleVerifier
from scheduler.domain.settings import DEFAULTS, parse_value
from scheduler.explain import diagnose
from scheduler.export import unplaced_teachers
from scheduler.model import solve
from scheduler.rules import RULE_BY_ID
from scheduler.rules.context import Context

MUSIC = "音乐"
RULE = "keep_per_subject"


def two_music(*extra):
    """U1 has two music teachers (T1, T2); R1 and R2 each need one music teacher for school year 2026."""
    return case(urban("U1"), rural("R1"), rural("R2"), teacher("T1", "U1", MUSIC), teacher("T2", "U1", MUSIC),
                need("R1", MUSIC), need("R2", MUSIC), *extra)


BOTH_AWAY = (placed("T1", "R1", MUSIC), placed("T2", "R2", MUSIC))


# --- the setting and the mode -----------------------------------------------------------------

def test_the_setting_defaults_to_no_floor_and_the_rule_is_off_until_there_is_one():
    rule = RULE_BY_ID[RULE]
    assert DEFAULTS.keep_per_subject == 0 and rule.mode(DEFAULTS) == "off"
    assert rule.mode(settings(keep_per_subject=1)) == "hard"
    assert rule.mode(settings(keep_per_subject=1, modes={RULE: "off"})) == "off"
    assert parse_value("keep_per_subject", "1") == 1 and parse_value("keep_per_subject", "2.0") == 2


# --- the rule alone ---------------------------------------------------------------------------

def test_bites_the_last_music_teacher_may_not_leave_too():
    verify = RuleVerifier(RULE, two_music(), settings(keep_per_subject=1))
    assert verify.forbids(*BOTH_AWAY)
    assert any(v.hard for v in verify.audit(*BOTH_AWAY))


def test_does_not_bite_one_of_two_away_or_no_floor():
    verify = RuleVerifier(RULE, two_music(), settings(keep_per_subject=1))
    assert not verify.forbids(BOTH_AWAY[0])
    assert verify.audit(BOTH_AWAY[0]) == []
    for s in (settings(), settings(keep_per_subject=0, modes={RULE: "hard"})):
        verify = RuleVerifier(RULE, two_music(), s)
        assert not verify.forbids(*BOTH_AWAY) and verify.model(*BOTH_AWAY).rows == []
        assert verify.audit(*BOTH_AWAY) == []


def test_only_rows_that_can_bind_are_added():
    # three music teachers, keep one: two may be away, and only two have options
    c = two_music(teacher("T3", "U1", MUSIC))
    verify = RuleVerifier(RULE, c, settings(keep_per_subject=1))
    assert verify.model(*BOTH_AWAY).rows == []
    rows = verify.model(*BOTH_AWAY, placed("T3", "R1", MUSIC)).rows
    assert [(kind, bound) for kind, _, _, bound in rows] == [("at_most", 2), ("at_most", 2)]  # fall and spring


def test_a_schools_only_music_teacher_is_never_offered():
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1", MUSIC), need("R1", MUSIC))
    verify = RuleVerifier(RULE, c, settings(keep_per_subject=1))
    assert verify.vetoed(placed("T1", "R1", MUSIC))
    assert broken(check(c, plan(placed("T1", "R1", MUSIC)), keep_per_subject=1), RULE)


# --- end to end -------------------------------------------------------------------------------

def test_solve_keeps_one_music_teacher_home_and_other_subjects_do_not_count():
    # T3 (main subject 数学) can also teach music: as a maths teacher it does not count toward the music floor
    c = two_music(teacher("T3", "U1", also=(MUSIC,)), teacher("T4", "U1"))
    free = run(c)
    assert len(free.placements) == 2
    kept = run(c, keep_per_subject=1)
    placed_ids = set(where(kept))
    assert len(placed_ids) == 2 and "T3" in placed_ids and len(placed_ids & {"T1", "T2"}) == 1
    assert set(where(kept).values()) == {"R1", "R2"}  # both needs still filled
    alone = run(two_music(), keep_per_subject=1)
    assert len(alone.placements) == 1  # without T3 one need stays open


def test_no_floor_changes_nothing():
    c = two_music(teacher("T3", "U1", also=(MUSIC,)), teacher("T4", "U1"))
    base = solve(c, settings())
    zero = solve(c, settings(keep_per_subject=0, modes={RULE: "hard"}))
    assert [(p.teacher_id, p.school_id, p.subject, p.start) for p in zero.placements] == [
        (p.teacher_id, p.school_id, p.subject, p.start) for p in base.placements]


# --- the audit of a hand-edited plan ----------------------------------------------------------

def test_the_audit_flags_a_plan_that_empties_a_subject_naming_teachers_school_and_term():
    report = check(two_music(), plan(*BOTH_AWAY), keep_per_subject=1)
    found = broken(report, RULE)
    assert len(found) == 2  # 2026秋 and 2027春
    first = found[0]
    assert set(first.teacher_ids) == {"T1", "T2"} and first.school_ids == ("U1",)
    assert all(word in first.text.zh for word in ("U1", "T1", "T2", MUSIC, "2026"))
    assert all(word in first.text.en for word in ("U1", "T1", "T2", "music"))
    assert not broken(check(two_music(), plan(*BOTH_AWAY)), RULE)  # no floor: nothing to flag


# --- before solving, and why a teacher stays home ---------------------------------------------

def test_the_diagnosis_names_a_school_with_one_music_teacher():
    school = "平城区第三小学"
    c = case(urban(school), rural("R1"), teacher("T1", school, MUSIC), teacher("T2", school),
             need("R1", MUSIC))
    findings = [f for f in diagnose(c, settings(keep_per_subject=1)) if f.rule == RULE]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.text.en == "平城区第三小学 has one music teacher; keeping one at home, it can send none"
    assert finding.text.zh == "平城区第三小学只有1名音乐教师；每学期须留校1人，该校不能派出音乐教师"
    assert finding.school_ids == (school,) and finding.teacher_ids == ("T1",) and not finding.conflict
    assert finding.relax is not None
    assert not [f for f in diagnose(c, settings()) if f.rule == RULE]


def test_why_unplaced_names_the_floor_and_relaxing_turns_it_off():
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1", MUSIC), need("R1", MUSIC))
    s = settings(keep_per_subject=1)
    result = solve(c, s)
    assert result.placements == []
    (item,) = unplaced_teachers(Context(c, s), result)
    assert item.category == "kept_for_subject"
    assert "U1" in item.reason.zh and MUSIC in item.reason.zh and "T1" in item.reason.en
    relaxed = RULE_BY_ID[RULE].relaxation(s)
    assert relaxed is not None and RULE_BY_ID[RULE].mode(relaxed.settings) == "off"
    assert RULE_BY_ID[RULE].relaxation(settings()) is None  # off already: nothing to relax
