"""Level 1: each sending school rotates its quota of eligible teachers every school year, with
enough backbone teachers among them.

Soft by default (the top priority of the objective), so a plan always comes out and the
shortfall is reported school by school; hard when the planner sets 比例硬约束.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .context import Context
from ..domain.settings import Settings
from ..domain.terms import school_year_label
from .base import Explanation, Rule, Text, Violation

if TYPE_CHECKING:
    from ..model.builder import PlanModel
    from ..plan import Plan


@dataclass(frozen=True)
class QuotaRow:
    school_id: str
    school_year: int
    eligible: int
    required: int
    rotated: int
    backbone_rotated: int
    backbone_required: int

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.rotated)

    @property
    def backbone_shortfall(self) -> int:
        return max(0, self.backbone_required - self.backbone_rotated)

    @property
    def met(self) -> bool:
        """The school-year meets its quota only with the backbone share too: the school story, the
        Plan page's table and the 派出学校汇总 sheet all read this, so they can never disagree."""
        return self.shortfall == 0 and self.backbone_shortfall == 0


def backbone_required(settings: Settings, required: int) -> int:
    """Backbone teachers owed: the share of the rotations the quota asks for.

    Rotations beyond the quota (sent to fill rural needs) do not raise it: counting them would
    make the top priority level hold back extra teachers from schools short of backbone staff
    (Datong: 410 instead of 414 placed). A constant per school also keeps the model linear.
    """
    return math.ceil(settings.backbone_share * required - 1e-9)


def quota_rows(ctx: Context, plan: Plan) -> list[QuotaRow]:
    """One row per sending school with eligible teachers and school year of the horizon."""
    rotated: dict[tuple[str, int], list[bool]] = {}
    for p in plan.placements:
        if ctx.case.has_teacher(p.teacher_id):
            teacher = ctx.case.teacher(p.teacher_id)
            rotated.setdefault((teacher.school_id, p.start.school_year), []).append(teacher.backbone)
    rows = []
    for school in ctx.sending_schools:
        eligible = ctx.eligible_by_school.get(school.school_id, 0)
        if eligible == 0:
            continue
        for year in ctx.school_years:
            flags = rotated.get((school.school_id, year), [])
            required = ctx.quota_required(school.school_id)
            rows.append(QuotaRow(school.school_id, year, eligible, required, len(flags), sum(flags),
                                 backbone_required(ctx.settings, required)))
    return rows


class _QuotaRule(Rule):
    modes = ("soft", "hard", "off")
    level = 1

    def default_mode(self, settings: Settings) -> str:
        return "hard" if settings.quota_hard else "soft"

    def _bound(self, model: PlanModel, expr, upper: int, hard: bool):
        """A shortfall ≥ expr, ≥ 0: zero when hard, a cost at level 1 when soft."""
        if hard:
            model.model.add(expr <= 0)
            return
        shortfall = model.model.new_int_var(0, max(upper, 0), "")
        model.model.add(shortfall >= expr)
        model.aux_cost(1, shortfall, self.unit)


class RotationQuota(_QuotaRule):
    id = "quota"
    zh, en = "交流比例", "rotation quota"
    zh_doc = "每所派出学校每学年交流人数不少于符合条件教师的规定比例（默认10%）"
    en_doc = "each sending school rotates at least the quota rate (10 %) of its eligible teachers each school year"
    settings_keys = ("quota_rate", "quota_hard", "min_years", "sending_localities")
    unit = 10  # one missing teacher; the backbone rule charges the same

    def build(self, model: PlanModel) -> None:
        ctx = model.ctx
        for school in ctx.sending_schools:
            required = ctx.quota_required(school.school_id)
            if required == 0:
                continue
            for year in ctx.school_years:
                rotated = model.sum(model.by_home_year.get((school.school_id, year), []))
                self._bound(model, required - rotated, required, model.mode(self) == "hard")

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        hard = self.mode(ctx.settings) == "hard"
        return [Violation(self.id, hard, Text(
            f"{ctx.school_name(r.school_id)}{school_year_label(r.school_year)}应交流{r.required}人（符合条件{r.eligible}人），"
            f"实际{r.rotated}人，差{r.shortfall}人",
            f"{ctx.school_name(r.school_id)} must rotate {r.required} of {r.eligible} eligible in "
            f"{school_year_label(r.school_year, 'en')}, rotates {r.rotated}, {r.shortfall} short"),
            school_ids=(r.school_id,), amount=r.shortfall) for r in quota_rows(ctx, plan) if r.shortfall]

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        rows = quota_rows(ctx, plan)
        met = sum(1 for r in rows if r.shortfall == 0)
        return Explanation(self.id, Text(f"{len(rows)}个学校学年中{met}个达到交流比例",
                                         f"{met} of {len(rows)} school-years meet the quota"))


class BackboneShare(_QuotaRule):
    id = "backbone"
    zh, en = "骨干比例", "backbone share"
    zh_doc = "完成交流比例的人员中骨干教师不少于规定比例（默认20%）"
    en_doc = "at least the backbone share (20 %) of the quota's rotations are backbone teachers"
    settings_keys = ("backbone_share", "quota_hard")
    unit = 10

    def build(self, model: PlanModel) -> None:
        ctx = model.ctx
        for school in ctx.sending_schools:
            owed = backbone_required(ctx.settings, ctx.quota_required(school.school_id))
            if owed == 0:
                continue
            for year in ctx.school_years:
                indices = model.by_home_year.get((school.school_id, year), [])
                backbone = model.sum([i for i in indices if model.teacher(model.options[i]).backbone])
                self._bound(model, owed - backbone, owed, model.mode(self) == "hard")

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        hard = self.mode(ctx.settings) == "hard"
        return [Violation(self.id, hard, Text(
            f"{ctx.school_name(r.school_id)}{school_year_label(r.school_year)}交流{r.rotated}人中骨干{r.backbone_rotated}人，"
            f"至少应有{r.backbone_required}人",
            f"{ctx.school_name(r.school_id)} rotates {r.rotated} in {school_year_label(r.school_year, 'en')}, "
            f"{r.backbone_rotated} backbone, needs {r.backbone_required}"),
            school_ids=(r.school_id,), amount=r.backbone_shortfall) for r in quota_rows(ctx, plan) if r.backbone_shortfall]

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        rows = [r for r in quota_rows(ctx, plan) if r.rotated]
        met = sum(1 for r in rows if r.backbone_shortfall == 0)
        rotated = sum(r.rotated for r in rows)
        backbone = sum(r.backbone_rotated for r in rows)
        return Explanation(self.id, Text(
            f"交流{rotated}人中骨干{backbone}人；{len(rows)}个学校学年中{met}个达到骨干比例",
            f"{backbone} of {rotated} rotated are backbone; {met} of {len(rows)} school-years meet the share"))
