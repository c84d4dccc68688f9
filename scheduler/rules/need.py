"""Level 2: fill the receiving schools' subject needs, the urgent ones and music/PE/art first.

An unfilled teacher-term costs the school's priority × the need's priority, times the 音体美
weight for music, PE and art. Filling is linear in the placements, so no extra variables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .context import Context, term_label
from ..domain.subjects import ARTS, subject_label
from .base import WEIGHT_SCALE, Explanation, Rule, Text, Violation

if TYPE_CHECKING:
    from .builder_api import GreedyPlan, ModelBuilder
    from ..plan import Plan


@dataclass(frozen=True)
class NeedRow:
    school_id: str
    subject: str
    term: int  # ordinal
    need: int
    filled: int
    weight: int  # × WEIGHT_SCALE

    @property
    def shortfall(self) -> int:
        return max(0, self.need - self.filled)


def need_rows(ctx: Context, plan: Plan) -> list[NeedRow]:
    filled: dict[tuple[str, str, int], int] = defaultdict(int)
    for p in plan.placements:
        for ordinal in p.ordinals:
            filled[(p.school_id, p.subject, ordinal)] += 1
    first, last = ctx.horizon
    return [NeedRow(school, subject, ordinal, need, min(need, filled.get((school, subject, ordinal), 0)),
                    ctx.need_weight[(school, subject, ordinal)])
            for (school, subject, ordinal), need in sorted(ctx.need.items()) if first <= ordinal <= last]


class NeedFill(Rule):
    id = "need"
    zh, en = "学科需求", "subject need"
    zh_doc = "尽量填满接收学校的学科缺口，按学校和需求优先级加权，音体美另加权重"
    en_doc = "fill the receiving schools' needs, weighted by school and need priority, music/PE/art extra"
    modes = ("soft", "off")
    settings_keys = ("arts_weight",)
    level = 2

    def build(self, model: ModelBuilder) -> None:
        ctx = model.ctx
        first, last = ctx.horizon
        weights = ctx.need_weight
        model.constant(self, sum(weights[cell] * need for cell, need in ctx.need.items() if first <= cell[2] <= last))
        model.option_costs_of(self, ((i, -sum(weights.get((option.school, option.subject, o), 0)
                                                for o in model.covered(option)))
                                     for i, option in enumerate(model.options)))

    def seed(self, model: ModelBuilder, greedy: GreedyPlan) -> None:
        """Last step of the greedy plan: every option that still fits and fills need, most valuable first."""
        held, options = greedy.held, model.options
        for i in greedy.ranked(i for i in range(len(options)) if options[i].teacher not in held):
            if greedy.value(i) > 0:
                greedy.take([i])

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        return [Violation(self.id, False, Text(
            f"{ctx.school_name(r.school_id)}{term_label(r.term)}{r.subject}缺{r.shortfall}人",
            f"{ctx.school_name(r.school_id)} lacks {r.shortfall} {subject_label(r.subject, 'en')} teacher(s) in {term_label(r.term, 'en')}"),
            school_ids=(r.school_id,), amount=r.shortfall * r.weight / WEIGHT_SCALE)
            for r in need_rows(ctx, plan) if r.shortfall]

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        rows = need_rows(ctx, plan)
        need, filled = sum(r.need for r in rows), sum(r.filled for r in rows)
        arts = [r for r in rows if r.subject in ARTS]
        arts_need, arts_filled = sum(r.need for r in arts), sum(r.filled for r in arts)
        return Explanation(self.id, Text(
            f"需求{need}人·学期，已满足{filled}；其中音体美{arts_need}，已满足{arts_filled}",
            f"{filled} of {need} needed teacher-terms filled; music/PE/art {arts_filled} of {arts_need}"))
