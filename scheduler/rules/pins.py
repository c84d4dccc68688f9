"""Planner pins: 锁定 placements are in the plan, 禁止 schools are never used, 禁止交流 teachers stay home."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..domain.models import Case, Teacher
from ..domain.settings import Settings
from ..domain.terms import Term
from .base import Blocked, Finding, Relaxation, Rule, Text, Violation

if TYPE_CHECKING:
    from ..plan import Plan
    from .builder_api import GreedyPlan, ModelBuilder, OptionLike
    from .context import Context
    from .presolve import PreSolve


def pin_matches(pin, options: list[OptionLike]) -> list[OptionLike]:
    """The options that carry out a pin: its school, and its start when it names one."""
    return [o for o in options if o.school == pin.school_id
            and (pin.start_term is None or o.start == pin.start_term.ordinal)]


def certain_pinned_terms(pre: PreSolve) -> dict[tuple[str, int], list[str]]:
    """(school, term) → pinned teachers certainly there then. Without a start term a pin holds for
    certain only the terms every possible start covers; a pin no option carries out holds none."""
    hosted: dict[tuple[str, int], list[str]] = defaultdict(list)
    for teacher_id, pin in pre.ctx.pinned.items():
        matching = pin_matches(pin, pre.by_teacher.get(pre.position[teacher_id], []))
        if not matching:
            continue
        certain = set.intersection(*(set(range(o.start, o.start + o.terms)) for o in matching))
        for ordinal in sorted(certain):
            hosted[(pin.school_id or "", ordinal)].append(teacher_id)
    return hosted


class Pins(Rule):
    id = "pins"
    zh, en = "锁定与禁止", "pins and forbids"
    zh_doc = "锁定的安排必须出现在方案中；禁止的学校不安排；禁止交流的教师不派出"
    en_doc = "pinned placements are in the plan; forbidden schools are never used; excluded teachers stay home"
    filters = True
    planner_decision = True
    relax_rank = 1000  # dropping a pin comes after every rule's relaxation

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        if teacher.teacher_id in ctx.excluded:
            # A withdrawal recorded on a published plan keeps its reason (`present.replan`): the change
            # notice says 退出交流（因病住院）, not that the planner excluded the teacher.
            reason = ctx.excluded[teacher.teacher_id]
            if reason:
                return Text(f"{teacher.name}退出交流（{reason}）", f"{teacher.name} withdrew ({reason})")
            return Text(f"{teacher.name}被设为禁止交流", f"{teacher.name} is excluded by the planner")
        return None

    def why_not_school(self, ctx: Context, teacher: Teacher, school_id: str) -> Text | None:
        if school_id in ctx.forbidden.get(teacher.teacher_id, ()):
            name = ctx.school_name(school_id)
            return Text(f"规划人员禁止{teacher.name}去{name}", f"the planner forbids {teacher.name} to go to {name}")
        return None

    def school_test(self, ctx: Context, teacher: Teacher) -> Callable[[str], bool] | None:
        forbidden = ctx.forbidden.get(teacher.teacher_id)
        return None if not forbidden else (lambda school_id: school_id not in forbidden)

    def build(self, model: ModelBuilder) -> None:
        for teacher_id, pin in model.ctx.pinned.items():
            chosen = [i for i in model.by_teacher.get(model.position(teacher_id), [])
                      if pin_matches(pin, [model.options[i]])]
            # With no allowed option this is 0 == 1: the case is infeasible and the diagnosis says why.
            model.exactly(self, chosen, 1)

    def seed(self, model: ModelBuilder, greedy: GreedyPlan) -> None:
        """Pinned teachers first, each at the best option that carries out the pin and still fits."""
        for teacher_id, pin in model.ctx.pinned.items():
            for i in sorted(model.by_teacher.get(model.position(teacher_id), []), key=greedy.rank):
                if pin_matches(pin, [model.options[i]]) and greedy.take([i]):
                    break

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        violations = super().audit(ctx, plan)
        placed = plan.by_teacher()
        for teacher_id, pin in ctx.pinned.items():
            placement = placed.get(teacher_id)
            if placement is not None and placement.school_id == pin.school_id and (
                    pin.start_term is None or placement.start == pin.start_term):
                continue
            name, school = ctx.teacher_name(teacher_id), ctx.school_name(pin.school_id or "")
            when_zh = f"（{pin.start_term.label()}开始）" if pin.start_term else ""
            when_en = f" from {pin.start_term.label('en')}" if pin.start_term else ""
            violations.append(Violation(self.id, True, Text(f"锁定的安排{name}→{school}{when_zh}不在方案中",
                                                            f"the pinned placement {name} → {school}{when_en} is missing"),
                                        (teacher_id,), (pin.school_id or "",), amount=1))
        return violations

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """A pin no option carries out: named with the first hard rule that rules it out."""
        ctx = pre.ctx
        findings = []
        for teacher_id, pin in ctx.pinned.items():
            if pin_matches(pin, pre.by_teacher.get(pre.position[teacher_id], [])):
                continue
            teacher = ctx.case.teacher(teacher_id)
            school = ctx.school_name(pin.school_id or "")
            reason = _pin_reason(pre, teacher, pin.school_id or "", pin.start_term)
            findings.append(Finding(self.id, True, Text(
                f"锁定的安排{teacher.name}→{school}无法实现：{reason.zh}",
                f"the pinned placement {teacher.name} → {school} is impossible: {reason.en}"),
                school_ids=(pin.school_id or "",), teacher_ids=(teacher_id,),
                relax=Text("删除或修改这条锁定", "remove or change this pin")))
        return findings

    def relaxations(self, case: Case, settings: Settings) -> list[Relaxation]:
        """Each pin dropped in turn."""
        result = []
        for pin in case.pins:
            others = [p for p in case.pins if p is not pin]
            who = case.teacher(pin.teacher_id).name if case.has_teacher(pin.teacher_id) else pin.teacher_id
            where = case.school(pin.school_id).name if pin.school_id and case.has_school(pin.school_id) else ""
            result.append(Relaxation(self.id, Text(f"删除锁定：{who}→{where}（{pin.action.zh}）",
                                                   f"remove the {pin.action.en} of {who} → {where}"),
                                     settings, case.model_copy(update={"pins": others})))
        return result

    def why_unplaced(self, ctx: Context, teacher: Teacher) -> Blocked | None:
        reason = self.why_not_teacher(ctx, teacher)
        return None if reason is None else Blocked("excluded", Text("禁止交流", "excluded by the planner"), reason)


def _pin_reason(pre: PreSolve, teacher: Teacher, school_id: str, start: Term | None) -> Text:
    """The first hard filter rule that rules out the pinned placement, in its own words."""
    ctx = pre.ctx
    spans: list[tuple[int, int | None]] = [(s, terms) for s, terms in ctx.spans if start is None or s == start.ordinal]
    if start is not None and not spans:
        spans = [(start.ordinal, None)]  # a start outside the horizon: the time window says so
    for rule in pre.rules:
        if not rule.filters or rule.mode(ctx.settings) != "hard":
            continue
        reasons = [rule.why_not(ctx, teacher, school_id, subject, s, terms) for subject in teacher.subjects
                   for s, terms in spans]
        if reasons and all(reasons):
            return Text(f"{reasons[0].zh}（{rule.zh}）", f"{reasons[0].en} ({rule.en})")
    return Text("没有满足全部硬规则的开始学期", "no start term satisfies every hard rule")
