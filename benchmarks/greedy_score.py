"""Baseline (a): the greedy plan (the solver's hint), scored on the planner's own objective.

Option costs are a plain sum over the chosen options, but the shortfall variables (quota,
backbone share, links) take whatever value the constraints force once the placements are
fixed. Rather than re-deriving each rule's shortfall, the greedy choice is fixed in a copy of
the CP-SAT model (two rows: every chosen option is 1, every other is 0) and each level is
minimised in turn. With the placements fixed, presolve settles every level in milliseconds;
a copy that is infeasible means the greedy plan breaks a hard rule its rows do not carry.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from scheduler.model.builder import PlanModel

from .highs_baseline import LevelRun
from .objectives import LevelObjective


def score_choice(model: PlanModel, chosen: list[int], objectives: list[LevelObjective],
                 time_limit: float = 30.0) -> tuple[list[LevelRun], bool]:
    """Each level's value when exactly the options `chosen` are placed (planners' units)."""
    fixed = model.model.clone()
    variable = fixed.get_int_var_from_proto_index
    chosen_set = set(chosen)
    picked = [variable(model.x[i].index) for i in sorted(chosen_set)]
    others = [variable(var.index) for i, var in enumerate(model.x) if i not in chosen_set]
    fixed.add(cp_model.LinearExpr.sum(picked) == len(picked))
    fixed.add(cp_model.LinearExpr.sum(others) == 0)
    fixed.clear_hints()
    runs: list[LevelRun] = []
    for objective in objectives:
        expr = cp_model.LinearExpr.weighted_sum([variable(int(v)) for v in objective.variables],
                                                [int(c) for c in objective.coefficients])
        fixed.minimize(expr + objective.constant)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.num_workers = 1
        mark = time.perf_counter()
        status = solver.solve(fixed)
        run = LevelRun(objective.number, objective.key, solver.status_name(status), time.perf_counter() - mark)
        runs.append(run)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return runs, status != cp_model.INFEASIBLE
        value = round(solver.objective_value)
        run.value = value / objective.scale
        run.bound = round(solver.best_objective_bound) / objective.scale
        fixed.add(expr + objective.constant <= value)
    return runs, True
