"""One level of a large part as a MIP for HiGHS's branch and bound, where CP-SAT's own search does
not close the last gap.

Why: on Datong in 不限 the teachers level of the large part (48,877 options) ends at −6,476 against
a bound of −6,479; CP-SAT, started from that plan, did not close the gap of 3 in 60 s, while HiGHS
proved it at its root node in 2.1 s (its cuts, then fixing by reduced cost and restarting on what is
left, 48,877 → 1,800 columns). Neither is faster everywhere: on the links level of 优先 HiGHS took
2.5 s against CP-SAT's 6.3 s, on its teachers level 8.5 s against 4.7 s (the same dumped models,
one thread each).

Honesty: HiGHS's plan is checked here in whole numbers against every bound and row of the model, so
a plan that breaks one is never taken. Its proof of optimality rests on HiGHS's branch and bound
(tolerances 1e-6 on data that are whole numbers, and an objective HiGHS itself finds integral); its
bound is rounded up to a whole number, less a relative 1e-6 of float noise.

Determinism: one thread and a fixed seed; a search that ends by itself gives the same plan every
run. Stop cancels it (`HandleUserInterrupt`, from a watching thread).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.sat.python import cp_model

from .linear import LinearProgram, cost_of, translate
from .lp_guide import silent_highs


#: seconds between two progress reports from the search
PROGRESS_EVERY_S = 0.5


@dataclass(frozen=True)
class MipOutcome:
    #: HiGHS proved `value` optimal
    optimal: bool
    #: a lower bound of every plan (−inf when HiGHS proved none)
    bound: float
    #: the best plan's value, None without a plan
    value: int | None = None
    #: every variable → its value in that plan
    solution: dict[int, int] | None = None


def branch_and_bound(model: cp_model.CpModel, terms: Sequence[tuple[int, int]], start: dict[int, int],
                     time_limit: float, stop: threading.Event | None = None,
                     progress: Callable[[float, float], None] | None = None) -> MipOutcome:
    """min Σ coefficient × variable over `model` (linear: `translate` refuses anything else), from the
    plan `start` (variable → value, the others at their least value). `progress(value, bound)`: the
    search's best plan and bound, at most every `PROGRESS_EVERY_S` (a long proof would otherwise
    leave a planner's progress line still)."""
    lp = translate(model)
    cost = cost_of(list(terms), lp.num_columns)
    highs = _highs(lp, cost, time_limit)
    if len(start) == lp.num_columns:
        first = np.zeros(lp.num_columns)
        first[np.fromiter(start.keys(), dtype=np.int64)] = np.fromiter(start.values(), dtype=float)
        solution = highspy.HighsSolution()
        solution.col_value = first
        highs.setSolution(solution)
    elif start:
        # A plan of the options only (a model solved whole hints only them): HiGHS completes it (the
        # shortfalls), where taking the others at their least value would make it no plan at all.
        highs.setSolution(len(start), np.fromiter(start.keys(), dtype=np.int32),
                          np.fromiter(start.values(), dtype=float))
    done = threading.Event()
    if progress is not None:
        highs.cbMipInterrupt.subscribe(_throttled(progress))
    if stop is not None:
        highs.HandleUserInterrupt = True
        threading.Thread(target=_cancel_on, args=(stop, done, highs), daemon=True).start()
    try:
        highs.run()
    finally:
        done.set()
    info = highs.getInfo()
    bound = _whole_bound(info.mip_dual_bound)
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return MipOutcome(False, bound)
    values = np.rint(np.asarray(highs.getSolution().col_value))
    if not _obeys(lp, values):
        return MipOutcome(False, -math.inf)
    value = round(float(cost @ values))
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal and bound >= value
    return MipOutcome(optimal, value if optimal else min(bound, value), value,
                      dict(enumerate(values.astype(np.int64).tolist())))


def _whole_bound(dual: float) -> float:
    """HiGHS's dual bound of a whole-number objective, rounded up less a relative 1e-6 of float noise."""
    return math.ceil(dual - 1e-6 * max(1.0, abs(dual))) if math.isfinite(dual) else -math.inf


def _highs(lp: LinearProgram, cost: np.ndarray, time_limit: float) -> highspy.Highs:
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = lp.num_columns, lp.num_rows
    model.col_cost_, model.col_lower_, model.col_upper_ = cost, lp.lower, lp.upper
    model.row_lower_, model.row_upper_ = lp.row_lower, lp.row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    model.a_matrix_.num_col_, model.a_matrix_.num_row_ = lp.num_columns, lp.num_rows
    model.a_matrix_.start_ = lp.starts.astype(np.int32)
    model.a_matrix_.index_ = lp.columns.astype(np.int32)
    model.a_matrix_.value_ = lp.values
    model.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_columns
    highs = silent_highs()
    highs.setOptionValue("parallel", "off")  # one thread: the same plan every run (see `lp_guide`)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("time_limit", max(time_limit, 0.1))
    # Levels are proven exactly: HiGHS's default stops at a 0.01 % relative gap.
    highs.setOptionValue("mip_rel_gap", 0.0)
    # The start is the best plan CP-SAT found, often the optimum already: the time goes to the proof.
    highs.setOptionValue("mip_heuristic_effort", 0.0)
    highs.passModel(model)
    return highs


def _obeys(lp: LinearProgram, values: np.ndarray) -> bool:
    """Every bound and row holds, in whole numbers (the data are whole numbers, stored as floats)."""
    if np.any(values < lp.lower) or np.any(values > lp.upper):
        return False
    rows = np.repeat(np.arange(lp.num_rows), np.diff(lp.starts))
    activity = np.zeros(lp.num_rows)
    np.add.at(activity, rows, lp.values * values[lp.columns])
    return bool(np.all(activity >= lp.row_lower) and np.all(activity <= lp.row_upper))


def _throttled(progress: Callable[[float, float], None]) -> Callable[[object], None]:
    last = [-math.inf]

    def report(event) -> None:
        now = time.perf_counter()
        value, bound = event.data_out.mip_primal_bound, event.data_out.mip_dual_bound
        if now - last[0] >= PROGRESS_EVERY_S and math.isfinite(value) and math.isfinite(bound):
            last[0] = now
            progress(value, _whole_bound(bound))

    return report


def _cancel_on(stop: threading.Event, done: threading.Event, highs: highspy.Highs) -> None:
    while not done.is_set():
        if stop.wait(0.1):
            highs.cancelSolve()
            return
