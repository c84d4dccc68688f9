"""Level 4: among plans equal on quota, need and links, honour the teachers.

Costs per placement, in this order of weight: a school ranked lower in the teacher's wishes
(or not among them), then promotion seekers and the longest-serving going first, then a
shorter trip when schools have coordinates. The weights only rank these within the level.

A promotion seeker (拟申报高级职称) goes first only while the 交流记录 shows no rural service: a year at
a rural or weak school is what the application needs (2018 national notice), so once it is on record
the priority has done its work. Rural service is a past placement at a 乡村 or 镇区 school of the 学校
sheet, or at a host the 学校 sheet does not know (a record of the exchange program elsewhere, most
often another county's rural school: counted, so nobody is put first twice); a placement at a 城区
school (跟岗学习, rural → urban) is not.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .context import Context
from ..domain.enums import Locality
from ..domain.models import Exchange, Teacher
from .base import Explanation, Rule, Text

if TYPE_CHECKING:
    from .builder_api import ModelBuilder
    from ..plan import Plan

RANK_COST = 20  # each step down the wish list
UNLISTED_COST = 100  # a school not among the teacher's wishes
PROMOTION_BONUS = 30  # a 高级职称 applicant needs the rural year
YEAR_BONUS = 1  # per year at the school, capped at 30
KM_COST_PER = 25  # one unit per 25 km


def distance_km(ctx: Context, teacher: Teacher, school_id: str) -> float | None:
    home, host = ctx.home(teacher), ctx.case.school(school_id)
    if None in (home.lon, home.lat, host.lon, host.lat):
        return None
    # Equirectangular is plenty at county scale.
    x = math.radians(host.lon - home.lon) * math.cos(math.radians((home.lat + host.lat) / 2))
    y = math.radians(host.lat - home.lat)
    return 6371 * math.hypot(x, y)


def rural_service(ctx: Context, teacher: Teacher) -> Exchange | None:
    """The teacher's latest past placement that counts as rural service (see the module's docstring)."""
    for exchange in reversed(ctx.case.history_of(teacher.teacher_id)):
        host = exchange.host_school_id
        if not host or not ctx.case.has_school(host) or ctx.case.school(host).locality is not Locality.URBAN:
            return exchange
    return None


def promotion_first(ctx: Context, teacher: Teacher) -> bool:
    """A promotion seeker still without rural service on record: ranked first."""
    return teacher.seeking_promotion and rural_service(ctx, teacher) is None


def placement_cost(ctx: Context, teacher: Teacher, school_id: str) -> int:
    cost = 0
    if teacher.preferences:
        wishes = teacher.preferences
        cost += RANK_COST * wishes.index(school_id) if school_id in wishes else UNLISTED_COST
    cost -= PROMOTION_BONUS if promotion_first(ctx, teacher) else 0
    cost -= YEAR_BONUS * min(teacher.years_at_school, 30)
    km = distance_km(ctx, teacher, school_id)
    if km is not None:
        cost += int(km // KM_COST_PER)
    return cost


class TeacherWishes(Rule):
    id = "wishes"
    zh, en = "教师意愿", "teachers' wishes"
    zh_doc = "尽量满足教师志愿，优先安排拟申报高级职称（交流记录中尚无乡村交流经历）和任教年限长的教师，路程较近者优先"
    en_doc = ("honour ranked wishes; promotion seekers (without rural service in the history) and the "
              "longest-serving first; shorter trips first")
    modes = ("soft", "off")
    level = 4

    def build(self, model: ModelBuilder) -> None:
        cache: dict[tuple[int, str], int] = {}
        teachers = model.ctx.case.teachers

        def cost(teacher: int, school: str) -> int:
            key = (teacher, school)
            if key not in cache:
                cache[key] = placement_cost(model.ctx, teachers[teacher], school)
            return cache[key]

        model.option_costs_of(self, ((i, amount) for i, option in enumerate(model.options)
                                     if (amount := cost(option.teacher, option.school))))

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        placed = [(ctx.case.teacher(p.teacher_id), p.school_id) for p in plan.placements if ctx.case.has_teacher(p.teacher_id)]
        wished = [(t, s) for t, s in placed if t.preferences]
        first = sum(1 for t, s in wished if t.preferences[0] == s)
        listed = sum(1 for t, s in wished if s in t.preferences)
        return Explanation(self.id, Text(
            f"填报志愿的{len(wished)}名交流教师中{first}人去第一志愿，{listed}人去所填志愿之一",
            f"of {len(wished)} placed teachers with wishes, {first} got their first, {listed} one of theirs"))
