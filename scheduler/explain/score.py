"""Score breakdown: what each goal rule costs the plan at its priority level, and who carries it.

Built from the rules' own audits (shortfalls with their amounts), so the figures are the ones
the audit reports and the sheets print, not the solver's internal weights. `level_values` is the
other view: a fixed plan scored on the solver's own objective, level by level, without a search.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..rules.context import Context
from ..domain.models import Case
from ..domain.settings import Settings
from ..model.fixed import option_level_values
from ..model.solve import build, option_indices
from ..plan import Plan
from ..rules import LEVELS, Text, active_rules, rule_modes
from ..rules.levels import LEVEL_BY_NUMBER, PRIORITY


@dataclass(frozen=True)
class ScoreLine:
    level: int
    rule: str
    name: Text
    amount: float
    count: int
    #: the schools carrying most of it, with their share, largest first
    schools: tuple[tuple[str, float], ...]

    def text(self, ctx: Context, lang: str = "zh") -> str:
        level = next(level for level in LEVELS if level.number == self.level)
        who = ("、" if lang == "zh" else ", ").join(f"{ctx.school_name(s)} {a:g}" for s, a in self.schools)
        if lang == "zh":
            return f"第{self.level}级 {level.zh} · {self.name.zh}：{self.amount:g}（{self.count}处）" + (f"，主要在 {who}" if who else "")
        return f"level {self.level} {level.en} · {self.name.en}: {self.amount:g} ({self.count})" + (f", mostly {who}" if who else "")


def score_breakdown(ctx: Context, plan: Plan, top: int = 3) -> list[ScoreLine]:
    modes = rule_modes(ctx.settings)
    lines = []
    for rule in active_rules(ctx.settings):
        level = rule.level if modes[rule.id] == "soft" else None
        if level is None or not rule.applies(ctx):
            continue
        shortfalls = [v for v in rule.audit(ctx, plan) if not v.hard]
        by_school: dict[str, float] = defaultdict(float)
        for violation in shortfalls:
            for school in violation.school_ids[:1]:
                by_school[school] += violation.amount
        ranked = tuple(sorted(by_school.items(), key=lambda kv: -kv[1])[:top])
        lines.append(ScoreLine(level, rule.id, Text(rule.zh, rule.en), sum(v.amount for v in shortfalls),
                               len(shortfalls), ranked))
    return sorted(lines, key=lambda line: (PRIORITY[line.level], -line.amount))


def level_values(case: Case, settings: Settings, plan: Plan) -> dict[str, float] | None:
    """Level key → the plan's value on the solver's objective (planners' units), as a solve would
    report it; None when the plan breaks a hard rule or has a placement no option allows."""
    _, model = build(case, settings)
    chosen = option_indices(model, plan)
    if len(chosen) != len(plan.placements):
        return None
    values = option_level_values(model, chosen)
    if values is None:
        return None
    return {LEVEL_BY_NUMBER[n].key: v / LEVEL_BY_NUMBER[n].scale for n, v in values.items()}
