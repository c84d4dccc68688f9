"""Which plan a part keeps when its search did not prove every level: CP-SAT's or the starting one.

A search cut by the time limit or by Stop may hold a plan worse than the greedy start (a level
fixed at a poor first solution), or no plan at all. Each part is scored on the solver's own
objective (`fixed`) both ways and the lexicographically better plan is kept. Parts share no
constraint, so any mix of kept plans obeys every rule the kept plans obey.

Bounds are kept only where they bound the lexicographic optimum itself: a level's bound was found
with every earlier level held at its value so far, which the best plan meets only while those
levels are proven, or the unproven one is the level just before (the best plan is at least as good
there). Further down the search's bound is about a different question, so it is dropped (None).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .fixed import Scorer, Terms, lexicographic_key

OPTIMAL, FEASIBLE, NO_SOLUTION, NOT_REACHED = "optimal", "feasible", "no_solution", "not_reached"


@dataclass
class PartRun:
    """One part's search, level by level, in model units (the part's objective has no constants)."""

    words: dict[int, str] = field(default_factory=dict)
    values: dict[int, int] = field(default_factory=dict)
    bounds: dict[int, int] = field(default_factory=dict)
    #: proto variable → value of the latest CP-SAT plan; None while it has none
    plan: dict[int, int] | None = None

    def record_bound(self, level: int, bound: float) -> None:
        """The best bound so far: a level searched again may prove less than its first search did."""
        if math.isfinite(bound):
            self.bounds[level] = max(self.bounds.get(level, -math.inf), math.ceil(bound - 1e-6))

    def proven(self, levels: Sequence[int]) -> bool:
        return all(self.words.get(level) == OPTIMAL for level in levels)


@dataclass
class Settled:
    #: "optimal", "feasible", "greedy" or "unknown" (see `PartResult`)
    status: str
    #: proto variable → value for the option variables of the kept plan
    plan: dict[int, int]
    values: dict[int, int]
    bounds: dict[int, int | None]


def valid_bounds(run: PartRun, levels: Sequence[int]) -> dict[int, int | None]:
    first_open = next((k for k, level in enumerate(levels) if run.words.get(level) != OPTIMAL), len(levels))
    return {level: run.bounds.get(level) if k <= first_open + 1 else None for k, level in enumerate(levels)}


def settle(model: cp_model.CpModel, constraints: int, terms: Terms, levels: Sequence[int], run: PartRun,
           option_vars: Sequence[int], greedy: Mapping[int, int], scorer: Scorer | None = None) -> Settled:
    """The plan to keep for one part. `option_vars`: its option variables; `greedy`: their values in
    the starting plan; `constraints`: how many leading constraints are the rules' (the rest fix levels);
    `scorer`: the part's, when the caller scores more plans of it."""
    if run.plan is not None and run.proven(levels):
        # Proven on every level: the lexicographic optimum, never worse than the start.
        return Settled(OPTIMAL, {v: run.plan.get(v, 0) for v in option_vars}, dict(run.values), dict(run.bounds))
    bounds = valid_bounds(run, levels)
    scorer = scorer if scorer is not None else Scorer(model, terms, levels, constraints)
    start = {v: greedy.get(v, 0) for v in option_vars}
    start_values = scorer.values(start)
    if run.plan is not None:
        own = {v: run.plan.get(v, 0) for v in option_vars}
        own_values = scorer.values(own)
        if own_values is not None and (start_values is None or lexicographic_key(own_values, levels)
                                       <= lexicographic_key(start_values, levels)):
            return Settled(FEASIBLE, own, own_values, bounds)
    if start_values is not None:
        return Settled("greedy", start, start_values, bounds)
    # Neither plan obeys the hard rules (the start can miss a hard quota): keep the start, say so.
    return Settled("unknown", start, {}, bounds)
