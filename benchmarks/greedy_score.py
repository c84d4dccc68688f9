"""Baseline (a): the greedy plan (the solver's hint), scored on the planner's own objective.

Option costs are a plain sum over the chosen options, but the shortfall variables (quota,
backbone share, links) take whatever value the constraints force once the placements are
fixed. The planner's own fixed-plan score (`scheduler.model.fixed.fixed_values`) reads those
least values off the constraints, the same score the solve gives a part that kept its greedy
start; a plan it refuses breaks a hard rule its rows do not carry.
"""

from __future__ import annotations

import time

from scheduler.model.builder import PlanModel
from scheduler.model.fixed import fixed_values

from .highs_baseline import LevelRun
from .objectives import LevelObjective


def score_choice(model: PlanModel, chosen: list[int], objectives: list[LevelObjective]) -> tuple[list[LevelRun], bool]:
    """Each level's value when exactly the options `chosen` are placed (planners' units), and whether
    that plan obeys every hard rule (no levels when it does not)."""
    picked = set(chosen)
    fixed = {var.index: int(i in picked) for i, var in enumerate(model.x)}
    terms = {o.number: list(zip(o.variables.tolist(), o.coefficients.tolist())) for o in objectives}
    numbers = [o.number for o in objectives]
    mark = time.perf_counter()
    values = fixed_values(model.model, fixed, terms, numbers)
    seconds = (time.perf_counter() - mark) / max(1, len(objectives))
    if values is None:
        return [LevelRun(objectives[0].number, objectives[0].key, "INFEASIBLE", seconds)] if objectives else [], False
    runs = []
    for objective in objectives:
        value = (values[objective.number] + objective.constant) / objective.scale
        runs.append(LevelRun(objective.number, objective.key, "OPTIMAL", seconds, value, value))
    return runs, True
