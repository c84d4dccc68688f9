"""Pre-solve diagnosis: arithmetic on the case, no solver, that shows before solving which rule
cannot be met and why, in planners' words and with the figures.

Each finding names the schools, teachers and subjects and, where one exists, a relaxation
that would remove it. Findings about hard rules are conflicts (the solve would be infeasible);
the others are shortfalls the plan will show.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from ..rules.context import Context, term_label
from ..domain.models import Case
from ..domain.settings import Settings
from ..domain.terms import Term, school_year_label
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
    stuck = _stuck_team_members(ctx, options)
    quota = _quota(ctx, [o for o in options if o.teacher not in stuck])
    findings += quota
    findings += _pins(ctx, options)
    # A team that must stay home is part of the conflict when its school then cannot meet a hard quota.
    short = {s for f in quota if f.conflict and f.rule == "quota" for s in f.school_ids}
    findings += [replace(f, conflict=True) if any(ctx.case.teacher(t).school_id in short for t in f.teacher_ids)
                 else f for f in _teams(ctx, options)]
    return findings


def _names(names: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def _team_slots(ctx: Context, options: list[Option]) -> dict[str, set[tuple[str, int]]]:
    """team → the (school, start) every member could take (empty: the team can never go)."""
    position = {t.teacher_id: i for i, t in enumerate(ctx.case.teachers)}
    slots: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for option in options:
        slots[option.teacher].add((option.school, option.start))
    return {team: set.intersection(*(slots.get(position[m.teacher_id], set()) for m in members))
            for team, members in ctx.teams.items()}


def _stuck_team_members(ctx: Context, options: list[Option]) -> set[int]:
    """Positions of the members of teams that can never go together (under a hard team rule they stay home)."""
    if rule_modes(ctx.settings)["team_dispatch"] != "hard":
        return set()
    position = {t.teacher_id: i for i, t in enumerate(ctx.case.teachers)}
    return {position[m.teacher_id] for team, common in _team_slots(ctx, options).items() if not common
            for m in ctx.teams[team]}


def _quota(ctx: Context, options: list[Option]) -> list[Finding]:
    modes = rule_modes(ctx.settings)
    if modes["quota"] == "off":
        return []
    hard = modes["quota"] == "hard"
    by_home: dict[str, list[Option]] = defaultdict(list)
    for option in options:
        by_home[ctx.case.teachers[option.teacher].school_id].append(option)
    years = len(ctx.school_years)
    rate = f"{ctx.settings.quota_rate:.0%}"
    strict = modes["pairing"] == "hard"
    where = Text("有对口需求的结对学校" if strict else "有对口需求的学校",
                 "a linked school with a matching need" if strict else "a school with a matching need")
    relax = Text("将结对模式改为“优先”、为该校增加结对学校或需求，或把交流比例设为软约束" if strict
                 else "为该校教师所教学科增加需求，或把交流比例设为软约束",
                 "set pairing to prefer, add links or needs for the school, or make the quota soft" if strict
                 else "add needs in the school's subjects, or make the quota soft")
    findings = []
    for school in ctx.sending_schools:
        required = ctx.quota_required(school.school_id)
        if required == 0:
            continue
        total = required * years
        reachable = {o.teacher for o in by_home.get(school.school_id, [])}
        can = len(reachable)
        if can < total:
            eligible = ctx.eligible_by_school.get(school.school_id, 0)
            per_year_zh = f"每学年需交流{required}人" + (f"（{years}个学年共{total}人）" if years > 1 else "")
            per_year_en = f"{required} rotations a school year" + (
                f" ({total} over {years} years)" if years > 1 else "")
            findings.append(Finding("quota", hard, Text(
                f"{school.name}：按{rate}的比例，符合条件的{eligible}名教师中{per_year_zh}，"
                f"但只有{can}人能去到{where.zh}",
                f"{school.name}: {rate} of {eligible} eligible teachers means {per_year_en}, but only {can} of them "
                f"can reach {where.en}"),
                school_ids=(school.school_id,), relax=relax))
            continue
        # Enough teachers can go: are there enough places for them in each school year?
        places = _places(ctx, school.school_id, by_home.get(school.school_id, []))
        short = sorted((year, places.get(year, 0)) for year in ctx.school_years if places.get(year, 0) < required)
        if short:
            year, n = short[0]
            findings.append(Finding("quota", hard, Text(
                f"{school.name}：按{rate}的比例每学年需交流{required}人，但{school_year_label(year)}"
                f"{where.zh}最多只能接收其{n}人（需求人数、接收容量与结对上限所限）",
                f"{school.name}: {rate} means {required} rotations a school year, but in "
                f"{school_year_label(year, 'en')} the {'linked ' if strict else ''}schools with a matching need "
                f"can take at most {n} of its teachers (need counts, host capacity, link maxima)"),
                school_ids=(school.school_id,), relax=relax))
            continue
        findings += _backbone(ctx, school.school_id, required, reachable, years)
    return findings


def _places(ctx: Context, home: str, options: list[Option]) -> dict[int, int]:
    """School year → an upper bound on the placements the options of sending school `home` can start in
    it: per receiving school, the need of each (subject, start) it offers, capped by its host capacity
    and the link's yearly maximum when those rules are hard, and never more than the teachers who can go.
    A bound, so a shortfall it shows is certain; a shared need (two schools, one post) is left to the solver."""
    modes = rule_modes(ctx.settings)
    cells: dict[int, dict[str, set[tuple[str, int]]]] = defaultdict(lambda: defaultdict(set))
    teachers: dict[int, set[int]] = defaultdict(set)
    for o in options:
        year = Term.from_ordinal(o.start).school_year
        cells[year][o.school].add((o.subject, o.start))
        teachers[year].add(o.teacher)
    link_max: dict[frozenset[str], int] = {}
    for link in ctx.case.links:
        if link.max_per_year is not None:
            pair = frozenset((link.lead_school_id, link.member_school_id))
            link_max[pair] = min(link.max_per_year, link_max.get(pair, link.max_per_year))
    places = {}
    for year, hosts in cells.items():
        total = 0
        for school_id, offered in hosts.items():
            seats = sum(min(ctx.need.get((school_id, subject, t), 0) for t in range(start, start + ctx.length))
                        for subject, start in offered)
            capacity = ctx.case.school(school_id).host_capacity
            if modes["host_capacity"] == "hard" and capacity is not None:
                seats = min(seats, capacity * len({start for _, start in offered}))
            cap = link_max.get(frozenset((home, school_id)))
            if modes["link_max"] == "hard" and cap is not None:
                seats = min(seats, cap)
            total += seats
        places[year] = min(total, len(teachers[year]))
    return places


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
        # Without a start term the pin holds for certain only the terms every possible start covers.
        certain = set.intersection(*(set(range(o.start, o.start + ctx.length)) for o in matching))
        for ordinal in sorted(certain):
            hosted[(pin.school_id or "", ordinal)].append(teacher_id)
    if rule_modes(ctx.settings)["host_capacity"] == "hard":
        for (school_id, ordinal), teachers in sorted(hosted.items()):
            capacity = ctx.case.school(school_id).host_capacity
            if capacity is not None and len(teachers) > capacity:
                names = [ctx.case.teacher(t).name for t in teachers]
                school = ctx.school_name(school_id)
                findings.append(Finding("host_capacity", True, Text(
                    f"{school}在{term_label(ordinal)}只能接收{capacity}人，但锁定了{len(teachers)}人（{_names(names, 'zh')}）",
                    f"{school} hosts {capacity} in {term_label(ordinal, 'en')} but {len(teachers)} are pinned there "
                    f"({_names(names, 'en')})"),
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
    reachable = {option.teacher for option in options}
    findings = []
    for team, common in sorted(_team_slots(ctx, options).items()):
        if common:
            continue
        members = ctx.teams[team]
        names = [m.name for m in members]
        alone = [m.name for m in members if position[m.teacher_id] not in reachable]
        pinned = [m.name for m in members if m.teacher_id in ctx.pinned]
        why_zh = f"，其中{_names(alone, 'zh')}没有任何可去的学校" if alone else ""
        why_en = f"; {_names(alone, 'en')} cannot go anywhere" if alone else ""
        # A pinned member must go, so the team cannot stay home: the case has no plan.
        then_zh = f"，但{_names(pinned, 'zh')}已被锁定派出" if pinned else "，整个团队将不派出"
        then_en = f", but {_names(pinned, 'en')} is pinned to go" if pinned else "; the team stays home"
        findings.append(Finding("team_dispatch", bool(pinned), Text(
            f"团队{team}（{_names(names, 'zh')}）没有一所能同时接收全体成员的学校{why_zh}{then_zh}",
            f"team {team} ({_names(names, 'en')}) has no school that can take all its members at once"
            f"{why_en}{then_en}"),
            teacher_ids=tuple(m.teacher_id for m in members),
            relax=Text("调整团队成员，或关闭“组团派出”规则" + ("，或删除锁定" if pinned else ""),
                       "change the team, or switch team dispatch off" + (", or remove the pin" if pinned else ""))))
    return findings
