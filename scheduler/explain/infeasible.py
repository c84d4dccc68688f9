"""Why no plan exists, and what to relax.

First the arithmetic of the diagnosis (quota against reachable teachers, pins against rules
and beds, teams without a common school), which names schools and teachers at once. Then the
rules themselves: each hard rule a planner may relax is relaxed in turn, and the ones whose
relaxation makes a plan exist are reported; for pins, each pin is dropped in turn. Every
suggestion is therefore one that, applied alone, makes the case solvable.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.models import Case
from ..domain.settings import Settings
from ..model.feasibility import is_feasible
from ..rules import RULE_BY_ID, Text, rule_modes
from .diagnosis import Finding, diagnose

#: rule → the mode to try instead of hard, in the order planners would accept them
RELAXATIONS = (("quota", "soft"), ("backbone", "soft"), ("links_alive", "soft"), ("pairing", "soft"),
               ("host_capacity", "off"), ("couples", "soft"), ("link_max", "off"), ("team_dispatch", "off"),
               ("stage_fit", "off"))

_MODE = {"soft": ("软约束", "soft"), "off": ("关闭", "off")}


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
        modes = rule_modes(settings)
        for rule_id, mode in RELAXATIONS:
            rule = RULE_BY_ID[rule_id]
            if modes.get(rule_id) != "hard" or mode not in rule.modes:
                continue
            relaxed = settings.model_copy(update={"rule_modes": {**settings.rule_modes, rule_id: mode}})
            if is_feasible(case, relaxed, time_limit):
                zh, en = _MODE[mode]
                relaxations.append(Text(f"把“{rule.zh}”设为{zh}", f"set {rule.en} to {en}"))
        for pin in case.pins:
            others = [p for p in case.pins if p is not pin]
            if is_feasible(case.model_copy(update={"pins": others}), settings, time_limit):
                who = case.teacher(pin.teacher_id).name if case.has_teacher(pin.teacher_id) else pin.teacher_id
                where = case.school(pin.school_id).name if pin.school_id and case.has_school(pin.school_id) else ""
                relaxations.append(Text(f"删除锁定：{who}→{where}（{pin.action.zh}）",
                                        f"remove the {pin.action.en} of {who} → {where}"))
    return InfeasibilityReport(findings, relaxations, feasible)
