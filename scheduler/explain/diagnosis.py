"""Pre-solve diagnosis: arithmetic on the case, no solver, that shows before solving which rule
cannot be met and why, in planners' words and with the figures.

Each rule diagnoses itself (`Rule.diagnose`) from the options every hard filter rule allows;
this module only enumerates those options and asks the active rules in turn: the goals first,
by priority level (the quota's arithmetic is the broadest finding), then the hard rules in
registry order, so a rule can build on what an earlier one found (a team that cannot go is part
of the conflict when its school then cannot meet a hard quota). Findings about hard rules are
conflicts (the solve would be infeasible); the others are shortfalls the plan will show.
"""

from __future__ import annotations

from ..domain.models import Case
from ..domain.settings import Settings
from ..model.options import enumerate_options
from ..rules import Rule, active_rules
from ..rules.base import Finding
from ..rules.context import Context
from ..rules.presolve import PreSolve

__all__ = ["Finding", "diagnose"]


def _order(rule: Rule) -> tuple[bool, int]:
    return rule.level is None, rule.level or 0


def diagnose(case: Case, settings: Settings) -> list[Finding]:
    ctx = Context(case, settings)
    rules = active_rules(settings)
    filters = [r for r in rules if r.filters and r.mode(settings) == "hard"]
    pre = PreSolve(ctx, enumerate_options(ctx, filters), rules)
    findings: list[Finding] = []
    for rule in sorted(rules, key=_order):
        findings += rule.diagnose(pre)
    return findings
