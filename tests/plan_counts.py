"""Figures of a plan counted straight from the case and the placements, the long way round, so a
test comparing them with the program's own figures fails when those are wrong.

Only the policy definitions are shared with the program (who is eligible: `Context.eligible`;
which schools send: `Context.is_sending`; who counts as backbone: `counts_as_backbone`, 骨干认定);
every count is made here, the quota's units (比例范围) and the backbone base (骨干比例基数) included.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from scheduler.rules.context import Context
from scheduler.domain.subjects import ARTS
from scheduler.plan import Plan
from scheduler.rules.quota import counts_as_backbone


@dataclass
class Counts:
    placements: int
    backbone_placed: int
    sending_schools: int
    schools_meeting_quota: int
    school_years: int
    school_years_meeting_quota: int
    quota_shortfall: int
    backbone_shortfall: int
    #: school-years that rotate anyone, and those of them with enough backbone teachers among them
    rotating_years: int
    backbone_years_met: int
    need_total: int
    need_filled: int
    arts_need: int
    arts_filled: int
    link_years: int
    link_years_alive: int
    links_used: int
    linked_placements: int
    with_wishes: int
    first_wish: int
    any_wish: int


def count(ctx: Context, plan: Plan) -> Counts:
    case, settings = ctx.case, ctx.settings
    teacher = {t.teacher_id: t for t in case.teachers}
    home = {p.teacher_id: teacher[p.teacher_id].school_id for p in plan.placements}

    # the quota: per unit (比例范围: the sending school, its 学区 — a school without one alone — or its
    # county) with eligible teachers, per school year a placement can start in
    scope = settings.quota_scope.value
    unit_of: dict[str, str] = {}
    for s in case.schools:
        if ctx.is_sending(s):
            unit_of[s.school_id] = (f"d:{s.district.strip()}" if scope == "district" and (s.district or "").strip()
                                    else f"c:{s.county}" if scope == "county" else s.school_id)
    eligible = Counter(unit_of[t.school_id] for t in case.teachers if t.school_id in unit_of and ctx.eligible(t))
    sending = sorted({u for u in unit_of.values() if eligible[u]})
    years = sorted({y for y in ctx.school_years})
    home_unit = {t: unit_of.get(s) for t, s in home.items()}
    rotated = Counter((home_unit[p.teacher_id], p.start.school_year) for p in plan.placements)
    is_backbone = {t.teacher_id: counts_as_backbone(settings, t) for t in case.teachers}
    backbone = Counter((home_unit[p.teacher_id], p.start.school_year) for p in plan.placements
                       if is_backbone[p.teacher_id])
    met_years = short = backbone_short = backbone_met = rotating = 0
    met_schools = 0
    for school in sending:
        required = math.ceil(settings.quota_rate * eligible[school] - 1e-9)
        every_year = True
        for year in years:
            base = {"rotated": rotated[(school, year)], "quota": required,
                    "eligible": eligible[school]}[settings.backbone_base.value]
            backbone_required = math.ceil(settings.backbone_share * base - 1e-9)
            missing = max(0, required - rotated[(school, year)])
            short += missing
            met_years += missing == 0
            every_year &= missing == 0
            backbone_missing = max(0, backbone_required - backbone[(school, year)])
            backbone_short += backbone_missing
            if rotated[(school, year)]:
                rotating += 1
                backbone_met += backbone_missing == 0
        met_schools += every_year

    # the need: teacher-terms per school, subject and term of the horizon, filled at most up to the need
    first, last = ctx.horizon
    need: dict[tuple[str, str, int], int] = defaultdict(int)
    for demand in case.demands:
        for ordinal in range(demand.from_term.ordinal, demand.to_term.ordinal + 1):
            if first <= ordinal <= last:
                need[(demand.school_id, demand.subject, ordinal)] += demand.count
    there: Counter = Counter()
    for p in plan.placements:
        for ordinal in range(p.start.ordinal, p.start.ordinal + p.terms):
            there[(p.school_id, p.subject, ordinal)] += 1
    filled = {cell: min(n, there[cell]) for cell, n in need.items()}
    arts = [cell for cell in need if cell[1] in ARTS]

    # links: teachers sent between the two schools of a link in a school year
    along = Counter((frozenset((home[p.teacher_id], p.school_id)), p.start.school_year) for p in plan.placements)
    link_years = alive = used = 0
    for link in case.links:
        pair = frozenset((link.lead_school_id, link.member_school_id))
        used += any(along[(pair, year)] for year in {y for (_, y) in along})
        if link.min_per_year:
            for year in years:
                link_years += 1
                alive += along[(pair, year)] >= link.min_per_year
    pairs = {frozenset((link.lead_school_id, link.member_school_id)) for link in case.links}

    wishing = [p for p in plan.placements if teacher[p.teacher_id].preferences]
    return Counts(
        placements=len(plan.placements),
        backbone_placed=sum(is_backbone[p.teacher_id] for p in plan.placements),
        sending_schools=len(sending), schools_meeting_quota=met_schools,
        school_years=len(sending) * len(years), school_years_meeting_quota=met_years,
        quota_shortfall=short, backbone_shortfall=backbone_short, rotating_years=rotating,
        backbone_years_met=backbone_met,
        need_total=sum(need.values()), need_filled=sum(filled.values()),
        arts_need=sum(need[c] for c in arts), arts_filled=sum(filled[c] for c in arts),
        link_years=link_years, link_years_alive=alive, links_used=used,
        linked_placements=sum(frozenset((home[p.teacher_id], p.school_id)) in pairs for p in plan.placements),
        with_wishes=len(wishing),
        first_wish=sum(teacher[p.teacher_id].preferences[0] == p.school_id for p in wishing),
        any_wish=sum(p.school_id in teacher[p.teacher_id].preferences for p in wishing),
    )
