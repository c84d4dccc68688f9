"""The level values of a fixed plan: every option variable set, each auxiliary variable (a quota,
backbone or link shortfall, a couple split) at the least value the constraints allow.

This is how a plan is scored on the solver's own objective without a search: the greedy plan
against CP-SAT's, a part that timed out against its starting plan. Every rule today ties each
auxiliary variable to the options by rows of its own (`shortfall ≥ required − Σ options`), so
once the options are fixed each row bounds one variable and the least value is read off
directly, in one pass over the constraints. A row that still holds two free variables (the
backbone cut joins two shortfalls) is checked with each at its own best; where it fails, or a
constraint is not linear, CP-SAT decides on a copy with the options fixed (presolve settles it at
once), so a future rule cannot make the score wrong, only slower.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from ortools.sat.python import cp_model

from .builder import PlanModel, level_terms
from .linear import read_proto

Terms = Mapping[int, Sequence[tuple[int, int]]]
Proto = object  # `CpModel.proto`: ortools' own wrapper, not a protobuf message


def fixed_values(model: cp_model.CpModel, fixed: Mapping[int, int], terms: Terms, levels: Sequence[int],
                 constraints: int | None = None) -> dict[int, int] | None:
    """level → Σ coefficient × variable (constants excluded) with the variables in `fixed` at their
    values, or None when that assignment breaks a constraint.

    `constraints` counts the leading constraints to read: the solve appends "this level stays at
    its best" rows, which a plan the search did not find need not meet. One plan; several plans of
    the same model: `Scorer`.
    """
    return Scorer(model, terms, levels, constraints).values(fixed)


class Scorer:
    """`fixed_values` for any number of plans of one model, which is read once: its rows, the levels'
    terms and the direction each variable is best in as arrays (the model must not change meanwhile).

    The rows are read as arrays (a walk term by term took 313 s of Datong ×7 in 优先, 16.6 million
    terms, after its 120 s solve; reading them again for each of the three plans scored after a cut
    search, 20 s). A row that bounds one free variable bounds it directly; a row with more free
    variables (a rule's cut joining two shortfalls) is checked once each free variable is at its own
    best: if that holds, no plan does better on any of them.
    """

    def __init__(self, model: cp_model.CpModel, terms: Terms, levels: Sequence[int], constraints: int | None = None):
        self.model, self.terms, self.levels = model, terms, list(levels)
        proto = self.proto = read_proto(model)
        self.count = count = len(proto.constraints) if constraints is None else constraints
        rows = []
        for index in range(count):
            constraint = proto.constraints[index]
            if constraint.WhichOneof("constraint") != "linear" or len(constraint.enforcement_literal):
                self.rows = None  # a constraint this score does not read: each plan by a search
                return
            rows.append(constraint.linear)
        self.rows = rows
        n = self.variables = len(proto.variables)
        lengths = np.array([len(row.vars) for row in rows], dtype=np.int64)
        self.row_variables = np.concatenate([np.array(row.vars, dtype=np.int64) for row in rows]) if rows \
            else np.zeros(0, np.int64)
        self.row_coefficients = np.concatenate([np.array(row.coeffs, dtype=np.int64) for row in rows]) if rows \
            else np.zeros(0, np.int64)
        self.row_of = np.repeat(np.arange(count), lengths)
        self.level_terms = {level: (np.fromiter((v for v, _ in pairs), dtype=np.int64, count=len(pairs)),
                                    np.fromiter((c for _, c in pairs), dtype=np.int64, count=len(pairs)))
                            for level in self.levels if (pairs := terms.get(level, ()))}
        self.direction = _directions(self.level_terms, self.levels, n)

    def values(self, fixed: Mapping[int, int]) -> dict[int, int] | None:
        proto, count, rows = self.proto, self.count, self.rows
        if rows is None:
            return _by_search(self.model.proto, fixed, self.terms, self.levels, count)
        n = self.variables
        value = np.zeros(n, dtype=np.int64)
        is_fixed = np.zeros(n, dtype=bool)
        if fixed:
            keys = np.fromiter(fixed.keys(), dtype=np.int64, count=len(fixed))
            value[keys] = np.fromiter(fixed.values(), dtype=np.int64, count=len(fixed))
            is_fixed[keys] = True
        variables, coefficients, row_of = self.row_variables, self.row_coefficients, self.row_of
        known = is_fixed[variables]
        activity = np.zeros(count, dtype=np.int64)
        np.add.at(activity, row_of[known], coefficients[known] * value[variables[known]])
        free_terms = np.flatnonzero(~known)
        free_count = np.bincount(row_of[free_terms], minlength=count)

        low: dict[int, int] = {}
        high: dict[int, int] = {}
        for r in np.flatnonzero(free_count == 0).tolist():
            if not _inside(int(activity[r]), list(rows[r].domain)):
                return None
        single = free_count[row_of[free_terms]] == 1
        for k in free_terms[single].tolist():
            r = int(row_of[k])
            domain = list(rows[r].domain)
            if len(domain) > 2:
                return _by_search(self.model.proto, fixed, self.terms, self.levels, count)
            v, c, act = int(variables[k]), int(coefficients[k]), int(activity[r])
            lo, hi = domain[0], domain[-1]
            # lo ≤ activity + c·v ≤ hi, with CP-SAT's ±2^63 standing for "no limit"
            if c > 0:
                a, b = _div_up(lo - act, c), _div_down(hi - act, c)
            else:
                a, b = _div_up(hi - act, c), _div_down(lo - act, c)
            low[v] = max(low.get(v, a), a)
            high[v] = min(high.get(v, b), b)

        direction = self.direction
        charged = np.flatnonzero((direction != 0) & ~is_fixed).tolist()  # the free variables a level charges
        chosen: dict[int, int] = {}
        for v in set(low) | set(high) | set(charged):
            if is_fixed[v]:
                continue
            domain = list(proto.variables[v].domain)
            if len(domain) > 2:
                return _by_search(self.model.proto, fixed, self.terms, self.levels, count)
            a, b = max(low.get(v, domain[0]), domain[0]), min(high.get(v, domain[-1]), domain[-1])
            if a > b:
                return None
            chosen[v] = b if direction[v] < 0 else a

        def at(v: int) -> int:
            return int(value[v]) if is_fixed[v] else chosen.get(v, proto.variables[v].domain[0])

        # The rows of several free variables, with each at its own best: all hold, or a search decides.
        for r in np.unique(row_of[free_terms[~single]]).tolist():
            row = rows[r]
            total = sum(c * at(v) for v, c in zip(row.vars, row.coeffs))
            if not _inside(total, list(row.domain)):
                return _by_search(self.model.proto, fixed, self.terms, self.levels, count)
        for v, chosen_value in chosen.items():
            value[v] = chosen_value
        result = {}
        for level in self.levels:
            if level not in self.level_terms:
                result[level] = 0
                continue
            level_vars, level_coefficients = self.level_terms[level]
            for v in level_vars[~is_fixed[level_vars]].tolist():
                if v not in chosen:
                    value[v] = proto.variables[v].domain[0]
            result[level] = int(np.dot(level_coefficients, value[level_vars]))
        return result


def _directions(level_terms: dict[int, tuple[np.ndarray, np.ndarray]], levels: Sequence[int], n: int) -> np.ndarray:
    """Per variable +1 when it is best low, −1 when best high, 0 when no level charges it: the sign of
    its first non-zero cost at the first level that charges it (the levels are separable per variable
    here, so this is the lexicographic best)."""
    direction = np.zeros(n, dtype=np.int8)
    for level in levels:
        if level not in level_terms:
            continue
        variables, coefficients = level_terms[level]
        charged = coefficients != 0
        seen, first = np.unique(variables[charged], return_index=True)  # each variable's first charge
        new = direction[seen] == 0
        direction[seen[new]] = np.sign(coefficients[charged][first[new]])
    return direction


def _inside(value: int, domain: list[int]) -> bool:
    return any(domain[k] <= value <= domain[k + 1] for k in range(0, len(domain), 2))


def _div_up(a: int, b: int) -> int:
    return -((-a) // b)


def _div_down(a: int, b: int) -> int:
    return a // b


def _by_search(proto: Proto, fixed: Mapping[int, int], terms: Terms, levels: Sequence[int],
               count: int) -> dict[int, int] | None:
    """The same values by CP-SAT on a copy with the fixed variables' domains set to their values."""
    model = cp_model.CpModel()
    for v, variable in enumerate(proto.variables):
        value = fixed.get(v)
        model.proto.variables.add().domain.extend(list(variable.domain) if value is None else [value, value])
    for index in range(count):
        model.proto.constraints.add().copy_from(proto.constraints[index])
    values: dict[int, int] = {}
    for level in levels:
        pairs = list(terms.get(level, ()))
        expr = cp_model.LinearExpr.weighted_sum([model.get_int_var_from_proto_index(v) for v, _ in pairs],
                                                [c for _, c in pairs])
        model.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 30.0
        status = solver.solve(model)
        if status != cp_model.OPTIMAL:
            return None
        values[level] = round(solver.objective_value)
        model.add(expr <= values[level])
    return values


def lexicographic_key(values: Mapping[int, int], levels: Sequence[int]) -> tuple[float, ...]:
    """Level values in priority order, for comparing two plans (smaller is better)."""
    return tuple(values.get(level, math.inf) for level in levels)


def option_level_values(model: PlanModel, chosen: Iterable[int]) -> dict[int, int] | None:
    """level → value (model units, constants included) when exactly the options `chosen` are placed;
    None when that breaks a hard rule of the model. `model`: a freshly built `PlanModel`."""
    picked = set(chosen)
    fixed = {var.index: int(i in picked) for i, var in enumerate(model.x)}
    terms = {level: list(t.items()) for level, t in level_terms(model).items()}
    levels = model.levels()
    values = fixed_values(model.model, fixed, terms, levels)
    if values is None:
        return None
    return {level: values[level] + model.constants.get(level, 0) for level in levels}
