"""Level 3: keep every pairing link alive: at least its min_per_year teachers a school year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import Context
from ..domain.terms import school_year_label
from .base import WEIGHT_SCALE, Explanation, Rule, Text, Violation
from .capacity import pair_year_counts

if TYPE_CHECKING:
    from .builder_api import ModelBuilder
    from ..plan import Plan


class LinksAlive(Rule):
    id = "links_alive"
    zh, en = "结对保持", "links kept alive"
    zh_doc = "每条结对关系每学年至少派出“每年最少派出”人"
    en_doc = "each link sends at least its min_per_year teachers every school year"
    modes = ("soft", "hard", "off")
    level = 3
    relax_rank = 30

    def build(self, model: ModelBuilder) -> None:
        for link in model.ctx.case.links:
            if not link.min_per_year:
                continue
            pair = frozenset((link.lead_school_id, link.member_school_id))
            for year in model.ctx.school_years:
                sent = model.by_pair_year.get((pair, year), [])
                if model.mode(self) == "hard":
                    model.at_least(self, sent, link.min_per_year)
                else:
                    model.shortfall(self, sent, link.min_per_year, WEIGHT_SCALE)

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        counts = pair_year_counts(ctx, plan)
        hard = self.mode(ctx.settings) == "hard"
        violations = []
        for link in ctx.case.links:
            for year in ctx.school_years if link.min_per_year else ():
                sent = len(counts.get((frozenset((link.lead_school_id, link.member_school_id)), year), []))
                if sent < link.min_per_year:
                    a, b = ctx.school_name(link.lead_school_id), ctx.school_name(link.member_school_id)
                    violations.append(Violation(self.id, hard, Text(
                        f"{a}与{b}（{link.program}）{school_year_label(year)}至少{link.min_per_year}人，实际{sent}人",
                        f"{a} – {b} ({link.program}) should send {link.min_per_year} in "
                        f"{school_year_label(year, 'en')}, sends {sent}"),
                        school_ids=(link.lead_school_id, link.member_school_id), amount=link.min_per_year - sent))
        return violations

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        short = len(self.audit(ctx, plan))
        total = sum(len(ctx.school_years) for link in ctx.case.links if link.min_per_year)
        return Explanation(self.id, Text(f"{total}个结对学年中{total - short}个达到最少派出人数",
                                         f"{total - short} of {total} link-years meet their minimum"))
