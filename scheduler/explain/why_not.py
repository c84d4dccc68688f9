"""Why not: why a teacher stays home, or does not go to a school a planner asks about.

Either a hard rule forbids it (the rule and its reason are quoted), or it is allowed and the
plan is simply better without it: then the placement is pinned, the case re-solved from the
current plan, and the cost is shown level by level against the current plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.context import Context
from ..domain.enums import PinAction
from ..domain.models import Case, Pin
from ..domain.settings import Settings
from ..model import solve
from ..plan import Plan
from ..rules import RULE_BY_ID, Text, active_rules, rule_modes
from .diagnosis import diagnose
from .score import level_values


@dataclass
class WhyNot:
    teacher_id: str
    school_id: str | None
    #: the hard rules that forbid it, each with its reason
    forbidden_by: list[Text] = field(default_factory=list)
    #: per level: (level name, value in the current plan, value with the placement forced)
    costs: list[tuple[Text, float, float]] = field(default_factory=list)
    forced_plan: Plan | None = None

    def lines(self, lang: str = "zh") -> list[str]:
        if self.forbidden_by:
            return [r.get(lang) for r in self.forbidden_by]
        lines = []
        for name, now, forced in self.costs:
            change = forced - now
            if lang == "zh":
                lines.append(f"{name.zh}：现方案 {now:g}，若强制安排则为 {forced:g}（{'+' if change >= 0 else ''}{change:g}）")
            else:
                lines.append(f"{name.en}: {now:g} now, {forced:g} if forced ({'+' if change >= 0 else ''}{change:g})")
        worse = next(((name, forced - now) for name, now, forced in self.costs if forced - now > 1e-9), None)
        if worse is None:
            lines.append("强制安排不会使方案变差（同样好的另一方案）" if lang == "zh"
                         else "forcing it makes the plan no worse (an equally good alternative)")
        else:
            lines.append(f"首先变差的是“{worse[0].zh}”，多 {worse[1]:g}" if lang == "zh"
                         else f"the first level to get worse is {worse[0].en}, by {worse[1]:g}")
        return lines


def _forbidding_rules(ctx: Context, teacher_id: str, school_id: str | None) -> list[Text]:
    teacher = ctx.case.teacher(teacher_id)
    modes = rule_modes(ctx.settings)
    filters = [r for r in active_rules(ctx.settings) if r.filters and modes[r.id] == "hard"]
    for rule in filters:
        reason = rule.why_not_teacher(ctx, teacher)
        if reason:
            return [_quoted(rule.id, reason)]
    schools = [school_id] if school_id else sorted(
        {s for subject in teacher.subjects for s in ctx.schools_needing.get(subject, ())} - {teacher.school_id})
    if not schools:
        return [Text(f"没有学校需要{teacher.name}所教的学科（{'、'.join(teacher.subjects)}）",
                     f"no school needs {teacher.name}'s subjects")]
    reasons: list[Text] = []
    for school in schools:
        found = None
        for rule in filters:
            why = rule.why_not_school(ctx, teacher, school)
            if why:
                found = _quoted(rule.id, why)
                break
        if found is None:
            for rule in filters:
                blocked = [rule.why_not_start(ctx, teacher, school, subject, start, terms)
                           for subject in teacher.subjects for start, terms in ctx.spans]
                if blocked and all(blocked):
                    found = _quoted(rule.id, blocked[0])
                    break
        if found is None:
            return []  # at least one school is allowed: no hard rule forbids it
        reasons.append(found)
    return reasons


def _quoted(rule_id: str, reason: Text) -> Text:
    rule = RULE_BY_ID[rule_id]
    return Text(f"{reason.zh}（规则：{rule.zh}）", f"{reason.en} (rule: {rule.en})")


def why_not(case: Case, settings: Settings, plan: Plan, teacher_id: str, school_id: str | None = None,
            time_limit: float = 20.0) -> WhyNot:
    ctx = Context(case, settings)
    answer = WhyNot(teacher_id, school_id, _forbidding_rules(ctx, teacher_id, school_id))
    if answer.forbidden_by or school_id is None and teacher_id in plan.by_teacher():
        return answer
    pins = [p for p in case.pins if p.teacher_id != teacher_id]
    if school_id is not None:
        pins.append(Pin(teacher_id=teacher_id, action=PinAction.PIN, school_id=school_id))
    forced_case = case.model_copy(update={"pins": pins})
    if school_id is None:
        # Allowed somewhere but not chosen: the cost is only defined for a given school.
        name = case.teacher(teacher_id).name
        answer.forbidden_by.append(Text(f"没有硬规则禁止{name}交流，但现方案不派出更好；请指定学校查看强制安排的代价",
                                        f"no hard rule keeps {name} home, the plan is just better without; "
                                        f"ask about a school to see the cost"))
        return answer
    forced = solve(forced_case, settings.model_copy(update={"time_limit_s": time_limit}), hint=plan)
    answer.forced_plan = forced
    if forced.status == "infeasible":
        # Allowed on its own, but not together with the other hard rules and pins.
        name, school = case.teacher(teacher_id).name, ctx.school_name(school_id)
        conflicts = [f.text for f in diagnose(forced_case, settings) if f.conflict]
        answer.forbidden_by.append(Text(
            f"强制安排{name}去{school}后没有可行方案" + "".join(f"：{t.zh}" for t in conflicts[:1]),
            f"with {name} forced to {school} no plan exists" + "".join(f": {t.en}" for t in conflicts[:1])))
        answer.forbidden_by += conflicts[1:]
        return answer
    # A plan read back or edited by hand carries no levels: score it on the solver's objective.
    now = {level.key: level.value for level in plan.levels} or level_values(case, settings, plan) or {}
    for level in forced.levels:
        answer.costs.append((Text(level.zh, level.en), now.get(level.key, float("nan")), level.value))
    return answer

