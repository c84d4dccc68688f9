"""The LP relaxation of a large part, solved by HiGHS at each level before CP-SAT searches it.

Why: when pairing is 优先 or 不限 a city's teachers may go almost anywhere, the model no longer
falls apart, and one part holds tens of thousands of options. CP-SAT's single search then finds
plans but proves little (Datong, 优先: level 1 at 13 against a bound of 2 after 30 s), while the
part's LP relaxation is exact or nearly so at the first levels and takes a second or two. The LP
is used in three ways, each exact whatever HiGHS's tolerances:

1. **Bound.** For any row prices y of the right signs, weak duality gives
   L(y) = Σ_i y_i·(the row's active limit) + Σ_j min over x_j's bounds of r_j·x_j, r = c − Aᵀy,
   a lower bound of every plan. L is computed here from HiGHS's prices, so the proof does not
   rest on the LP solver's own claim; objectives are whole numbers, so ⌈L⌉ bounds them too, and a
   plan that reaches ⌈L⌉ is proven optimal.
2. **Neighbourhood.** A first, small search over the variables the LP solution uses and those of
   the plan so far, every other option held at 0: it often reaches the bound at once.
3. **Fixing by reduced cost.** In a plan of value ≤ z every term r_j·(x_j − bound) above is ≥ 0
   and they add up to at most z − L, so a variable whose |r_j| exceeds z − L stays at its bound in
   every such plan. At the level being searched z is the best plan so far (the search keeps only
   what can still beat or match it); once a level is fixed at v, z = v holds for every later level,
   and the held variables are added to the part's model for good: the later levels search a much
   smaller model with the same optimum.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.sat.python import cp_model

from .linear import LinearProgram, translate

#: parts with at least this many variables get the LP guide. At 5,000 the city's strict parts (bins of
#: up to 2,000) went without it, and on the 交流总数 backbone base they no longer prove in their
#: share: at 300 the strict city solve took 39.8 s against 50.3 s with a better level 4
#: (−35,692 against −33,804), run side by side on 2026-12-02 (52.9 → 45.6 s in an earlier pair)
LP_GUIDE_VARIABLES = 300
#: an LP value above this counts as used by the LP solution (a vertex's values are 0, 1 or fractions)
USED = 1e-9


def _margin(value: float) -> float:
    """Slack for float rounding in sums of tens of thousands of terms (values are whole numbers)."""
    return 1e-6 * (1.0 + abs(value))


@dataclass(frozen=True)
class Relaxation:
    """One level's LP: its bound L (`lower`, and ⌈L⌉ as `bound`), the columns its solution uses,
    and every column's reduced cost under the prices L was computed with."""

    lower: float
    bound: int
    used: np.ndarray
    reduced: np.ndarray
    prices: np.ndarray


class LpGuide:
    """HiGHS's LP of one part, kept across the levels: each fixed level is one more row, and the
    variables its reduced costs hold become tighter column bounds (warm starts from the last basis)."""

    def __init__(self, model: cp_model.CpModel):
        lp = translate(model)  # UnsupportedModel when the part holds a non-linear constraint
        self.columns = lp.num_columns
        self.lower, self.upper = lp.lower.copy(), lp.upper.copy()
        self.row_lower, self.row_upper = lp.row_lower.copy(), lp.row_upper.copy()
        # the matrix as (row, column, value) triples, to price the columns: r = c − Aᵀy
        self.entry_rows = np.repeat(np.arange(lp.num_rows), np.diff(lp.starts))
        self.entry_columns, self.entry_values = lp.columns.copy(), lp.values.copy()
        self.starts = lp.starts
        self.highs = _highs(lp)

    def relax(self, terms: list[tuple[int, int]], time_limit: float) -> Relaxation | None:
        """The LP of min Σ coefficient × variable; None when HiGHS does not finish it in time."""
        cost = self._cost(terms)
        highs = self.highs
        highs.changeColsCost(self.columns, np.arange(self.columns, dtype=np.int32), cost)
        highs.setOptionValue("time_limit", max(time_limit, 0.1))
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = highs.getSolution()
        if not solution.dual_valid:
            return None
        prices = np.asarray(solution.row_dual, dtype=float)
        # A price on a row's missing side would not bound anything: dropped (still a valid y).
        prices = np.where((prices > 0) & ~np.isfinite(self.row_lower), 0.0, prices)
        prices = np.where((prices < 0) & ~np.isfinite(self.row_upper), 0.0, prices)
        reduced = cost - np.bincount(self.entry_columns, weights=self.entry_values * prices[self.entry_rows],
                                     minlength=self.columns)
        rows = np.where(prices > 0, prices * np.nan_to_num(self.row_lower, posinf=0, neginf=0),
                        prices * np.nan_to_num(self.row_upper, posinf=0, neginf=0))
        if np.any((reduced > 0) & ~np.isfinite(self.lower)) or np.any((reduced < 0) & ~np.isfinite(self.upper)):
            return None  # an unbounded column with a price: no finite bound from these prices
        columns = np.minimum(reduced * np.nan_to_num(self.lower), reduced * np.nan_to_num(self.upper))
        lower = float(rows.sum() + columns.sum())
        used = np.nonzero(np.asarray(solution.col_value) > USED)[0]
        return Relaxation(lower, math.ceil(lower - _margin(lower)), used, reduced, prices)

    def held(self, relaxation: Relaxation, target: int) -> list[tuple[int, int, int]]:
        """(variable, least, most) for each variable whose range is narrower in every plan of value
        ≤ `target` than in the model: |r_j| × (its distance from the bound r_j prices) ≤ target − L."""
        slack = target - relaxation.lower + _margin(target)
        reduced = relaxation.reduced
        result = []
        for v in np.nonzero((reduced > slack) & (self.upper > self.lower))[0]:
            most = self.lower[v] + math.floor(slack / reduced[v])
            if most < self.upper[v]:
                result.append((int(v), int(self.lower[v]), int(most)))
        for v in np.nonzero((reduced < -slack) & (self.upper > self.lower))[0]:
            least = self.upper[v] - math.floor(slack / -reduced[v])
            if least > self.lower[v]:
                result.append((int(v), int(least), int(self.upper[v])))
        return result

    def tight_rows(self, relaxation: Relaxation, target: int) -> list[tuple[np.ndarray, np.ndarray, int, int]]:
        """(variables, coefficients, least, most) for each of the model's rows (level rows left out)
        that every plan of value ≤ `target` keeps within a narrower range: a row priced y_i ≠ 0
        adds |y_i| × its distance from the priced limit to the terms that sum to at most target − L.
        Rows are whole-number sums, so a distance below 1 means the row sits at its limit."""
        slack = target - relaxation.lower + _margin(target)
        prices = relaxation.prices[:len(self.starts) - 1]
        result = []
        for r in np.nonzero(np.abs(prices) > slack)[0]:
            begin, end = self.starts[r], self.starts[r + 1]
            variables, coefficients = self.entry_columns[begin:end], self.entry_values[begin:end]
            reach = math.floor(slack / abs(prices[r]))
            if prices[r] > 0:
                least = int(self.row_lower[r])
                most = int(min(self.row_upper[r], least + reach))
            else:
                most = int(self.row_upper[r])
                least = int(max(self.row_lower[r], most - reach))
            result.append((variables, coefficients, least, most))
        return result

    def fix_level(self, terms: list[tuple[int, int]], value: int, relaxation: Relaxation | None
                  ) -> list[tuple[int, int, int]]:
        """The level is fixed at ≤ `value`: one more row here, and the variables the level's prices
        hold, narrowed here and returned for the caller's CP-SAT model."""
        cost = self._cost(terms)
        nonzero = np.nonzero(cost)[0]
        self.highs.addRow(-highspy.kHighsInf, float(value), len(nonzero), nonzero.astype(np.int32), cost[nonzero])
        self.entry_rows = np.concatenate([self.entry_rows, np.full(len(nonzero), len(self.row_lower))])
        self.entry_columns = np.concatenate([self.entry_columns, nonzero])
        self.entry_values = np.concatenate([self.entry_values, cost[nonzero]])
        self.row_lower = np.append(self.row_lower, -np.inf)
        self.row_upper = np.append(self.row_upper, float(value))
        if relaxation is None:
            return []
        held = self.held(relaxation, value)
        if held:
            variables = np.array([v for v, _, _ in held], dtype=np.int32)
            self.lower[variables] = [least for _, least, _ in held]
            self.upper[variables] = [most for _, _, most in held]
            self.highs.changeColsBounds(len(variables), variables, self.lower[variables], self.upper[variables])
        return held

    def _cost(self, terms: list[tuple[int, int]]) -> np.ndarray:
        cost = np.zeros(self.columns)
        if terms:
            np.add.at(cost, np.array([v for v, _ in terms]), np.array([c for _, c in terms], dtype=float))
        return cost


def _highs(lp: LinearProgram) -> highspy.Highs:
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = lp.num_columns, lp.num_rows
    model.col_cost_ = np.zeros(lp.num_columns)
    model.col_lower_, model.col_upper_ = lp.lower, lp.upper
    model.row_lower_, model.row_upper_ = lp.row_lower, lp.row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    model.a_matrix_.num_col_, model.a_matrix_.num_row_ = lp.num_columns, lp.num_rows
    model.a_matrix_.start_ = lp.starts.astype(np.int32)
    model.a_matrix_.index_ = lp.columns.astype(np.int32)
    model.a_matrix_.value_ = lp.values
    highs = _silent_highs()
    # Serial and a fixed seed: the same LP solution, hence the same plan, every run. ("parallel", not
    # "threads": HiGHS's thread pool is one per process, and asking one instance for 1 thread after
    # another (the benchmarks' HiGHS) started the pool with 2 is an error, not a solve.)
    highs.setOptionValue("parallel", "off")
    highs.setOptionValue("random_seed", 0)
    # Interior point (then crossover to a vertex) for every level: the dual simplex warm-started
    # from the last level's basis took 23–27 s on one level of Datong 不限 (the others 0.3–2 s), a
    # cold simplex 6 s; interior point 2–3 s on each level (Datong 优先 40 s to every level proven,
    # 42 s warm; 不限 50 s, 66–75 s warm).
    highs.setOptionValue("solver", "ipm")
    highs.passModel(model)
    return highs


def hold(model: cp_model.CpModel, held: list[tuple[int, int, int]]) -> None:
    """Add each (variable, least, most) to `model` as a one-variable row."""
    for v, least, most in held:
        constraint = model.proto.constraints.add()
        constraint.linear.vars.append(v)
        constraint.linear.coeffs.append(1)
        constraint.linear.domain.extend([least, most])


def hold_rows(model: cp_model.CpModel, rows: list[tuple[np.ndarray, np.ndarray, int, int]]) -> None:
    """Add each (variables, coefficients, least, most) to `model` as a row."""
    for variables, coefficients, least, most in rows:
        constraint = model.proto.constraints.add()
        constraint.linear.vars.extend(int(v) for v in variables)
        constraint.linear.coeffs.extend(int(c) for c in coefficients)
        constraint.linear.domain.extend([least, most])


_BANNER = threading.Lock()
_banner_shown = False


def _silent_highs() -> highspy.Highs:
    """A silent HiGHS. The first one made in a process prints HiGHS's banner to the process's
    standard output before any option can be set: in `python -m scheduler solve`'s output, between
    the progress lines. It goes to /dev/null instead (and so, for that instant, anything else
    written to file descriptor 1)."""
    global _banner_shown
    with _BANNER:
        if _banner_shown:
            highs = highspy.Highs()
        else:
            saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 1)
                highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
            _banner_shown = True
    highs.setOptionValue("output_flag", False)
    return highs
