"""The model in independent parts: what the lexicographic solve (`solve`) optimises one by one.

Counties that share no school, no teacher and no link share no constraint. Every level's
objective is a sum over variables, so the lexicographic optimum of the whole is each part's
lexicographic optimum put together: splitting is exact, and a dozen small models prove far
faster than one large one (a city case had 187 parts, the largest 1,780 variables).

Works on the CP-SAT proto, so it needs nothing from the rules: any rule that adds linear
constraints is split correctly. Tiny parts are packed into bins so a city does not pay the
solver's start-up cost thousands of times, a few to a bin (`BIN_COMPONENTS`). A model that does not
fall apart, or has a constraint the split does not read, is one part: the planner's own CP-SAT
model, not a copy (`whole`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from .builder import PlanModel, level_terms
from .linear import add_row
from .rows import Rows

BIN_VARIABLES = 2000
#: at most this many components in one bin. Each small component may leave a gap between its LP and
#: its optimum, and one search over a bin closes them all together, which grows far faster than their
#: number: Datong ×70's smallest 63 components in one bin took 49 / 81 / 83 s at levels 2–4 (every
#: other bin under 2 s); in bins of 16 each level of each bin took under 0.6 s
BIN_COMPONENTS = 16


def _components(n: int, first: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Each variable's component, named by its smallest variable, for the edges first[k]–other[k]:
    hooking and pointer jumping over arrays (a loop of `find` per entry took 14 s of a 20 s split on
    Datong ×3 in 优先, 455,000 options)."""
    label = np.arange(n, dtype=np.int64)
    while True:
        a, b = label[first], label[other]
        apart = a != b
        if not apart.any():
            return label
        a, b = a[apart], b[apart]
        low, high = np.minimum(a, b), np.maximum(a, b)
        np.minimum.at(label, high, low)  # hook the larger root under the smaller
        while True:  # every variable straight to its root
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped


@dataclass
class Part:
    """One independent part: its CP-SAT model and which of the planner's variables it holds."""

    model: cp_model.CpModel
    #: global variable index → local one; for the whole model, where they are the same, the range of
    #: its indices (a dict of Datong ×7 in 优先's 2.2 million: 140 MiB, and 0.2–0.4 s with its option map)
    local: dict[int, int] | range
    #: level → [(local variable, coefficient)]
    terms: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    #: how many constraints the rules gave it; those the solve adds after them fix levels
    rules_constraints: int = 0
    #: the next level's hint is every variable of this level's plan (True), or its placements alone.
    #: Each as it was measured and kept before split and whole models shared one solve loop: the
    #: samples' plans depend on it (benchmarks.levers "+hint" compares the two on a whole model).
    hint_every_variable: bool = True

    @property
    def size(self) -> int:
        return len(self.local)

    def expr(self, level: int) -> cp_model.LinearExpr:
        """The level's objective over this part (the level's constant left out)."""
        return self.expr_in(self.model, level)

    def expr_in(self, model: cp_model.CpModel, level: int) -> cp_model.LinearExpr:
        """The same objective over `model`, a copy of this part's model."""
        pairs = self.terms.get(level, [])
        return cp_model.LinearExpr.weighted_sum([model.get_int_var_from_proto_index(v) for v, _ in pairs],
                                                [c for _, c in pairs])

    def hold_level(self, level: int, value: int) -> None:
        """The level's objective over this part at most `value` (through the wrapper's expression, a
        lookup per variable: 1 s of Datong ×20's levels)."""
        pairs = self.terms.get(level, [])
        add_row(self.model, (v for v, _ in pairs), (c for _, c in pairs), cp_model.INT_MIN, value)

    def option_of(self, option_index: dict[int, int]) -> dict[int, int]:
        """Local variable → option index, for the part's option variables (`option_index`: global
        variable → option index)."""
        if isinstance(self.local, range):
            return {v: i for v, i in option_index.items() if v in self.local}
        return {local: option_index[v] for v, local in self.local.items() if v in option_index}


def whole(model: PlanModel) -> Part:
    """The whole model as one part, on the planner's own CP-SAT model (variables keep their indices)."""
    proto = model.model.proto
    terms = {level: list(t.items()) for level, t in level_terms(model).items()}
    return Part(model.model, range(len(proto.variables)), terms, len(proto.constraints), hint_every_variable=False)


def split(model: PlanModel, read: Rows) -> list[Part] | None:
    """The independent parts, or None when the model has no variable. `read`: the model's rows
    (`Rows.of` refuses a model with a constraint they cannot hold: the caller solves it whole)."""
    proto = read.proto
    n = len(proto.variables)
    if n == 0:
        return None
    every, starts = read.columns, read.starts
    lengths = np.diff(starts)
    filled = lengths > 0
    heads = np.repeat(every[starts[:-1][filled]], lengths[filled])
    label = _components(n, heads, every)
    # Components largest first, equal sizes by their smallest variable (the label).
    names, sizes = np.unique(label, return_counts=True)
    order = sorted(range(len(names)), key=lambda k: (-sizes[k], names[k]))
    # Pack small components into bins; large ones stay alone.
    bin_of_component = np.empty(len(names), dtype=np.int64)
    bin_sizes: list[int] = []
    bin_counts: list[int] = []
    for k in order:
        size = int(sizes[k])
        if (size >= BIN_VARIABLES or not bin_sizes or bin_sizes[-1] + size > BIN_VARIABLES
                or bin_counts[-1] >= BIN_COMPONENTS):
            bin_sizes.append(size)
            bin_counts.append(1)
        else:
            bin_sizes[-1] += size
            bin_counts[-1] += 1
        bin_of_component[k] = len(bin_sizes) - 1
    if len(bin_sizes) == 1:
        return [whole(model)]  # one part: nothing to copy
    part_of = bin_of_component[np.searchsorted(names, label)]
    rows = [every[starts[r]:starts[r + 1]] for r in range(len(lengths))]
    local_of = np.empty(n, dtype=np.int64)
    parts = []
    for number in range(len(bin_sizes)):
        members = np.flatnonzero(part_of == number)  # ascending: local order is global order
        local_of[members] = np.arange(len(members))
        sub = cp_model.CpModel()
        for v in members.tolist():
            sub.proto.variables.add().domain.extend(proto.variables[v].domain)
        parts.append(Part(sub, dict(zip(members.tolist(), range(len(members))))))
    coefficients, limits = read.coefficients, read.limits
    for r, row in enumerate(rows):
        if not len(row):
            continue  # a constant constraint (e.g. 0 == 1 from an impossible pin) goes to the first part
        copy = parts[part_of[row[0]]].model.proto.constraints.add()
        copy.linear.vars.extend(local_of[row].tolist())
        copy.linear.coeffs.extend(coefficients[starts[r]:starts[r + 1]].tolist())
        copy.linear.domain.extend(limits[r])
    for r, row in enumerate(rows):
        if not len(row):
            parts[0].model.proto.constraints.add().linear.domain.extend(limits[r])
    for level, terms in level_terms(model).items():
        for v, coefficient in terms.items():
            part = parts[part_of[v]]
            part.terms.setdefault(level, []).append((part.local[v], coefficient))
    for part in parts:
        part.rules_constraints = len(part.model.proto.constraints)
    return parts
