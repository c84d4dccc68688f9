"""Each priority level's objective as arrays over the CP-SAT model's variables.

`PlanModel.objective(level)` is a CP-SAT expression; the baselines need the same sum as plain
numbers: which proto variables, which coefficients, which constant. The terms are read from
`option_costs`, `aux_costs` and `constants`, exactly the parts `objective()` adds up, so the
greedy plan, HiGHS and the LP relaxation are scored on the planner's own objective.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.model.builder import PlanModel, level_terms
from scheduler.rules.levels import LEVEL_BY_NUMBER


@dataclass(frozen=True)
class LevelObjective:
    """Σ coefficient × variable + constant, in model units (divide by `scale` for planners' units)."""

    number: int
    key: str
    variables: np.ndarray  # proto variable indices, each once
    coefficients: np.ndarray
    constant: int
    scale: int

    def value(self, solution: np.ndarray) -> int:
        """The objective of a full assignment of the proto's variables (model units)."""
        return int(np.dot(self.coefficients, np.asarray(solution)[self.variables])) + self.constant


def level_objectives(model: PlanModel) -> list[LevelObjective]:
    """One objective per level `solve` optimises, in the order it optimises them."""
    result = []
    for number, terms in level_terms(model).items():
        level = LEVEL_BY_NUMBER[number]
        result.append(LevelObjective(
            number, level.key,
            np.fromiter(terms.keys(), dtype=np.int64, count=len(terms)),
            np.fromiter(terms.values(), dtype=np.int64, count=len(terms)),
            int(model.constants.get(number, 0)), level.scale))
    return result


def gap(value: float, bound: float) -> float:
    """`LevelResult.gap`: relative distance to the bound, in planners' units."""
    if abs(value - bound) < 1e-9:
        return 0.0
    return abs(value - bound) / max(abs(value), 1.0)
