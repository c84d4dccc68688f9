"""Why no plan exists, and what to relax.

First the arithmetic of the diagnosis (quota against reachable teachers, pins against rules
and beds, teams without a common school), which names schools and teachers at once. Then the
rules themselves: each rule says what relaxing it means (`Rule.relaxations`: a hard rule set to
soft or off, a pin dropped), the suggestions are tried one at a time in the order planners would
accept them (`Rule.relax_rank`), and the ones that make a plan exist are reported. Every
suggestion is therefore one that, applied alone, makes the case solvable.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.models import Case
from ..domain.settings import Settings
from ..model.feasibility import is_feasible
from ..rules import RULES, Text
from .diagnosis import Finding, diagnose


@dataclass
class InfeasibilityReport:
    findings: list[Finding]
    relaxations: list[Text]
    feasible: bool | None

    def lines(self, lang: str = "zh") -> list[str]:
        lines = [f.text.get(lang) + (f" → {f.relax.get(lang)}" if f.relax else "") for f in self.findings]
        if self.relaxations:
            lines.append("以下任一调整可得到可行方案：" if lang == "zh" else "Any one of these makes a plan possible:")
            lines += [f"- {r.get(lang)}" for r in self.relaxations]
        return lines


def explain_infeasible(case: Case, settings: Settings, time_limit: float = 10.0) -> InfeasibilityReport:
    findings = [f for f in diagnose(case, settings) if f.conflict]
    feasible = is_feasible(case, settings, time_limit)
    relaxations: list[Text] = []
    if feasible is False:
        for rule in sorted(RULES, key=lambda r: r.relax_rank):
            for relaxation in rule.relaxations(case, settings):
                if is_feasible(relaxation.case or case, relaxation.settings, time_limit):
                    relaxations.append(relaxation.text)
    return InfeasibilityReport(findings, relaxations, feasible)
