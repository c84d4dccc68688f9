"""The model in independent parts: what the lexicographic solve (`solve`) optimises one by one.

Counties that share no school, no teacher and no link share no constraint. Every level's
objective is a sum over variables, so the lexicographic optimum of the whole is each part's
lexicographic optimum put together: splitting is exact, and a dozen small models prove far
faster than one large one (a city case had 187 parts, the largest 1,780 variables).

Works on the CP-SAT proto, so it needs nothing from the rules: any rule that adds linear
constraints is split correctly. Tiny parts are packed into bins so a city does not pay the
solver's start-up cost thousands of times. A model that does not fall apart, or has a constraint
the split does not read, is one part: the planner's own CP-SAT model, not a copy (`whole`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .builder import PlanModel, level_terms

BIN_VARIABLES = 2000


def _find(parent: list[int], v: int) -> int:
    while parent[v] != v:
        parent[v] = parent[parent[v]]
        v = parent[v]
    return v


@dataclass
class Part:
    """One independent part: its CP-SAT model and which of the planner's variables it holds."""

    model: cp_model.CpModel
    #: global variable index → local one
    local: dict[int, int]
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

    def option_of(self, option_index: dict[int, int]) -> dict[int, int]:
        """Local variable → option index, for the part's option variables (`option_index`: global
        variable → option index)."""
        return {local: option_index[v] for v, local in self.local.items() if v in option_index}


def whole(model: PlanModel) -> Part:
    """The whole model as one part, on the planner's own CP-SAT model (variables keep their indices)."""
    proto = model.model.proto
    terms = {level: list(t.items()) for level, t in level_terms(model).items()}
    return Part(model.model, {v: v for v in range(len(proto.variables))}, terms, len(proto.constraints),
                hint_every_variable=False)


def split(model: PlanModel) -> list[Part] | None:
    """The independent parts, or None when the model has a constraint this split does not read."""
    proto = model.model.proto
    n = len(proto.variables)
    if n == 0:
        return None
    parent = list(range(n))
    for constraint in proto.constraints:
        if not constraint.has_linear() or len(constraint.enforcement_literal):
            return None
        variables = list(constraint.linear.vars)
        for v in variables[1:]:
            a, b = _find(parent, variables[0]), _find(parent, v)
            if a != b:
                parent[b] = a
    members: dict[int, list[int]] = defaultdict(list)
    for v in range(n):
        members[_find(parent, v)].append(v)
    groups = sorted(members.values(), key=len, reverse=True)
    # Pack small components into bins; large ones stay alone.
    bins: list[list[int]] = []
    for group in groups:
        if len(group) >= BIN_VARIABLES or not bins or len(bins[-1]) + len(group) > BIN_VARIABLES:
            bins.append(list(group))
        else:
            bins[-1].extend(group)
    part_of = {}
    parts = []
    for number, variables in enumerate(bins):
        sub = cp_model.CpModel()
        local = {}
        for v in sorted(variables):
            local[v] = len(local)
            sub.proto.variables.add().domain.extend(list(proto.variables[v].domain))
            part_of[v] = number
        parts.append(Part(sub, local))
    for constraint in proto.constraints:
        variables = list(constraint.linear.vars)
        if not variables:
            continue  # a constant constraint (e.g. 0 == 1 from an impossible pin) goes to the first part
        part = parts[part_of[variables[0]]]
        copy = part.model.proto.constraints.add()
        copy.linear.vars.extend([part.local[v] for v in variables])
        copy.linear.coeffs.extend(list(constraint.linear.coeffs))
        copy.linear.domain.extend(list(constraint.linear.domain))
    for constraint in proto.constraints:
        if not list(constraint.linear.vars):
            copy = parts[0].model.proto.constraints.add()
            copy.linear.domain.extend(list(constraint.linear.domain))
    for level, terms in level_terms(model).items():
        for v, coefficient in terms.items():
            part = parts[part_of[v]]
            part.terms.setdefault(level, []).append((part.local[v], coefficient))
    for part in parts:
        part.rules_constraints = len(part.model.proto.constraints)
    return parts

