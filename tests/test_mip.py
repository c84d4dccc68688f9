"""HiGHS's branch and bound on a large part's level (scheduler/model/mip.py): its optimum is CP-SAT's,
its plans obey every row, a plan that breaks one is refused, Stop ends it, and a solve that proves
its levels through it proves the values a solve without it proves."""

from __future__ import annotations

import importlib
import random
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from scheduler.audit import audit
from scheduler.domain import settings_from
from scheduler.model import solve
from scheduler.model.linear import translate
from scheduler.model.mip import MipOutcome, _obeys, branch_and_bound
from scheduler.workbook import read_paths

solve_module = importlib.import_module("scheduler.model.solve")
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _assignment(seed: int) -> tuple[cp_model.CpModel, list[tuple[int, int]]]:
    """Teachers to schools: each teacher at most once, each school at most its seats, a need per
    school as a shortfall variable; cost = shortfall × 10 − preference."""
    rng = random.Random(seed)
    model = cp_model.CpModel()
    teachers, schools = 12, 4
    x = {(t, s): model.new_bool_var(f"x{t}_{s}") for t in range(teachers) for s in range(schools)}
    terms = []
    for t in range(teachers):
        model.add(sum(x[t, s] for s in range(schools)) <= 1)
    for s in range(schools):
        seats, need = rng.randint(1, 3), rng.randint(1, 4)
        model.add(sum(x[t, s] for t in range(teachers)) <= seats)
        short = model.new_int_var(0, need, f"short{s}")
        model.add(short + sum(x[t, s] for t in range(teachers)) >= need)
        terms.append((short.index, 10))
    terms += [(x[t, s].index, -rng.randint(0, 5)) for t in range(teachers) for s in range(schools)]
    return model, terms


def _cp_optimum(model: cp_model.CpModel, terms: list[tuple[int, int]]) -> int:
    model.minimize(sum(c * model.get_int_var_from_proto_index(v) for v, c in terms))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    model.clear_objective()
    return round(solver.objective_value)


@pytest.mark.parametrize("seed", range(5))
def test_highs_proves_cp_sats_optimum_with_a_plan_that_obeys_every_row(seed):
    model, terms = _assignment(seed)
    optimum = _cp_optimum(model, terms)
    outcome = branch_and_bound(model, terms, {}, 30)
    assert outcome.optimal and outcome.value == outcome.bound == optimum
    # the plan, fixed in the CP-SAT model, is feasible and has that value
    fixed = model.clone()
    for v, value in outcome.solution.items():
        fixed.add(fixed.get_int_var_from_proto_index(v) == value)
    assert _cp_optimum(fixed, terms) == optimum


def test_a_plan_that_breaks_a_row_or_a_bound_is_refused():
    model, _ = _assignment(0)
    lp = translate(model)
    nothing = np.zeros(lp.num_columns)
    assert not _obeys(lp, nothing)  # every school short of nothing: the shortfall rows are broken
    everything = lp.upper.copy()
    assert not _obeys(lp, everything)  # every teacher everywhere
    beyond = nothing.copy()
    beyond[0] = 2  # a yes/no option at 2
    assert not _obeys(lp, beyond)


def test_a_plan_that_fails_the_whole_number_check_is_never_taken(monkeypatch):
    from scheduler.model import mip

    model, terms = _assignment(1)
    monkeypatch.setattr(mip, "_obeys", lambda lp, values: False)
    outcome = branch_and_bound(model, terms, {}, 30)
    assert outcome.solution is None and outcome.value is None and not outcome.optimal


def _market_split(seed: int) -> tuple[cp_model.CpModel, list[tuple[int, int]]]:
    """Cornuéjols and Dawande's market split: few rows, random weights, notoriously slow to prove."""
    rng = random.Random(seed)
    model = cp_model.CpModel()
    n, m = 60, 6
    x = [model.new_bool_var(f"x{j}") for j in range(n)]
    terms = []
    for _ in range(m):
        weights = [rng.randint(0, 99) for _ in range(n)]
        plus = model.new_int_var(0, 10**5, "")
        minus = model.new_int_var(0, 10**5, "")
        model.add(sum(w * v for w, v in zip(weights, x)) + plus - minus == sum(weights) // 2)
        terms += [(plus.index, 1), (minus.index, 1)]
    return model, terms


def test_stop_ends_the_search_at_once_without_a_claim_of_optimality():
    model, terms = _market_split(1)
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.perf_counter()
    outcome = branch_and_bound(model, terms, {}, 60, stop)
    assert time.perf_counter() - started < 10  # the limit was 60 s
    assert not outcome.optimal
    assert outcome.value is None or outcome.bound <= outcome.value


def test_a_long_search_reports_its_plan_and_bound_as_it_goes():
    model, terms = _market_split(2)
    reports = []
    outcome = branch_and_bound(model, terms, {}, 2.0, progress=lambda value, bound: reports.append((value, bound)))
    assert len(reports) >= 2, "a two-second search reported less than twice"
    assert all(bound <= value for value, bound in reports)
    assert reports[-1][0] >= outcome.value  # the plan only gets better


@pytest.mark.parametrize("pairing", ["prefer", "any"])
def test_a_solve_whose_whole_part_searches_go_to_highs_proves_the_same_levels(pairing, monkeypatch):
    case = read_paths([SAMPLES / "lueyang_county.xlsx"]).case
    settings = settings_from(case.settings, pairing_mode=pairing)
    monkeypatch.setattr(solve_module, "branch_and_bound", lambda *a, **k: MipOutcome(False, float("-inf")))
    without = solve(case, settings)
    # every part gets the LP guide, no search around its LP, and HiGHS has the whole part's time
    monkeypatch.setattr(solve_module, "LP_GUIDE_VARIABLES", 1)
    monkeypatch.setattr(solve_module, "RINGS", ())
    monkeypatch.setattr(solve_module, "MIP_SHARE", 1.0)
    monkeypatch.setattr(solve_module, "MIP_VARIABLES", 1)
    outcomes = []
    monkeypatch.setattr(solve_module, "branch_and_bound",
                        lambda *a, **k: outcomes.append(branch_and_bound(*a, **k)) or outcomes[-1])
    through = solve(case, settings)
    assert any(outcome.optimal for outcome in outcomes), "HiGHS proved no level"
    assert without.status == through.status == "optimal"
    assert [(level.key, level.value) for level in through.levels] == \
        [(level.key, level.value) for level in without.levels]
    assert audit(case, settings, through).ok


def test_a_start_of_the_options_only_is_completed_and_kept(monkeypatch):
    """A model solved whole hints its options only: HiGHS must still start from that plan (searching no
    node at all here, it can only return the start)."""
    from scheduler.model import mip

    model, terms = _assignment(3)
    optimum = _cp_optimum(model, terms)
    model.minimize(sum(c * model.get_int_var_from_proto_index(v) for v, c in terms))
    solver = cp_model.CpSolver()
    solver.solve(model)
    model.clear_objective()
    options = [v for v in range(len(model.proto.variables)) if model.proto.variables[v].domain[1] == 1
               and model.proto.variables[v].name.startswith("x")]
    start = {v: int(solver.value(model.get_int_var_from_proto_index(v))) for v in options}
    real = mip._highs

    def no_search(*args):
        highs = real(*args)
        highs.setOptionValue("mip_max_nodes", 0)
        return highs

    monkeypatch.setattr(mip, "_highs", no_search)
    outcome = branch_and_bound(model, terms, start, 30)
    assert outcome.value == optimum
