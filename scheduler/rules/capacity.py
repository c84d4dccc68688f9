"""Limits on how many teachers go somewhere: one placement a teacher, the need, host beds, link caps."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .context import Context, term_label
from ..domain.subjects import subject_label
from ..domain.terms import school_year_label
from .base import Finding, Rule, Text, Violation
from .pins import certain_pinned_terms

if TYPE_CHECKING:
    from ..plan import Plan
    from .builder_api import ModelBuilder
    from .presolve import PreSolve


def teachers_per_term(plan: Plan, key) -> dict[tuple, list[str]]:
    """(*key(placement), term ordinal) → the teachers a plan has there in that term."""
    table: dict[tuple, list[str]] = defaultdict(list)
    for p in plan.placements:
        for ordinal in p.ordinals:
            table[(*key(p), ordinal)].append(p.teacher_id)
    return table


class OnePlacement(Rule):
    id = "one_placement"
    zh, en = "每人一次", "one placement each"
    zh_doc = "规划期内每名教师至多交流一次"
    en_doc = "a teacher has at most one placement in the horizon"

    def build(self, model: ModelBuilder) -> None:
        for indices in model.by_teacher.values():
            if len(indices) > 1:
                model.at_most(self, [(i, 1) for i in indices], 1)

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        count: dict[str, int] = defaultdict(int)
        for placement in plan.placements:
            count[placement.teacher_id] += 1
        return [Violation(self.id, True, Text(f"{ctx.teacher_name(t)}被安排了{n}次", f"{ctx.teacher_name(t)} is placed {n} times"),
                          (t,), amount=n - 1) for t, n in count.items() if n > 1]


class NeedCap(Rule):
    id = "need_cap"
    zh, en = "不超过需求", "within the need"
    zh_doc = "每校每学科每学期安排的教师不超过需求人数"
    en_doc = "per school, subject and term, placed teachers never exceed the need"

    def build(self, model: ModelBuilder) -> None:
        need = model.ctx.need
        for cell, indices in model.by_need_cell.items():
            if len(indices) > need.get(cell, 0):
                model.at_most(self, [(i, 1) for i in indices], need.get(cell, 0))

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        violations = []
        placed = teachers_per_term(plan, lambda p: (p.school_id, p.subject))
        for (school, subject, ordinal), teachers in sorted(placed.items()):
            need = ctx.need.get((school, subject, ordinal), 0)
            if len(teachers) > need > 0:
                name = ctx.school_name(school)
                violations.append(Violation(self.id, True, Text(
                    f"{name}{term_label(ordinal)}{subject}需要{need}人，安排了{len(teachers)}人",
                    f"{name} needs {need} {subject_label(subject, 'en')} teacher(s) in {term_label(ordinal, 'en')} but gets {len(teachers)}"),
                    tuple(teachers), (school,), amount=len(teachers) - need))
        return violations


class HostCapacity(Rule):
    id = "host_capacity"
    zh, en = "接收容量", "host capacity"
    zh_doc = "每所接收学校每学期接收的交流教师不超过其容量（周转宿舍床位）"
    en_doc = "a receiving school never hosts more exchange teachers at once than its capacity (dormitory beds)"
    modes = ("hard", "off")
    relax_rank = 50

    def build(self, model: ModelBuilder) -> None:
        for (school_id, _), indices in model.by_host_term.items():
            capacity = model.ctx.case.school(school_id).host_capacity
            if capacity is not None and len(indices) > capacity:
                model.at_most(self, [(i, 1) for i in indices], capacity)

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        violations = []
        for (school_id, ordinal), teachers in sorted(teachers_per_term(plan, lambda p: (p.school_id,)).items()):
            if not ctx.case.has_school(school_id):
                continue
            capacity = ctx.case.school(school_id).host_capacity
            if capacity is not None and len(teachers) > capacity:
                name = ctx.school_name(school_id)
                violations.append(Violation(self.id, self.mode(ctx.settings) == "hard", Text(
                    f"{name}{term_label(ordinal)}可接收{capacity}人，安排了{len(teachers)}人",
                    f"{name} hosts {capacity} in {term_label(ordinal, 'en')} but gets {len(teachers)}"),
                    tuple(teachers), (school_id,), amount=len(teachers) - capacity))
        return violations

    def seat_limit(self, pre: PreSolve, home: str, school_id: str, starts: int, seats: int) -> int:
        capacity = pre.ctx.case.school(school_id).host_capacity
        if self.mode(pre.ctx.settings) == "hard" and capacity is not None:
            return min(seats, capacity * starts)
        return seats

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """More teachers pinned to a school at once than it can host (the first such school and term)."""
        ctx = pre.ctx
        if self.mode(ctx.settings) != "hard":
            return []
        for (school_id, ordinal), teachers in sorted(certain_pinned_terms(pre).items()):
            capacity = ctx.case.school(school_id).host_capacity
            if capacity is not None and len(teachers) > capacity:
                names = [ctx.case.teacher(t).name for t in teachers]
                school = ctx.school_name(school_id)
                joined_zh, joined_en = "、".join(names), ", ".join(names)
                return [Finding(self.id, True, Text(
                    f"{school}在{term_label(ordinal)}只能接收{capacity}人，但锁定了{len(teachers)}人（{joined_zh}）",
                    f"{school} hosts {capacity} in {term_label(ordinal, 'en')} but {len(teachers)} are pinned there "
                    f"({joined_en})"),
                    school_ids=(school_id,), teacher_ids=tuple(teachers),
                    relax=Text(f"把{school}的接收容量提高到{len(teachers)}，或删去多余的锁定",
                               f"raise {school}'s host capacity to {len(teachers)}, or remove a pin"))]
        return []


def pair_year_counts(ctx: Context, plan: Plan) -> dict[tuple[frozenset[str], int], list[str]]:
    """(the two schools, school year of the start) → teachers placed between them."""
    table: dict[tuple[frozenset[str], int], list[str]] = defaultdict(list)
    for p in plan.placements:
        if ctx.case.has_teacher(p.teacher_id):
            home = ctx.case.teacher(p.teacher_id).school_id
            table[(frozenset((home, p.school_id)), p.start.school_year)].append(p.teacher_id)
    return table


class LinkMax(Rule):
    id = "link_max"
    zh, en = "结对每年上限", "link yearly maximum"
    zh_doc = "沿一条结对关系每学年派出的教师不超过“每年最多派出”"
    en_doc = "teachers sent along a link per school year never exceed its max_per_year"
    modes = ("hard", "off")
    relax_rank = 70

    def build(self, model: ModelBuilder) -> None:
        for link in model.ctx.case.links:
            if link.max_per_year is None:
                continue
            pair = frozenset((link.lead_school_id, link.member_school_id))
            for year in model.ctx.school_years:
                indices = model.by_pair_year.get((pair, year), [])
                if len(indices) > link.max_per_year:
                    model.at_most(self, [(i, 1) for i in indices], link.max_per_year)

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        counts = pair_year_counts(ctx, plan)
        violations = []
        for link in ctx.case.links:
            if link.max_per_year is None:
                continue
            pair = frozenset((link.lead_school_id, link.member_school_id))
            for year in ctx.school_years:
                teachers = counts.get((pair, year), [])
                if len(teachers) > link.max_per_year:
                    a, b = ctx.school_name(link.lead_school_id), ctx.school_name(link.member_school_id)
                    violations.append(Violation(self.id, self.mode(ctx.settings) == "hard", Text(
                        f"{a}与{b}（{link.program}）{school_year_label(year)}最多{link.max_per_year}人，安排了{len(teachers)}人",
                        f"{a} – {b} ({link.program}) allows {link.max_per_year} in {school_year_label(year, 'en')}, got {len(teachers)}"),
                        tuple(teachers), (link.lead_school_id, link.member_school_id),
                        amount=len(teachers) - link.max_per_year))
        return violations

    def seat_limit(self, pre: PreSolve, home: str, school_id: str, starts: int, seats: int) -> int:
        if self.mode(pre.ctx.settings) != "hard":
            return seats
        if self.id not in pre.cache:
            least: dict[frozenset[str], int] = {}
            for link in pre.ctx.case.links:
                if link.max_per_year is not None:
                    pair = frozenset((link.lead_school_id, link.member_school_id))
                    least[pair] = min(link.max_per_year, least.get(pair, link.max_per_year))
            pre.cache[self.id] = least
        cap = pre.cache[self.id].get(frozenset((home, school_id)))
        return seats if cap is None else min(seats, cap)
