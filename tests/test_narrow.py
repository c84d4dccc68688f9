"""A part narrowed to some of its variables (scheduler/model/narrow.py) is the part with every other
variable at 0, and a solve searching only such rings around the LP solution (the way a part too
large to load is searched) gives a valid plan that never claims more than it proves."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from scheduler.audit import audit
from scheduler.domain import settings_from
from scheduler.model import solve
from scheduler.model.narrow import narrowed
from scheduler.workbook import read_paths

solve_module = importlib.import_module("scheduler.model.solve")
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _case(pairing: str):
    case = read_paths([SAMPLES / "lueyang_county.xlsx"]).case
    return case, settings_from(case.settings, pairing_mode=pairing)


def _optimum(model: cp_model.CpModel, terms) -> int:
    model.minimize(cp_model.LinearExpr.weighted_sum([model.get_int_var_from_proto_index(v) for v, _ in terms],
                                                    [c for _, c in terms]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value), list(solver.response_proto.solution)


def test_a_narrowed_part_has_the_optimum_of_the_part_with_the_rest_at_zero():
    case, settings = _case("prefer")
    _, model = solve_module.build(case, settings)
    part = solve_module.whole(model)
    options = np.array([var.index for var in model.x])
    free = np.ones(part.size, dtype=bool)
    lowest = np.array([part.model.proto.variables[int(v)].domain[0] for v in options])
    free[options[::3][lowest[::3] == 0]] = False  # a third of the options left out (never a pinned one)
    narrow = narrowed(part.model, free)
    assert len(narrow.kept) == int(free.sum())

    held = part.model.clone()
    for v in np.flatnonzero(~free).tolist():
        held.proto.variables[v].domain[0] = held.proto.variables[v].domain[1] = 0
    need = part.terms[2]
    expected, _ = _optimum(held, need)
    got, solution = _optimum(narrow.model, list(zip(*narrow.inside([v for v, _ in need], [c for _, c in need]))))
    assert got == expected
    # its plan, spread back over the part, is a plan of the part with that value
    spread = narrow.spread(range(part.size), solution)
    assert all(spread[v] == 0 for v in np.flatnonzero(~free).tolist())
    assert sum(c * spread[v] for v, c in need) == got
    check = part.model.clone()
    for v, value in spread.items():
        check.proto.variables[v].domain[0] = check.proto.variables[v].domain[1] = value
    assert cp_model.CpSolver().solve(check) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@pytest.mark.parametrize("pairing", ["prefer", "any"])
def test_a_solve_in_rings_only_gives_a_valid_plan_and_claims_only_what_it_proves(pairing, monkeypatch):
    case, settings = _case(pairing)
    monkeypatch.setattr(solve_module, "LP_GUIDE_VARIABLES", 10**9)
    plain = solve(case, settings)
    assert plain.status == "optimal"
    monkeypatch.setattr(solve_module, "LP_GUIDE_VARIABLES", 1)
    monkeypatch.setattr(solve_module, "LOAD_S_PER_VARIABLE", 10.0)  # every part "too large to load"
    rings = []
    real = solve_module._Search._cp
    monkeypatch.setattr(solve_module._Search, "_cp",
                        lambda self, *a, **k: rings.append(k.get("narrow") is not None) or real(self, *a, **k))
    ringed = solve(case, settings)
    assert rings and all(rings[:3]), "the guided parts were not searched in rings"
    assert audit(case, settings, ringed).ok
    best = [level.value for level in plain.levels]
    got = [level.value for level in ringed.levels]
    assert tuple(got) >= tuple(best), "a plan better than the proven optimum: something was cut wrongly"
    for level in ringed.levels:
        assert level.bound is None or level.bound <= level.value + 1e-9
    if ringed.status == "optimal":
        assert got == best
