"""Level `moves` (second, after the quota): a re-plan keeps the published placements.

Every placement of the published plan (`Context.published`, given only to a re-plan) that the
new plan does not keep costs one teacher: kept means the same teacher at the same receiving
school from the same start term (a need whose 交流学期数 changed may change its length). The cost
is a constant per published placement less one per option that keeps it, so it is linear and
needs no variable (a teacher has one placement at most). Adding a teacher costs nothing here: a
seat left by a withdrawal is refilled when the need, the links or the wishes ask for it, and the
quota, ranked above, may add one too. Without a published plan the rule adds nothing, and a plain
solve has the levels it always had. The published placements are also the greedy start (`seed`),
so CP-SAT starts from the published plan and so does the fallback.

WORKBOOK.md, "Re-planning after publication": after the hard rules, quota and backbone, then
fewest changes to the published plan, then need, links and wishes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import WEIGHT_SCALE, Explanation, Finding, Rule, Text, Violation
from .context import Context

if TYPE_CHECKING:
    from ..plan import Placement, Plan
    from .builder_api import GreedyPlan, ModelBuilder
    from .presolve import PreSolve


def published_placements(ctx: Context) -> list[Placement]:
    """The published placements of teachers the case still has, one per teacher (the first one)."""
    if ctx.published is None:
        return []
    seen: set[str] = set()
    result = []
    for placement in ctx.published.placements:
        if placement.teacher_id in seen or not ctx.case.has_teacher(placement.teacher_id):
            continue
        seen.add(placement.teacher_id)
        result.append(placement)
    return result


def keeps(before: Placement, after: Placement | None) -> bool:
    """Whether `after` keeps the published `before`: same teacher, receiving school and start term."""
    return (after is not None and after.teacher_id == before.teacher_id and after.school_id == before.school_id
            and after.start == before.start)


def placement_words(ctx: Context, placement: Placement) -> Text:
    school = ctx.school_name(placement.school_id)
    return Text(f"{ctx.teacher_name(placement.teacher_id)}→{school}（{placement.start.label('zh')}起）",
                f"{ctx.teacher_name(placement.teacher_id)} → {school} from {placement.start.label('en')}")


class KeepPublished(Rule):
    id = "keep_published"
    zh, en = "保持已公示方案", "keep the published plan"
    zh_doc = "重新规划时尽量保留已公示的安排（同一教师、同一接收学校、同一开始学期），仅次于交流比例与骨干比例"
    en_doc = ("a re-plan keeps the published placements (same teacher, receiving school and start term), "
              "second only to the quota and backbone share")
    modes = ("soft", "off")
    level = 5
    relax_to = None

    def applies(self, ctx: Context) -> bool:
        return ctx.published is not None

    def build(self, model: ModelBuilder) -> None:
        published = published_placements(model.ctx)
        if not published:
            return
        model.constant(self, WEIGHT_SCALE * len(published))
        for placement in published:
            for i in model.by_teacher.get(model.position(placement.teacher_id), []):
                option = model.options[i]
                if option.school == placement.school_id and option.start == placement.start.ordinal:
                    model.option_cost(self, i, -WEIGHT_SCALE)

    def seed(self, model: ModelBuilder, greedy: GreedyPlan) -> None:
        """The published placements first (after pins and teams), each at its own option when it is
        still there, else at one with the same school and start."""
        for placement in published_placements(model.ctx):
            teacher = model.position(placement.teacher_id)
            if teacher in greedy.held:
                continue
            matching = [i for i in model.by_teacher.get(teacher, [])
                        if model.options[i].school == placement.school_id
                        and model.options[i].start == placement.start.ordinal]
            matching.sort(key=lambda i: (model.options[i].subject != placement.subject,
                                         model.options[i].terms != placement.terms, greedy.rank(i)))
            for i in matching:
                if greedy.take([i]):
                    break

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        placed = plan.by_teacher()
        violations = []
        for before in published_placements(ctx):
            after = placed.get(before.teacher_id)
            if keeps(before, after):
                continue
            words = placement_words(ctx, before)
            violations.append(Violation(self.id, False, Text(f"已公示的安排未保留：{words.zh}",
                                                             f"published placement not kept: {words.en}"),
                                        (before.teacher_id,), (before.school_id,), amount=1))
        return violations

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        if ctx.published is None:
            return super().explain(ctx, plan)
        published = published_placements(ctx)
        placed = plan.by_teacher()
        kept = sum(1 for p in published if keeps(p, placed.get(p.teacher_id)))
        moved = sum(1 for p in published if p.teacher_id in placed and not keeps(p, placed[p.teacher_id]))
        dropped = len(published) - kept - moved
        before = {p.teacher_id for p in published}
        added = sum(1 for teacher_id in placed if teacher_id not in before)
        return Explanation(self.id, Text(
            f"已公示{len(published)}人中保留{kept}人，调整{moved}人，取消{dropped}人；新增{added}人",
            f"of {len(published)} published placements {kept} kept, {moved} moved, {dropped} dropped; {added} added"))

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """Published placements no option keeps any more (a withdrawal, a forbid, a need gone): each
        named with the hard rule that now stands in the way."""
        ctx = pre.ctx
        findings = []
        for placement in published_placements(ctx):
            options = pre.by_teacher.get(pre.position[placement.teacher_id], [])
            if any(o.school == placement.school_id and o.start == placement.start.ordinal for o in options):
                continue
            reason = blocking_reason(ctx, pre.rules, placement)
            words = placement_words(ctx, placement)
            findings.append(Finding(self.id, False, Text(
                f"已公示的安排{words.zh}无法保留" + (f"：{reason.zh}" if reason else ""),
                f"the published placement {words.en} cannot be kept" + (f": {reason.en}" if reason else "")),
                school_ids=(placement.school_id,), teacher_ids=(placement.teacher_id,)))
        return findings


def blocking_reason(ctx: Context, rules, placement: Placement) -> Text | None:
    """The first hard filter rule's reason against the placement as published, or None when every
    one allows it (then it has no option for another reason: outside the horizon, no need there)."""
    teacher = ctx.case.teacher(placement.teacher_id)
    for rule in rules:
        if not getattr(rule, "filters", False) or rule.mode(ctx.settings) != "hard":
            continue
        reason = rule.why_not(ctx, teacher, placement.school_id, placement.subject, placement.start.ordinal,
                              placement.terms)
        if reason is not None:
            return reason
    return None
