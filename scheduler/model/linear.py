"""The CP-SAT model as a linear program: variable bounds and linear rows, in arrays HiGHS takes as they are.

Used by the LP guide of the solve (`lp_guide`) and by the benchmarks' HiGHS baseline.

The planner's model is linear (Booleans, bounded integers, linear constraints), so its
`CpModelProto` translates one to one: each variable's domain becomes its bounds, each linear
constraint's domain a row's lower and upper limits. `at_most_one`, `exactly_one` and `bool_or`
over literals translate too, should the rules ever use them. Anything else (an enforcement
literal, a domain with holes, a non-linear constraint) is refused by name rather than
translated approximately.

The proto is read through its serialised form: `cp_model_pb2` parses a whole city model in a
fraction of a second, while walking the pybind wrapper term by term is many times slower.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

#: CP-SAT writes ±infinity as the int64 extremes; anything beyond this is treated as unbounded.
_UNBOUNDED = 2**62


class UnsupportedModel(ValueError):
    """The model holds something a linear program cannot say exactly."""


@dataclass
class LinearProgram:
    """min c·x subject to row_lower ≤ A x ≤ row_upper, lower ≤ x ≤ upper, A row-wise (CSR)."""

    lower: np.ndarray
    upper: np.ndarray
    starts: np.ndarray  # row r's entries are [starts[r], starts[r + 1])
    columns: np.ndarray
    values: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray

    @property
    def num_columns(self) -> int:
        return len(self.lower)

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    def violation(self, solution: np.ndarray) -> float:
        """The largest amount by which `solution` breaks a bound or a row (0 when feasible)."""
        solution = np.asarray(solution, dtype=float)
        worst = float(max(np.max(self.lower - solution, initial=0), np.max(solution - self.upper, initial=0)))
        if self.num_rows:
            activity = np.add.reduceat(self.values * solution[self.columns], self.starts[:-1]) \
                if len(self.values) else np.zeros(self.num_rows)
            empty = self.starts[:-1] == self.starts[1:]
            activity[empty] = 0.0  # reduceat gives the next row's first term for an empty row
            worst = max(worst, float(np.max(self.row_lower - activity, initial=0)),
                        float(np.max(activity - self.row_upper, initial=0)))
        return worst


def _bound(value: int) -> float:
    if value <= -_UNBOUNDED:
        return -np.inf
    if value >= _UNBOUNDED:
        return np.inf
    return float(value)


def _interval(domain, what: str) -> tuple[float, float]:
    if len(domain) != 2:
        raise UnsupportedModel(f"{what} has a domain with holes: {list(domain)}")
    return _bound(domain[0]), _bound(domain[1])


def read_proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a plain protobuf message (serialised through a temporary file)."""
    handle, path = tempfile.mkstemp(suffix=".pb")
    os.close(handle)
    try:
        if not model.export_to_file(path):
            raise OSError(f"CP-SAT could not write its model to {path}")
        with open(path, "rb") as file:
            return cp_model_pb2.CpModelProto.FromString(file.read())
    finally:
        os.unlink(path)


def add_row(model: cp_model.CpModel, variables, coefficients, least: int, most: int) -> None:
    """least ≤ Σ coefficient × variable ≤ most, written into `model`'s proto in one go (through the
    wrapper's expressions, a call per variable: seconds on a city's 16.6 million terms)."""
    row = model.proto.constraints.add().linear
    row.vars.extend(_ints(variables))
    row.coeffs.extend(_ints(coefficients))
    row.domain.extend([least, most])


def _ints(values):
    """Arrays as Python ints in one call (the proto takes neither numpy numbers nor floats: the LP
    guide's rows hold whole-number coefficients as floats); anything else as it is."""
    return values.astype(np.int64, copy=False).tolist() if isinstance(values, np.ndarray) else values


def cost_of(terms: list[tuple[int, int]], columns: int) -> np.ndarray:
    """A level's terms (variable, coefficient) as a cost per column, repeated variables added up."""
    cost = np.zeros(columns)
    if terms:
        np.add.at(cost, np.array([v for v, _ in terms]), np.array([c for _, c in terms], dtype=float))
    return cost


def translate(model: cp_model.CpModel) -> LinearProgram:
    """The model's variables and constraints (its objective is left out: see `objectives`)."""
    proto = read_proto(model)
    lower, upper = _bounds(proto.variables)

    lengths: list[int] = []
    # Every row's references and coefficients, appended a whole row at a time (one C-level call,
    # not one Python step per term: 16.6 million terms in Datong ×7 in 优先 took 15.7 s that way).
    refs: list[int] = []
    coefficients: list[int] = []
    row_lower: list[float] = []
    row_upper: list[float] = []

    def literal_row(literals, low: float, high: float) -> None:
        # A negated literal NOT(x) is 1 − x: its reference turns into −x below, and the 1 moves to
        # the limits.
        negated = sum(1 for ref in literals if ref < 0)
        refs.extend(literals)
        coefficients.extend([1] * len(literals))
        lengths.append(len(literals))
        row_lower.append(low - negated)
        row_upper.append(high - negated)

    for c, constraint in enumerate(proto.constraints):
        kind = constraint.WhichOneof("constraint")
        if constraint.enforcement_literal:
            raise UnsupportedModel(f"constraint {c} ({kind}) has an enforcement literal")
        if kind == "linear":
            low, high = _interval(constraint.linear.domain, f"constraint {c}")
            refs.extend(constraint.linear.vars)
            coefficients.extend(constraint.linear.coeffs)
            lengths.append(len(constraint.linear.vars))
            row_lower.append(low)
            row_upper.append(high)
        elif kind == "at_most_one":
            literal_row(constraint.at_most_one.literals, -np.inf, 1)
        elif kind == "exactly_one":
            literal_row(constraint.exactly_one.literals, 1, 1)
        elif kind == "bool_or":
            literal_row(constraint.bool_or.literals, 1, np.inf)
        else:
            raise UnsupportedModel(f"constraint {c} is a {kind} constraint, not linear")

    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    columns, values = _terms(np.asarray(refs, dtype=np.int64), np.asarray(coefficients, dtype=float))
    return LinearProgram(lower, upper, starts, columns, values, np.asarray(row_lower, dtype=float),
                         np.asarray(row_upper, dtype=float))


def linear_program(variables, starts: np.ndarray, refs: np.ndarray, coefficients: np.ndarray,
                   limits: list[list[int]]) -> LinearProgram:
    """What `translate` gives for a model of linear rows only, from the rows already read as arrays
    (`rows.Rows`: reading a city's model is the most of translating it). `variables`: the proto's."""
    lower, upper = _bounds(variables)
    row_lower = np.empty(len(limits))
    row_upper = np.empty(len(limits))
    for r, domain in enumerate(limits):
        row_lower[r], row_upper[r] = _interval(domain, f"constraint {r}")
    columns, values = _terms(np.array(refs, dtype=np.int64), np.array(coefficients, dtype=float))  # copies
    return LinearProgram(lower, upper, np.array(starts, dtype=np.int64), columns, values, row_lower, row_upper)


def _bounds(variables) -> tuple[np.ndarray, np.ndarray]:
    lower = np.empty(len(variables))
    upper = np.empty(len(variables))
    for v, variable in enumerate(variables):
        domain = variable.domain
        if len(domain) != 2:  # (the name is worded only here: 2.2 million f-strings took seconds)
            _interval(domain, f"variable {v}")
        lower[v], upper[v] = _bound(domain[0]), _bound(domain[1])
    return lower, upper


def _terms(refs: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A negative reference in a term is the variable negated: coefficient × (−x). (Changes both.)"""
    negative = refs < 0
    refs[negative] = -refs[negative] - 1
    values[negative] = -values[negative]
    return refs, values
