"""The LP relaxation of a large part, solved by HiGHS at each level before CP-SAT searches it.

Why: when pairing is 优先 or 不限 a city's teachers may go almost anywhere, the model no longer
falls apart, and one part holds tens of thousands of options. CP-SAT's single search then finds
plans but proves little (Datong, 优先: level 1 at 13 against a bound of 2 after 30 s), while the
part's LP relaxation is exact or nearly so at the first levels and takes a second or two. The LP
is used in three ways, each exact whatever HiGHS's tolerances:

1. **Bound.** For any row prices y of the right signs, weak duality gives
   L(y) = Σ_i y_i·(the row's active limit) + Σ_j min over x_j's bounds of r_j·x_j, r = c − Aᵀy,
   a lower bound of every plan. L is computed here from HiGHS's prices, over every column (also
   those column generation has not put in HiGHS's LP yet, see `LpGuide`), so the proof does not
   rest on the LP solver's own claim; objectives are whole numbers, so ⌈L⌉ bounds them too, and a
   plan that reaches ⌈L⌉ is proven optimal. Where every coefficient of the level is a multiple of g
   (the links level counts 10 per teacher), so is every plan's value, and L rounds up to the next
   multiple of g (Datong in 优先: L = 282.5 bounds the links level by 290, not 283).
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
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.sat.python import cp_model

from .linear import LinearProgram, add_row, cost_of, translate

#: parts with at least this many variables get the LP guide. At 5,000 the city's strict parts (bins of
#: up to 2,000) went without it, and on the 交流总数 backbone base they no longer prove in their
#: share: at 300 the strict city solve took 39.8 s against 50.3 s with a better level 4
#: (−35,692 against −33,804), run side by side on 2026-12-02 (52.9 → 45.6 s in an earlier pair)
LP_GUIDE_VARIABLES = 300
#: a left-out column enters the LP when its reduced cost is below −ENTERING (HiGHS's own dual
#: tolerance is 1e-7)
ENTERING = 1e-6
#: at most this many of the cheapest left-out columns enter in one round (and each row's cheapest)
ENTERING_ROUND = 20_000
#: an LP value above this counts as used by the LP solution (a vertex's values are 0, 1 or fractions)
USED = 1e-9


def _margin(value: float) -> float:
    """Slack for float rounding in sums of tens of thousands of terms (values are whole numbers)."""
    return 1e-6 * (1.0 + abs(value))


@dataclass(frozen=True)
class Relaxation:
    """One level's LP: its bound L (`lower`, and as `bound` the least multiple of the level's step that
    is ≥ L, see `step`), the columns its solution uses,
    and every column's reduced cost under the prices L was computed with."""

    lower: float
    bound: int
    used: np.ndarray
    reduced: np.ndarray
    prices: np.ndarray


class LpGuide:
    """HiGHS's LP of one part, kept across the levels: each fixed level is one more row, and the
    variables its reduced costs hold become tighter column bounds (warm starts from the last basis;
    a small part's HiGHS is let go between levels instead, `rest`).

    Column generation: the options in `restrictable` (variables whose least value is 0) start left
    out, at 0; the LP holds the others, and each `relax` adds the options of the plan it is given,
    then, round by round, the left-out options whose reduced cost under the LP's prices is negative,
    until none is (the LP of the whole part is then solved) or the time is up. Every bound is
    computed over every column, left out or not, so it is valid at any round. Why: in 优先 a city's
    part has 2.2 million options, of which the LP's optimum uses a few tens of thousands; the whole
    LP did not finish level 1 in 300 s, the generated one finishes it in 2 s (Datong ×7)."""

    def __init__(self, model: cp_model.CpModel, restrictable: Sequence[int] = (), lp: LinearProgram | None = None):
        """`lp`: `model` as `translate` reads it, when the caller has it already (`rows.Rows`)."""
        if lp is None:
            lp = translate(model)  # UnsupportedModel when the part holds a non-linear constraint
        n = self.columns = lp.num_columns
        self.lower, self.upper = lp.lower.copy(), lp.upper.copy()
        self.row_lower, self.row_upper = lp.row_lower.copy(), lp.row_upper.copy()
        self.model_rows = lp.num_rows
        # the matrix as (row, column, value) triples, to price the columns: r = c − Aᵀy
        self.entry_rows = np.repeat(np.arange(lp.num_rows), np.diff(lp.starts))
        self.entry_columns, self.entry_values = lp.columns.copy(), lp.values.copy()
        self.starts = lp.starts
        # the model's rows column by column, to add a column with its entries
        order = np.argsort(lp.columns, kind="stable")
        self.column_rows = self.entry_rows[order].astype(np.int32)
        self.column_values = lp.values[order]
        self.column_starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(lp.columns, minlength=n), out=self.column_starts[1:])
        #: the cost of each level fixed so far (its row's entries, for the columns added later)
        self.level_costs: list[np.ndarray] = []
        #: column → its position in HiGHS's LP, −1 while it is left out; `in_lp[k]` is the
        #: column at position k
        self.position = np.full(n, -1, dtype=np.int64)
        self.in_lp = np.zeros(0, dtype=np.int64)
        self.highs: highspy.Highs | None = _highs(self.row_lower, self.row_upper)
        left_out = np.zeros(n, dtype=bool)
        left_out[np.asarray(restrictable, dtype=np.int64)] = True
        left_out &= self.lower == 0
        self._add(np.flatnonzero(~left_out), np.zeros(n))

    def relax(self, terms: list[tuple[int, int]], time_limit: float, plan: Iterable[int] = ()
              ) -> Relaxation | None:
        """The LP of min Σ coefficient × variable, with the variables `plan` sets (the plan so far,
        which obeys every level fixed) among the columns; None when HiGHS does not solve a first
        round in time. Cut by the time, the last round's prices give the bound."""
        until = time.perf_counter() + max(time_limit, 0.1)
        self._wake()
        cost = self._cost(terms)
        step = _step(terms)
        plan = np.asarray(list(plan), dtype=np.int64)
        self._add(plan[self.position[plan] < 0] if len(plan) else plan, cost)
        kept = self.in_lp
        self.highs.changeColsCost(len(kept), np.arange(len(kept), dtype=np.int32), cost[kept])
        relaxation = None
        while True:
            left = until - time.perf_counter()
            if left <= 0:
                return relaxation
            # HiGHS's time limit is on its clock since the instance was made, summed over every run
            self.highs.setOptionValue("time_limit", self.highs.getRunTime() + left)
            self.highs.run()
            if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return relaxation
            solution = self.highs.getSolution()
            if not solution.dual_valid:
                return relaxation
            values = np.zeros(self.columns)
            values[self.in_lp] = np.asarray(solution.col_value, dtype=float)
            found = self._priced(cost, np.asarray(solution.row_dual, dtype=float), values, step)
            if found is None:
                return relaxation
            relaxation = found
            entering = np.flatnonzero((self.position < 0) & (relaxation.reduced < -ENTERING)
                                      & (self.upper > self.lower))
            if not len(entering):
                return relaxation
            self._add(self._chosen(entering, relaxation.reduced), cost)

    def _priced(self, cost: np.ndarray, prices: np.ndarray, values: np.ndarray, step: int = 1
                ) -> Relaxation | None:
        """The bound L(y) of the prices `prices` (weak duality, over every column), the reduced costs
        and the columns the LP solution `values` uses; None when the prices bound nothing. `step`:
        every plan's value is a multiple of it."""
        # A price on a row's missing side would not bound anything: dropped (still a valid y).
        prices = np.where((prices > 0) & ~np.isfinite(self.row_lower), 0.0, prices)
        prices = np.where((prices < 0) & ~np.isfinite(self.row_upper), 0.0, prices)
        reduced = cost - np.bincount(self.entry_columns, weights=self.entry_values * prices[self.entry_rows],
                                     minlength=self.columns)
        rows = np.where(prices > 0, prices * np.nan_to_num(self.row_lower, posinf=0, neginf=0),
                        prices * np.nan_to_num(self.row_upper, posinf=0, neginf=0))
        columns = self._cheapest(reduced)
        if columns is None:
            return None  # an unbounded column with a price: no finite bound from these prices
        lower = float(rows.sum()) + columns
        used = np.nonzero(values > USED)[0]
        # Prices of a round cut short by the time can bound less than every column at its cheapest
        # bound (a count of shortfalls "at least −40": Datong ×7 in 优先); that floor holds too. Only
        # the bound takes it: what the reduced costs hold is measured from `lower`, L(y) itself.
        floor = self._cheapest(cost)
        bound = _up_to(lower, step) if floor is None else max(_up_to(lower, step), _up_to(floor, step))
        return Relaxation(lower, bound, used, reduced, prices)

    def _cheapest(self, cost: np.ndarray) -> float | None:
        """Σ cost × each column at its cheaper bound; None where a charged column is unbounded on
        that side."""
        if np.any((cost > 0) & ~np.isfinite(self.lower)) or np.any((cost < 0) & ~np.isfinite(self.upper)):
            return None
        return float(np.minimum(cost * np.nan_to_num(self.lower), cost * np.nan_to_num(self.upper)).sum())

    def _chosen(self, entering: np.ndarray, reduced: np.ndarray) -> np.ndarray:
        """The columns of a round: the `ENTERING_ROUND` cheapest by reduced cost, and each row's
        cheapest (the cheapest alone crowd into the few rows with the highest prices, and the LP
        then takes many rounds to reach the others)."""
        cheapest = entering[np.argsort(reduced[entering], kind="stable")[:ENTERING_ROUND]]
        mask = np.zeros(self.columns, dtype=bool)
        mask[entering] = True
        model_entries = len(self.column_rows)  # the level rows' entries (after these) left out
        in_rows = mask[self.entry_columns[:model_entries]]
        rows = self.entry_rows[:model_entries][in_rows]
        columns = self.entry_columns[:model_entries][in_rows]
        order = np.lexsort((columns, reduced[columns], rows))
        rows, columns = rows[order], columns[order]
        _, first = np.unique(rows, return_index=True)
        return np.union1d(cheapest, columns[first])

    def _add(self, columns: np.ndarray, cost: np.ndarray) -> None:
        """Put `columns` in HiGHS's LP, with their entries in the model's rows and the fixed levels'."""
        if not len(columns):
            return
        columns = np.unique(columns)
        begin, end = self.column_starts[columns], self.column_starts[columns + 1]
        lengths = end - begin
        total = int(lengths.sum())
        offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        entries = np.repeat(begin, lengths) + offsets
        owner = np.repeat(np.arange(len(columns)), lengths)
        rows, values = self.column_rows[entries], self.column_values[entries]
        for k, level_cost in enumerate(self.level_costs):
            nonzero = np.flatnonzero(level_cost[columns])
            owner = np.concatenate([owner, nonzero])
            rows = np.concatenate([rows, np.full(len(nonzero), self.model_rows + k, dtype=np.int32)])
            values = np.concatenate([values, level_cost[columns[nonzero]]])
        order = np.argsort(owner, kind="stable")
        owner, rows, values = owner[order], rows[order], values[order]
        starts = np.zeros(len(columns), dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=len(columns))[:-1], out=starts[1:])
        self.highs.addCols(len(columns), cost[columns], self.lower[columns], self.upper[columns], len(values),
                           starts.astype(np.int32), rows.astype(np.int32), values)
        self.position[columns] = len(self.in_lp) + np.arange(len(columns))
        self.in_lp = np.concatenate([self.in_lp, columns])

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
        self._wake()
        cost = self._cost(terms)
        nonzero = np.nonzero(cost)[0]
        in_lp = np.flatnonzero(cost[self.in_lp])  # positions in HiGHS's LP
        self.highs.addRow(-highspy.kHighsInf, float(value), len(in_lp), in_lp.astype(np.int32),
                          cost[self.in_lp[in_lp]])
        self.level_costs.append(cost)
        self.entry_rows = np.concatenate([self.entry_rows, np.full(len(nonzero), len(self.row_lower))])
        self.entry_columns = np.concatenate([self.entry_columns, nonzero])
        self.entry_values = np.concatenate([self.entry_values, cost[nonzero]])
        self.row_lower = np.append(self.row_lower, -np.inf)
        self.row_upper = np.append(self.row_upper, float(value))
        if relaxation is None:
            return []
        held = self.held(relaxation, value)
        if held:
            variables = np.array([v for v, _, _ in held], dtype=np.int64)
            self.lower[variables] = [least for _, least, _ in held]
            self.upper[variables] = [most for _, _, most in held]
            # a left-out column held above 0 must be in the LP; the others change in place
            self._add(variables[(self.position[variables] < 0) & (self.lower[variables] > 0)], np.zeros(self.columns))
            present = variables[self.position[variables] >= 0]
            self.highs.changeColsBounds(len(present), self.position[present].astype(np.int32),
                                        self.lower[present], self.upper[present])
        return held

    def rest(self) -> None:
        """Let go of HiGHS until the next `relax`, which makes it again from the LP kept here (the same
        rows, columns and bounds; solved from scratch). A solved HiGHS holds 1–3 MB, and the
        province's 187 small parts each kept one from level 1 to the end: half a GiB."""
        self.highs = None

    def _wake(self) -> None:
        if self.highs is not None:
            return
        columns = self.in_lp
        self.position[:] = -1
        self.in_lp = np.zeros(0, dtype=np.int64)
        self.highs = _highs(self.row_lower, self.row_upper)
        self._add(columns, np.zeros(self.columns))

    def _cost(self, terms: list[tuple[int, int]]) -> np.ndarray:
        return cost_of(terms, self.columns)


def _up_to(value: float, step: int) -> int:
    """The least multiple of `step` at or above `value`, less float noise."""
    return step * math.ceil((value - _margin(value)) / step)


def _step(terms: list[tuple[int, int]]) -> int:
    """The greatest common divisor of the level's coefficients: every plan's value is a multiple of it."""
    return math.gcd(*(int(c) for _, c in terms)) or 1


def _highs(row_lower: np.ndarray, row_upper: np.ndarray) -> highspy.Highs:
    """HiGHS with these rows and no column yet (`LpGuide._add` puts them in)."""
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = 0, len(row_lower)
    model.row_lower_, model.row_upper_ = row_lower, row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.num_col_, model.a_matrix_.num_row_ = 0, len(row_lower)
    model.a_matrix_.start_ = np.zeros(1, dtype=np.int32)
    highs = silent_highs()
    # Serial and a fixed seed: the same LP solution, hence the same plan, every run. ("parallel", not
    # "threads": HiGHS's thread pool is one per process, and asking one instance for 1 thread after
    # another (the benchmarks' HiGHS) started the pool with 2 is an error, not a solve.)
    highs.setOptionValue("parallel", "off")
    highs.setOptionValue("random_seed", 0)
    # The primal simplex, warm-started: each round of column generation adds columns (the basis stays
    # feasible) and each level changes the costs. Datong ×7 in 优先, levels 1 / 2 / 3 / 4 of the LP:
    # 2.2 / 3.4 / 130 / 41 s primal, 1.5 / 5.2 / 162 / 32 s dual; interior point, which the guide
    # used on the whole LP, took 114 s on one round of level 1 at 450,000 columns (its prices, from
    # the middle of the optimal face, make half a million columns price negative at each round).
    highs.setOptionValue("solver", "simplex")
    highs.setOptionValue("simplex_strategy", 4)
    highs.setOptionValue("presolve", "off")
    highs.passModel(model)
    return highs


def hold(model: cp_model.CpModel, held: list[tuple[int, int, int]]) -> None:
    """Add each (variable, least, most) to `model` as a one-variable row."""
    for v, least, most in held:
        add_row(model, (v,), (1,), least, most)


def hold_rows(model: cp_model.CpModel, rows: list[tuple[np.ndarray, np.ndarray, int, int]]) -> None:
    """Add each (variables, coefficients, least, most) to `model` as a row."""
    for variables, coefficients, least, most in rows:
        add_row(model, variables, coefficients, least, most)


_BANNER = threading.Lock()
_banner_shown = False


def silent_highs() -> highspy.Highs:
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
