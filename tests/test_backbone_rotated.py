"""骨干比例基数 = 交流总数 (the default, WORKBOOK.md): at least ⌈share × every teacher the unit rotates that
school year⌉ backbone teachers, exact both as a hard rule (q·backbone ≥ p·rotated) and as a soft one
(a whole shortfall ≥ ⌈p/q × rotated⌉ − backbone, the audit's count); what follows the definition (the
headline's backbone count, the why-line) follows 骨干认定."""

from __future__ import annotations

from cases import broken, case, check, need, placed, plan, run, rural, settings, short, teacher, urban, where
from scheduler.domain import Title
from scheduler.domain.enums import BackboneBase
from scheduler.domain.settings import DEFAULTS, settings_from
from scheduler.explain.why import why_placed
from scheduler.export import headline
from scheduler.rules.context import Context


def seven_at_u1():
    """U1: B1 (backbone, 7 years), B2 (backbone, 6 years) and P1..P5 (12 years); R1 needs six. The
    teachers' level prefers long service, so B2 is the one left home when nothing asks for him."""
    return case(urban("U1"), rural("R1"), teacher("B1", "U1", years=7, backbone=True),
                teacher("B2", "U1", years=6, backbone=True), *(teacher(f"P{n}", "U1", years=12) for n in range(1, 6)),
                need("R1", count=6))


HARD = dict(quota_rate=0.1, backbone_share=0.2, modes={"backbone": "hard"})


def test_the_default_base_is_everyone_rotated():
    assert DEFAULTS.backbone_base is BackboneBase.ROTATED
    assert settings_from({}).backbone_base is BackboneBase.ROTATED
    assert settings_from({"backbone_base": "应交流数"}).backbone_base is BackboneBase.QUOTA  # today's reading, on request


def test_hard_on_everyone_rotated_a_sixth_teacher_brings_the_second_backbone():
    """Six rotated owe ⌈20 % × 6⌉ = 2 backbone: B2 goes although the teachers' level would keep him home."""
    c = seven_at_u1()
    on_rotated = run(c, backbone_base="交流总数", **HARD)
    assert len(on_rotated.placements) == 6 and {"B1", "B2"} <= set(where(on_rotated))
    on_quota = run(c, backbone_base="应交流数", **HARD)  # owes ⌈20 % × 1⌉ = 1, whatever is sent beyond
    assert len(on_quota.placements) == 6 and set(where(on_quota)) == {"B1", "P1", "P2", "P3", "P4", "P5"}


def test_the_audit_of_a_hand_edited_plan_names_the_school_and_the_teachers():
    c = seven_at_u1()
    six = plan(placed("B1", "R1"), *(placed(f"P{n}", "R1") for n in range(1, 6)))
    [v] = broken(check(c, six, backbone_base="交流总数", **HARD), "backbone")
    assert v.amount == 1 and v.school_ids == ("U1",) and set(v.teacher_ids) == {"B1", "P1", "P2", "P3", "P4", "P5"}
    assert v.text.zh == "U12026-2027学年交流6人中骨干1人，按交流总数至少应有2人"
    assert not broken(check(c, six, backbone_base="应交流数", **HARD), "backbone")


def test_soft_the_solver_and_the_audit_count_the_same_shortfall():
    """No backbone teacher at U1 and six needs: five rotated owe 1, six owe 2. The top level holds the sixth
    back, and its value is the audit's count: exact beyond the quota, not priced on the quota's one."""
    c = case(urban("U1"), rural("R1"), need("R1", count=6), *(teacher(f"P{n}", "U1") for n in range(1, 7)))
    result = run(c, quota_rate=0.1, backbone_share=0.2)
    assert len(result.placements) == 5
    [v] = short(check(c, result, quota_rate=0.1, backbone_share=0.2), "backbone")
    assert v.amount == 1
    assert {level.key: level.value for level in result.levels}["quota"] == 1
    # without a share the sixth goes
    assert len(run(c, quota_rate=0.1, backbone_share=0.0).placements) == 6


def test_the_headline_and_the_why_line_follow_who_counts():
    """骨干认定 = 高级: a 高级 teacher without the 骨干 mark counts in the headline and says so in why."""
    senior = teacher("S1", "U1").model_copy(update={"title": Title.SENIOR})
    c = case(urban("U1"), rural("R1"), need("R1"), senior, teacher("T2", "U1", backbone=True))
    p = plan(placed("S1", "R1"))
    by_title = settings(quota_rate=0.5, backbone_share=0.2, backbone_counts="高级")
    assert headline(c, by_title, p).backbone_placed == 1
    assert headline(c, settings(quota_rate=0.5, backbone_share=0.2), p).backbone_placed == 0
    lines = [line.zh for line in why_placed(Context(c, by_title), p, p.placements[0])]
    assert any("计入骨干比例（骨干1人，应有1人）" in line for line in lines), lines
    plain = [line.zh for line in why_placed(Context(c, settings(quota_rate=0.5, backbone_share=0.2)), p, p.placements[0])]
    assert not any("骨干比例" in line for line in plain)


def test_completing_a_plan_leaves_out_a_teacher_who_would_raise_the_backbone_owed():
    """`greedy.fill` (what a stopped search's plan is completed with) adds need-filling teachers only where
    no soft shortfall rises: with no backbone teacher at U1, one to five rotated owe 1 and six owe 2. It starts
    from a plan a search made (here P1 alone, the quota met); from nothing, the first teacher already raises
    what is owed (0 → 1), so fill adds none: the trade against the quota is the search's, not fill's."""
    from scheduler.model.greedy import fill
    from scheduler.model.solve import build

    c = case(urban("U1"), rural("R1"), need("R1", count=6), *(teacher(f"P{n}", "U1") for n in range(1, 7)))
    _, model = build(c, settings(quota_rate=0.1, backbone_share=0.2))
    assert len(fill(model, [0], set(range(len(model.options))))) == 5
    assert fill(model, [], set(range(len(model.options)))) == []
    _, on_quota = build(c, settings(quota_rate=0.1, backbone_share=0.2, backbone_base="应交流数"))
    assert len(fill(on_quota, [0], set(range(len(on_quota.options))))) == 6
