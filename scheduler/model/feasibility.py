"""Is there any plan at all under the hard rules? A solve with no objective, for diagnosing conflicts."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..domain.models import Case
from ..domain.settings import Settings
from .parameters import configure
from .solve import build


def is_feasible(case: Case, settings: Settings, time_limit: float = 10.0) -> bool | None:
    """True / False when decided, None when the time ran out first."""
    _, model = build(case, settings)
    solver = cp_model.CpSolver()
    configure(solver, settings, time_limit)
    status = solver.solve(model.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    return None
