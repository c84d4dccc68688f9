"""A part's model narrowed to a few of its variables, every other one taken at 0, as a model of its own.

Why a model of its own: the searches around the LP solution (`solve._Search._search`) free a few
thousand options of a part and hold the rest at 0. Holding them in a copy of the part leaves CP-SAT
to load and presolve every variable and term: Datong ×7 in 优先 is one part of 2.2 million options
and 16.6 million terms, and a copy took longer to load than its search was given. The narrowed model
holds only the freed variables and, in each row, only their terms (a variable at 0 adds nothing).
Which variables a ring frees is `Rings`'s.

Only linear rows without enforcement literals are read (the LP guide, which frees the variables,
exists only for such parts); a variable left out must have 0 in its domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from .rows import Rows


@dataclass
class Narrowed:
    model: cp_model.CpModel
    #: part variable → its variable in `model`, −1 where it is left out (at 0)
    local: np.ndarray
    #: `model`'s variables in part numbering
    kept: np.ndarray

    def inside(self, variables: Sequence[int], values: Sequence[int]) -> tuple[list[int], list[int]]:
        """The pairs (variable, value) whose variable is kept, the variable in `model`'s numbering."""
        where = self.local[np.asarray(variables, dtype=np.int64)]
        keep = where >= 0
        return where[keep].tolist(), np.asarray(values, dtype=np.int64)[keep].tolist()

    def spread(self, variables: Iterable[int], solution: Sequence[int]) -> dict[int, int]:
        """Part variable → its value in `solution` (a solution of `model`), 0 where it is left out."""
        variables = np.fromiter(variables, dtype=np.int64)
        where = self.local[variables]
        values = np.zeros(len(variables), dtype=np.int64)
        values[where >= 0] = np.asarray(solution, dtype=np.int64)[where[where >= 0]]
        return dict(zip(variables.tolist(), values.tolist()))


def narrowed(model: cp_model.CpModel, free: np.ndarray, rows: Rows | None = None) -> Narrowed:
    """`model` with only the variables where `free` (a mask over its variables) is True. `rows`:
    `model`'s rows, when the caller narrows the same model more than once (reading Datong ×7's 2.2
    million variables takes seconds)."""
    rows = Rows.of(model) if rows is None else rows
    kept = np.flatnonzero(free)
    local = np.full(len(free), -1, dtype=np.int64)
    local[kept] = np.arange(len(kept))
    sub = cp_model.CpModel()
    variables, domains = sub.proto.variables, rows.proto.variables
    for v in kept.tolist():
        variables.add().domain.extend(domains[v].domain)
    inside = free[rows.columns]
    # each row's terms that stay, renumbered; a row's new end is the count of its terms kept so far
    columns = local[rows.columns[inside]].tolist()
    coefficients = rows.coefficients[inside].tolist()
    ends = np.concatenate(([0], np.cumsum(inside)))[rows.starts].tolist()
    constraints = sub.proto.constraints
    for r, limits in enumerate(rows.limits):
        begin, end = ends[r], ends[r + 1]
        linear = constraints.add().linear
        linear.vars.extend(columns[begin:end])
        linear.coeffs.extend(coefficients[begin:end])
        linear.domain.extend(limits)
    return Narrowed(sub, local, kept)


class Rings:
    """The rings around an LP solution, as masks over a part's variables: the options the LP uses and
    those of the plan so far, with every variable that is not an option and every option held above
    0 (a pin); a wider ring adds the options the LP prices cheapest, `width` times as many."""

    def __init__(self, size: int, options: Sequence[int], used: np.ndarray, plan: Sequence[int],
                 pinned: np.ndarray, reduced: np.ndarray):
        self.options = np.asarray(options, dtype=np.int64)
        is_option = np.zeros(size, dtype=bool)
        is_option[self.options] = True
        ring = np.zeros(size, dtype=bool)
        ring[used] = True
        ring[np.asarray(plan, dtype=np.int64)] = True
        self.in_ring = int((ring & is_option).sum())
        self.ring = ring | ~is_option | pinned
        self.cheapest = self.options[np.lexsort((self.options, reduced[self.options]))]

    def free(self, width: int) -> np.ndarray:
        mask = self.ring.copy()
        mask[self.cheapest[:width * self.in_ring]] = True
        return mask

    def covers_all(self, width: int) -> bool:
        """The ring of this width holds every option."""
        return width * self.in_ring >= len(self.options)
