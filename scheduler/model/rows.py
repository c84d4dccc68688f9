"""A CP-SAT model's rows read once, as arrays, for everything the solve reads them for.

Why once: reading Datong ×7 in 优先 (2.2 million variables, 16.6 million terms) took 6.7 s each
time, and the split, the LP guide and the rings around the LP solution each read it, one after the
other, before the first plan. Between two levels a part's model only gains rows (`Rows.grown`).

Only linear rows without enforcement literals are read: the rules write nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from .linear import LinearProgram, UnsupportedModel, linear_program, read_proto


@dataclass(frozen=True)
class Rows:
    """A model as read once: its proto (for the variables' domains) and its rows as arrays. The split
    finds the parts in them, a large part's LP guide starts from them, and each ring masks them in a
    few array operations instead of a Python step per row (at the strict city's bins of up to 2,000
    variables that step took a quarter of the levels' time)."""

    #: the model's variables (its constraints are cleared: they are the arrays below)
    proto: cp_model_pb2.CpModelProto
    #: row r's terms are columns / coefficients [starts[r], starts[r + 1])
    starts: np.ndarray
    columns: np.ndarray
    coefficients: np.ndarray
    limits: list[list[int]]

    @classmethod
    def of(cls, model: cp_model.CpModel) -> Rows:
        """Read whole. The terms go straight into arrays of their final size (lists of Python ints
        took 67 bytes a term, and the province's peak is within a few per cent of its 2 GiB), and the
        proto keeps only its variables: the rows are in the arrays."""
        proto = read_proto(model)
        constraints = proto.constraints
        lengths = np.zeros(len(constraints), dtype=np.int64)
        for index, constraint in enumerate(constraints):
            if constraint.WhichOneof("constraint") != "linear" or constraint.enforcement_literal:
                raise UnsupportedModel(f"constraint {index} is not a plain linear row")
            lengths[index] = len(constraint.linear.vars)
        starts = np.zeros(len(constraints) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        columns = np.empty(starts[-1], dtype=np.int64)
        coefficients = np.empty(starts[-1], dtype=np.int64)
        limits = []
        for index, constraint in enumerate(constraints):
            begin, end = starts[index], starts[index + 1]
            columns[begin:end] = constraint.linear.vars
            coefficients[begin:end] = constraint.linear.coeffs
            limits.append(list(constraint.linear.domain))
        proto.ClearField("constraints")
        return cls(proto, starts, columns, coefficients, limits)

    def grown(self, model: cp_model.CpModel) -> Rows:
        """The rows of `model`, the model these were read from with rows added since and nothing else
        changed (a part's model between two levels: its level rows and what the LP's prices hold). Only
        the added rows are read, through the wrapper: reading the whole of Datong ×7 in 优先 again took
        3.4 s a level, the few hundred added rows take a moment. Read whole when `model` has other
        variables or fewer rows."""
        constraints = model.proto.constraints
        known = len(self.limits)
        if len(model.proto.variables) != len(self.proto.variables) or len(constraints) < known:
            return Rows.of(model)
        lengths, columns, coefficients, limits = [], [], [], list(self.limits)
        for index in range(known, len(constraints)):
            constraint = constraints[index]
            if not constraint.has_linear() or len(constraint.enforcement_literal):
                raise UnsupportedModel(f"constraint {index} is not a plain linear row")
            linear = constraint.linear
            lengths.append(len(linear.vars))
            columns.extend(linear.vars)
            coefficients.extend(linear.coeffs)
            limits.append(list(linear.domain))
        if not lengths:
            return self
        starts = np.concatenate((self.starts, self.starts[-1] + np.cumsum(lengths)))
        return Rows(self.proto, starts, np.concatenate((self.columns, np.asarray(columns, dtype=np.int64))),
                    np.concatenate((self.coefficients, np.asarray(coefficients, dtype=np.int64))), limits)

    def linear_program(self) -> LinearProgram:
        """The same model as `linear.translate` reads it, from these rows."""
        return linear_program(self.proto.variables, self.starts, self.columns, self.coefficients, self.limits)
