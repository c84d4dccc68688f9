"""Pre-solve diagnosis: arithmetic on the case, no solver, that shows before solving which rule
cannot be met and why, in planners' words and with the figures.

Each finding names the schools, teachers and subjects and, where one exists, a relaxation
that would remove it. Findings about hard rules are conflicts (the solve would be infeasible);
the others are shortfalls the plan will show.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ..context import Context, term_label
from ..domain.models import Case
from ..domain.settings import Settings
from ..domain.terms import Term
from ..model.options import Option, enumerate_options
from ..rules import RULE_BY_ID, Text, active_rules, rule_modes


@dataclass(frozen=True)
class Finding:
    rule: str
    #: True when a hard rule cannot hold: no plan exists until it is relaxed
    conflict: bool
    text: Text
    school_ids: tuple[str, ...] = ()
    teacher_ids: tuple[str, ...] = ()
    relax: Text | None = None


def _options(ctx: Context) -> list[Option]:
    modes = rule_modes(ctx.settings)
    filters = [r for r in active_rules(ctx.settings) if r.filters and modes[r.id] == "hard"]
    return enumerate_options(ctx, filters)


def diagnose(case: Case, settings: Settings) -> list[Finding]:
    ctx = Context(case, settings)
    options = _options(ctx)
    findings: list[Finding] = []
    findings += _quota(ctx, options)
    findings += _pins(ctx, options)
    findings += _teams(ctx, options)
    return findings


def _quota(ctx: Context, options: list[Option]) -> list[Finding]:
    modes = rule_modes(ctx.settings)
    if modes["quota"] == "off":
        return []
    hard = modes["quota"] == "hard"
    reachable: dict[str, set[int]] = defaultdict(set)
    for option in options:
        reachable[ctx.case.teachers[option.teacher].school_id].add(option.teacher)
    years = len(ctx.school_years)
    rate = f"{ctx.settings.quota_rate:.0%}"
    findings = []
    for school in ctx.sending_schools:
        required = ctx.quota_required(school.school_id)
        if required == 0:
            continue
        total = required * years
        can = len(reachable.get(school.school_id, ()))
        if can >= total:
            findings += _backbone(ctx, school.school_id, required, reachable.get(school.school_id, set()), years)
            continue
        eligible = ctx.eligible_by_school.get(school.school_id, 0)
        per_year_zh = f"每学年需交流{required}人" + (f"（{years}个学年共{total}人）" if years > 1 else "")
        per_year_en = f"{required} rotations a school year" + (f" ({total} over {years} years)" if years > 1 else "")
        findings.append(Finding("quota", hard, Text(
            f"{school.name}：按{rate}的比例，符合条件的{eligible}名教师中{per_year_zh}，"
            f"但只有{can}人能去到有对口需求的结对学校",
            f"{school.name}: {rate} of {eligible} eligible teachers means {per_year_en}, but only {can} of them "
            f"can reach a linked school with a matching need"),
            school_ids=(school.school_id,),
            relax=Text("将结对模式改为“优先”、为该校增加结对学校或需求，或把交流比例设为软约束",
                       "set pairing to prefer, add links or needs for the school, or make the quota soft")))
    return findings


def _backbone(ctx: Context, school_id: str, required: int, reachable: set[int], years: int) -> list[Finding]:
    modes = rule_modes(ctx.settings)
    if modes["backbone"] == "off":
        return []
    least = math.ceil(ctx.settings.backbone_share * required - 1e-9) * years
    backbone = sum(1 for t in reachable if ctx.case.teachers[t].backbone)
    if backbone >= least:
        return []
    name, share = ctx.school_name(school_id), f"{ctx.settings.backbone_share:.0%}"
    return [Finding("backbone", modes["backbone"] == "hard", Text(
        f"{name}：交流教师中骨干应占{share}，需要{least}名骨干教师，但只有{backbone}名骨干能去到有对口需求的结对学校",
        f"{name}: a {share} backbone share needs {least} backbone teachers, but only {backbone} can reach a linked "
        f"school with a matching need"), school_ids=(school_id,),
        relax=Text("为骨干教师所教学科增加结对学校的需求，或把骨干比例设为软约束",
                   "add needs in the backbone teachers' subjects at linked schools, or make the backbone share soft"))]


def _pins(ctx: Context, options: list[Option]) -> list[Finding]:
    findings = []
    position = {t.teacher_id: i for i, t in enumerate(ctx.case.teachers)}
    by_teacher: dict[int, list[Option]] = defaultdict(list)
    for option in options:
        by_teacher[option.teacher].append(option)
    hosted: dict[tuple[str, int], list[str]] = defaultdict(list)
    for teacher_id, pin in ctx.pinned.items():
        teacher = ctx.case.teacher(teacher_id)
        matching = [o for o in by_teacher.get(position[teacher_id], []) if o.school == pin.school_id
                    and (pin.start_term is None or o.start == pin.start_term.ordinal)]
        school = ctx.school_name(pin.school_id or "")
        if not matching:
            reason = _pin_reason(ctx, teacher_id, pin.school_id or "", pin.start_term)
            findings.append(Finding("pins", True, Text(
                f"锁定的安排{teacher.name}→{school}无法实现：{reason.zh}",
                f"the pinned placement {teacher.name} → {school} is impossible: {reason.en}"),
                school_ids=(pin.school_id or "",), teacher_ids=(teacher_id,),
                relax=Text("删除或修改这条锁定", "remove or change this pin")))
            continue
        start = pin.start_term.ordinal if pin.start_term else matching[0].start
        for ordinal in range(start, start + ctx.length):
            hosted[(pin.school_id or "", ordinal)].append(teacher_id)
    if rule_modes(ctx.settings)["host_capacity"] == "hard":
        for (school_id, ordinal), teachers in sorted(hosted.items()):
            capacity = ctx.case.school(school_id).host_capacity
            if capacity is not None and len(teachers) > capacity:
                names = "、".join(ctx.case.teacher(t).name for t in teachers)
                school = ctx.school_name(school_id)
                findings.append(Finding("host_capacity", True, Text(
                    f"{school}在{term_label(ordinal)}只能接收{capacity}人，但锁定了{len(teachers)}人（{names}）",
                    f"{school} hosts {capacity} in {term_label(ordinal, 'en')} but {len(teachers)} are pinned there ({names})"),
                    school_ids=(school_id,), teacher_ids=tuple(teachers),
                    relax=Text(f"把{school}的接收容量提高到{len(teachers)}，或删去多余的锁定",
                               f"raise {school}'s host capacity to {len(teachers)}, or remove a pin")))
                break
    return findings


def _pin_reason(ctx: Context, teacher_id: str, school_id: str, start: Term | None) -> Text:
    """The first hard rule that rules out the pinned placement, in its own words."""
    teacher = ctx.case.teacher(teacher_id)
    modes = rule_modes(ctx.settings)
    starts = [start.ordinal] if start else ctx.starts
    for rule in active_rules(ctx.settings):
        if not rule.filters or modes[rule.id] != "hard":
            continue
        reasons = [rule.why_not(ctx, teacher, school_id, subject, s) for subject in teacher.subjects for s in starts]
        if reasons and all(reasons):
            return Text(f"{reasons[0].zh}（{RULE_BY_ID[rule.id].zh}）", f"{reasons[0].en} ({RULE_BY_ID[rule.id].en})")
    return Text("没有满足全部硬规则的开始学期", "no start term satisfies every hard rule")


def _teams(ctx: Context, options: list[Option]) -> list[Finding]:
    if rule_modes(ctx.settings)["team_dispatch"] != "hard":
        return []
    position = {t.teacher_id: i for i, t in enumerate(ctx.case.teachers)}
    slots: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for option in options:
        slots[option.teacher].add((option.school, option.start))
    findings = []
    for team, members in sorted(ctx.teams.items()):
        common = set.intersection(*(slots.get(position[m.teacher_id], set()) for m in members))
        if common:
            continue
        names = "、".join(m.name for m in members)
        alone = [m.name for m in members if not slots.get(position[m.teacher_id])]
        why_zh = f"，其中{'、'.join(alone)}没有任何可去的学校" if alone else ""
        why_en = f"; {', '.join(alone)} cannot go anywhere" if alone else ""
        findings.append(Finding("team_dispatch", False, Text(
            f"团队{team}（{names}）没有一所能同时接收全体成员的学校{why_zh}，整个团队将不派出",
            f"team {team} ({names}) has no school that can take all its members at once{why_en}; the team stays home"),
            teacher_ids=tuple(m.teacher_id for m in members),
            relax=Text("调整团队成员，或关闭“组团派出”规则", "change the team, or switch team dispatch off")))
    return findings
