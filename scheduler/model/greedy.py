"""A fast greedy plan: the hint that gives CP-SAT a feasible start, and a baseline for benchmarks.

It obeys every "at most" row the rules registered (one placement, need, beds, link caps,
couples), places pinned teachers first, teams as a whole, then fills each sending school's
quota (backbone teachers first while the share is short), then the remaining need, most
valuable options first.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .builder import PlanModel


class _State:
    def __init__(self, model: PlanModel):
        self.model = model
        self.rows_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for r, row in enumerate(model.rows):
            for i, coefficient in row.terms:
                self.rows_of[i].append((r, coefficient))
        self.activity = [0] * len(model.rows)
        self.placed: set[int] = set()  # teacher positions
        self.chosen: list[int] = []

    def fits(self, indices: list[int]) -> bool:
        teachers = [self.model.options[i].teacher for i in indices]
        if len(set(teachers)) < len(teachers) or any(t in self.placed for t in teachers):
            return False
        delta: dict[int, int] = defaultdict(int)
        for i in indices:
            for r, coefficient in self.rows_of[i]:
                delta[r] += coefficient
        return all(self.activity[r] + d <= self.model.rows[r].limit for r, d in delta.items())

    def take(self, indices: list[int]) -> bool:
        if not self.fits(indices):
            return False
        for i in indices:
            for r, coefficient in self.rows_of[i]:
                self.activity[r] += coefficient
            self.placed.add(self.model.options[i].teacher)
            self.chosen.append(i)
        return True


def _ranking(model: PlanModel):
    """Need filled first, then the cheapest at levels 3 and 4, then the option order."""
    value = {i: -c for i, c in model.option_costs.get(2, {}).items()}

    def rank(i: int) -> tuple:
        return (-value.get(i, 0), model.option_costs.get(3, {}).get(i, 0), model.option_costs.get(4, {}).get(i, 0), i)

    return value, rank


def greedy_plan(model: PlanModel) -> list[int]:
    """The chosen option indices."""
    ctx = model.ctx
    state = _State(model)
    value, rank = _ranking(model)

    position = {t.teacher_id: p for p, t in enumerate(ctx.case.teachers)}
    in_team = {position[m.teacher_id] for members in ctx.teams.values() for m in members}

    for teacher_id, pin in ctx.pinned.items():
        for i in sorted(model.by_teacher.get(position[teacher_id], []), key=rank):
            option = model.options[i]
            if option.school == pin.school_id and (pin.start_term is None or option.start == pin.start_term.ordinal):
                if state.take([i]):
                    break

    for unit in sorted(model.units, key=lambda u: sum(rank(m[0])[0] for m in u)):
        state.take([min(member, key=rank) for member in unit])

    share = ctx.settings.backbone_share
    for school in ctx.sending_schools:
        required = ctx.quota_required(school.school_id)
        for year in ctx.school_years:
            pool = sorted((i for i in model.by_home_year.get((school.school_id, year), [])
                           if model.options[i].teacher not in in_team), key=rank)
            rotated = backbone = 0
            for backbone_pass in (True, False):
                for i in pool:
                    if rotated >= required:
                        break
                    is_backbone = model.teacher(model.options[i]).backbone
                    if backbone_pass and (not is_backbone or backbone >= math.ceil(share * required - 1e-9)):
                        continue
                    if state.take([i]):
                        rotated += 1
                        backbone += is_backbone

    for i in sorted((i for i in range(len(model.options)) if model.options[i].teacher not in in_team), key=rank):
        if value.get(i, 0) > 0:
            state.take([i])
    return state.chosen


def fill(model: PlanModel, chosen: list[int], candidates: set[int]) -> list[int]:
    """`chosen` and, among `candidates`, every option that still fits and fills need, most valuable first.

    Completes a plan a search left at its first levels: each option added fills need (level 2) and
    rotates one more teacher, which lowers no quota or backbone count (level 1), so the plan only
    gets better. Teams are left alone (their members go together or not at all).
    """
    state = _State(model)
    if not state.take(list(chosen)):
        return list(chosen)  # not a plan the rows allow: nothing to build on
    value, rank = _ranking(model)
    in_team = {model.options[i].teacher for unit in model.units for member in unit for i in member}
    for i in sorted((i for i in candidates if value.get(i, 0) > 0 and model.options[i].teacher not in in_team),
                    key=rank):
        state.take([i])
    return state.chosen
