"""A fast greedy plan: the hint that gives CP-SAT a feasible start, and a baseline for benchmarks.

It obeys every row the rules registered (one placement, need, beds, link caps, couples, teams'
impossible slots) and asks each rule, in registry order, for its step (`Rule.seed`): pinned
teachers first, teams as a whole, each sending school's quota (backbone teachers first while the
share is short), then the remaining need, most valuable options first.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np

from ..rules import RULES
from ..rules.levels import LEVEL_BY_KEY
from .builder import PlanModel

_NEED, _LINKS, _TEACHERS = (LEVEL_BY_KEY[key].number for key in ("need", "links", "teachers"))


class _RowsOf:
    """Option → [(row, coefficient)] over `rows`, an option's coefficients in one row summed. Sorted
    as arrays, each option's list made when first asked: a dict of lists appended term by term took
    a third of the greedy plan (Datong ×7 in 优先: 16.6 million terms), and most options are never asked."""

    def __init__(self, rows: Sequence, options: int):
        lengths = np.fromiter((len(row.options) for row in rows), dtype=np.int64, count=len(rows))
        members = np.concatenate([row.options for row in rows]) if rows else np.zeros(0, dtype=np.int64)
        coefficients = np.concatenate([row.coefficients for row in rows]) if rows else members
        keys = members * max(len(rows), 1) + np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        firsts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
        self.coefficients = np.add.reduceat(coefficients[order], firsts) if len(keys) else keys
        keys = keys[firsts]
        self.rows = keys % max(len(rows), 1)
        # Python ints: most options are asked once (Datong ×7 in 优先: 2.0 million asks of 2.2 million
        # options), so a slice is made per ask and not kept, from bounds read without numpy's scalars.
        self.starts = np.searchsorted(keys // max(len(rows), 1), np.arange(options + 1)).tolist()

    def __getitem__(self, option: int) -> list[tuple[int, int]]:
        begin, end = self.starts[option], self.starts[option + 1]
        return list(zip(self.rows[begin:end].tolist(), self.coefficients[begin:end].tolist()))


class _State:
    """The plan being built: implements the rules' `GreedyPlan`."""

    def __init__(self, model: PlanModel):
        self.model = model
        self.held: set[int] = set()
        self._value, self._rank = _ranking(model)
        self._keys: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.rows_of = _RowsOf(model.rows, len(model.options))
        self.limits = [row.limit for row in model.rows]
        self.activity = [0] * len(model.rows)
        self.placed: set[int] = set()  # teacher positions
        self.chosen: list[int] = []

    def fits(self, indices: list[int]) -> bool:
        if len(indices) == 1:  # most asks: one option, whose coefficients are summed per row already
            i = indices[0]
            activity, limits = self.activity, self.limits
            return (self.model.options[i].teacher not in self.placed
                    and all(activity[r] + c <= limits[r] for r, c in self.rows_of[i]))
        teachers = [self.model.options[i].teacher for i in indices]
        if len(set(teachers)) < len(teachers) or any(t in self.placed for t in teachers):
            return False
        delta: dict[int, int] = defaultdict(int)
        for i in indices:
            for r, coefficient in self.rows_of[i]:
                delta[r] += coefficient
        return all(self.activity[r] + d <= self.limits[r] for r, d in delta.items())

    def take(self, indices: list[int]) -> bool:
        if not self.fits(indices):
            return False
        for i in indices:
            for r, coefficient in self.rows_of[i]:
                self.activity[r] += coefficient
            self.placed.add(self.model.options[i].teacher)
            self.chosen.append(i)
        return True

    def rank(self, index: int) -> tuple:
        return self._rank(index)

    def ranked(self, indices: Iterable[int]) -> list[int]:
        chosen = np.fromiter(indices, dtype=np.int64)
        if self._keys is None:
            self._keys = _rank_keys(self.model)
        need, links, teachers = (key[chosen] for key in self._keys)
        return chosen[np.lexsort((chosen, teachers, links, need))].tolist()

    def value(self, index: int) -> int:
        return self._value.get(index, 0)


def _ranking(model: PlanModel):
    """Need filled first, then the cheapest at the links and the teachers' levels, then the option order."""
    value = {i: -c for i, c in model.option_costs.get(_NEED, {}).items()}
    links, teachers = model.option_costs.get(_LINKS, {}), model.option_costs.get(_TEACHERS, {})

    def rank(i: int) -> tuple:
        return (-value.get(i, 0), links.get(i, 0), teachers.get(i, 0), i)

    return value, rank


def _rank_keys(model: PlanModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_ranking`'s key as arrays over every option: its cost at the need level (−need filled), the
    links level and the teachers' level."""
    keys = []
    for level in (_NEED, _LINKS, _TEACHERS):
        key = np.zeros(len(model.options), dtype=np.int64)
        costs = model.option_costs.get(level, {})
        if costs:
            key[np.fromiter(costs.keys(), dtype=np.int64, count=len(costs))] = np.fromiter(
                costs.values(), dtype=np.int64, count=len(costs))
        keys.append(key)
    return keys[0], keys[1], keys[2]


def greedy_plan(model: PlanModel) -> list[int]:
    """The chosen option indices: every rule's step, in registry order, whatever its mode."""
    state = _State(model)
    for rule in RULES:
        rule.seed(model, state)
    return state.chosen


def fill(model: PlanModel, chosen: list[int], candidates: set[int]) -> list[int]:
    """`chosen` and, among `candidates`, every option that still fits and fills need, most valuable first.

    Completes a plan a search left at its first levels: each option added fills need (level 2) and
    rotates one more teacher, which lowers no quota count (level 1). An option that would raise a
    `shortfall_terms` cost is left out: on the 交流总数 base one more teacher who is not backbone can
    raise the backbone share owed. The caller still keeps the result only where the levels come out
    no worse (`solve._complete` checks). Teams are left alone (their members go together or not at all).
    """
    state = _State(model)
    if not state.take(list(chosen)):
        return list(chosen)  # not a plan the rows allow: nothing to build on
    value = state._value
    rows = model.shortfall_rows
    totals = [0] * len(rows)
    rows_of = _RowsOf(rows, len(model.options))
    for i in state.chosen:
        for r, coefficient in rows_of[i]:
            totals[r] += coefficient
    options, placed = model.options, state.placed
    in_team = {options[i].teacher for unit in model.units for member in unit for i in member}
    for i in state.ranked(i for i in candidates if value.get(i, 0) > 0 and options[i].teacher not in in_team):
        if options[i].teacher in placed:
            continue  # asked first: the rows below are read for the options still open
        if any(rows[r].missing(totals[r] + c) > rows[r].missing(totals[r]) for r, c in rows_of[i]):
            continue
        if state.take([i]):
            for r, coefficient in rows_of[i]:
                totals[r] += coefficient
    return state.chosen
