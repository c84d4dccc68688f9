"""Planner pins: 锁定 placements are in the plan, 禁止 schools are never used, 禁止交流 teachers stay home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import Context, term_label
from ..domain.models import Teacher
from .base import Rule, Text, Violation

if TYPE_CHECKING:
    from ..model.builder import PlanModel
    from ..plan import Plan


class Pins(Rule):
    id = "pins"
    zh, en = "锁定与禁止", "pins and forbids"
    zh_doc = "锁定的安排必须出现在方案中；禁止的学校不安排；禁止交流的教师不派出"
    en_doc = "pinned placements are in the plan; forbidden schools are never used; excluded teachers stay home"
    filters = True

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        if teacher.teacher_id in ctx.excluded:
            return Text(f"{teacher.name}被设为禁止交流", f"{teacher.name} is excluded by the planner")
        return None

    def why_not_school(self, ctx: Context, teacher: Teacher, school_id: str) -> Text | None:
        if school_id in ctx.forbidden.get(teacher.teacher_id, ()):
            name = ctx.school_name(school_id)
            return Text(f"规划人员禁止{teacher.name}去{name}", f"the planner forbids {teacher.name} to go to {name}")
        return None

    def build(self, model: PlanModel) -> None:
        ctx = model.ctx
        position = {t.teacher_id: i for i, t in enumerate(ctx.case.teachers)}
        for teacher_id, pin in ctx.pinned.items():
            chosen = [i for i in model.by_teacher.get(position[teacher_id], [])
                      if model.options[i].school == pin.school_id
                      and (pin.start_term is None or model.options[i].start == pin.start_term.ordinal)]
            # With no allowed option this is 0 == 1: the case is infeasible and the diagnosis says why.
            model.model.add(model.sum(chosen) == 1)

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
