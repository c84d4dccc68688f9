"""Baseline (b) and floor (c): the same model solved by HiGHS, as a MIP and as its LP relaxation.

The MIP is solved level by level like `scheduler.model.solve`: the same share of the time limit
per level (what is left over the levels still to go; the last level gets the rest), each level
fixed at the value found (objective ≤ value) before the next, the previous level's plan given
as the start. Gaps use `LevelResult.gap`'s formula, so the columns compare directly.

The LP relaxation drops integrality. Level 1 is the plain LP bound. Level 2 is bounded with
level 1 held at CP-SAT's level-1 value (what `solve` fixes): it is then a floor for CP-SAT's
level-2 row, and the true lexicographic floor when CP-SAT proved level 1 optimal.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import highspy
import numpy as np

from scheduler.model.linear import LinearProgram
from .objectives import LevelObjective, gap

#: HiGHS's "a solution is known" value of `primal_solution_status` (kSolutionStatusFeasible).
_FEASIBLE = 2


@dataclass
class LevelRun:
    """One level of a baseline run. Values in planners' units (model units / level scale)."""

    number: int
    key: str
    status: str
    seconds: float
    value: float | None = None
    bound: float | None = None
    first_solution_s: float | None = None  # from the start of the whole baseline run

    @property
    def gap(self) -> float | None:
        return None if self.value is None or self.bound is None else gap(self.value, self.bound)

    def as_dict(self) -> dict:
        return {**asdict(self), "gap": self.gap}


def _highs(lp: LinearProgram, objective: LevelObjective, fixed: list[tuple[LevelObjective, int]],
           integral: bool, time_limit: float) -> highspy.Highs:
    """A HiGHS instance holding `lp` plus one row per fixed level, minimising `objective`."""
    starts, columns, values = [lp.starts], [lp.columns], [lp.values]
    row_lower, row_upper = [lp.row_lower], [lp.row_upper]
    end = lp.starts[-1]
    for level, limit in fixed:
        end += len(level.variables)
        starts.append(np.array([end]))
        columns.append(level.variables)
        values.append(level.coefficients.astype(float))
        row_lower.append(np.array([-np.inf]))
        row_upper.append(np.array([float(limit - level.constant)]))
    cost = np.zeros(lp.num_columns)
    np.add.at(cost, objective.variables, objective.coefficients.astype(float))

    model = highspy.HighsLp()
    model.num_col_ = lp.num_columns
    model.num_row_ = lp.num_rows + len(fixed)
    model.col_cost_ = cost
    model.col_lower_ = lp.lower
    model.col_upper_ = lp.upper
    model.row_lower_ = np.concatenate(row_lower)
    model.row_upper_ = np.concatenate(row_upper)
    model.offset_ = float(objective.constant)
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    model.a_matrix_.num_col_ = model.num_col_
    model.a_matrix_.num_row_ = model.num_row_
    model.a_matrix_.start_ = np.concatenate(starts).astype(np.int32)
    model.a_matrix_.index_ = np.concatenate(columns).astype(np.int32)
    model.a_matrix_.value_ = np.concatenate(values)
    if integral:
        model.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_columns

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("time_limit", max(time_limit, 0.1))
    # CP-SAT proves levels exactly; HiGHS's default stops at a 0.01 % relative gap.
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.passModel(model)
    return highs


def solve_mip(lp: LinearProgram, objectives: list[LevelObjective],
              time_limit: float) -> tuple[list[LevelRun], np.ndarray | None]:
    """Lexicographic HiGHS MIP within `time_limit` seconds, split over the levels like `solve`:
    each level's result, and the last solution found (a value per proto variable)."""
    started = time.perf_counter()
    deadline = started + time_limit
    runs: list[LevelRun] = []
    fixed: list[tuple[LevelObjective, int]] = []
    start: np.ndarray | None = None
    for index, objective in enumerate(objectives):
        remaining = max(0.5, deadline - time.perf_counter())
        share = remaining / (len(objectives) - index) if index < len(objectives) - 1 else remaining
        highs = _highs(lp, objective, fixed, integral=True, time_limit=share)
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = start
            highs.setSolution(solution)
        found: list[float] = []
        highs.cbMipImprovingSolution.subscribe(lambda _event: found.append(time.perf_counter() - started))
        mark = time.perf_counter()
        highs.run()
        seconds = time.perf_counter() - mark
        info = highs.getInfo()
        status = highs.modelStatusToString(highs.getModelStatus())
        run = LevelRun(objective.number, objective.key, status, seconds,
                       first_solution_s=found[0] if found else None)
        runs.append(run)
        if info.primal_solution_status != _FEASIBLE:
            break  # out of time without a plan for this level: stop, as `solve` does
        value = round(info.objective_function_value)
        run.value = value / objective.scale
        if math.isfinite(info.mip_dual_bound):
            # Objectives are integers, so the bound rounds up, as `solve` rounds CP-SAT's.
            run.bound = min(math.ceil(info.mip_dual_bound - 1e-6), value) / objective.scale
        start = np.asarray(highs.getSolution().col_value)
        fixed.append((objective, value))
    return runs, start


def lp_bounds(lp: LinearProgram, objectives: list[LevelObjective], level1_value: float | None,
              time_limit: float) -> list[LevelRun]:
    """The LP relaxation's bound of level 1, and of level 2 with level 1 held at `level1_value`
    (planners' units, CP-SAT's level-1 result); level 2 is skipped without it."""
    runs: list[LevelRun] = []
    fixed: list[tuple[LevelObjective, int]] = []
    for index, objective in enumerate(objectives[:2]):
        if index == 1:
            if level1_value is None:
                break
            fixed = [(objectives[0], round(level1_value * objectives[0].scale))]
        highs = _highs(lp, objective, fixed, integral=False, time_limit=time_limit)
        mark = time.perf_counter()
        highs.run()
        seconds = time.perf_counter() - mark
        status = highs.modelStatusToString(highs.getModelStatus())
        run = LevelRun(objective.number, objective.key, status, seconds)
        if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            run.bound = highs.getInfo().objective_function_value / objective.scale
        runs.append(run)
    return runs
