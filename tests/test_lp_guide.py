"""The LP guide of large parts (scheduler/model/lp_guide.py) keeps the lexicographic optimum exact:
its bound never exceeds a plan's value, what its reduced costs hold is obeyed by the optimum, and a
solve with the guide proves the same level values as one without it."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from scheduler.audit import audit
from scheduler.domain import settings_from
from scheduler.model import solve
from scheduler.model.lp_guide import LpGuide
from scheduler.model.parameters import configure
from scheduler.workbook import read_paths

solve_module = importlib.import_module("scheduler.model.solve")
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _case_in(name: str, pairing: str):
    case = read_paths([SAMPLES / f"{name}.xlsx"]).case
    return case, settings_from(case.settings, pairing_mode=pairing)


@pytest.mark.parametrize("name,pairing", [("lueyang_county", "prefer"), ("lueyang_county", "any")])
def test_a_solve_with_the_guide_proves_the_levels_a_solve_without_it_proves(name, pairing, monkeypatch):
    case, settings = _case_in(name, pairing)
    monkeypatch.setattr(solve_module, "LP_GUIDE_VARIABLES", 10**9)
    plain = solve(case, settings)
    used = []
    monkeypatch.setattr(solve_module, "LP_GUIDE_VARIABLES", 1)  # every part gets the guide
    real_relax = LpGuide.relax
    monkeypatch.setattr(LpGuide, "relax", lambda self, *a, **k: used.append(real_relax(self, *a, **k)) or used[-1])
    guided = solve(case, settings)
    assert any(relaxation is not None for relaxation in used), "the guide's LP was never solved"
    assert plain.status == guided.status == "optimal"
    assert [(level.key, level.value) for level in guided.levels] == [(level.key, level.value) for level in plain.levels]
    assert audit(case, settings, guided).ok


def test_the_bound_and_what_it_holds_never_cut_off_the_optimum():
    """Level by level on the whole model: ⌈L⌉ ≤ the proven optimum, and the optimum keeps every
    variable and row the reduced costs hold for plans as good as it."""
    case, settings = _case_in("lueyang_county", "prefer")
    _, model = solve_module.build(case, settings)
    part = solve_module.whole(model)
    guide = LpGuide(part.model)
    checked = 0
    for number in model.levels():
        terms = part.terms.get(number, [])
        relaxation = guide.relax(terms, 30)
        assert relaxation is not None
        part.model.minimize(part.expr(number))
        solver = cp_model.CpSolver()
        configure(solver, settings, 60)
        assert solver.solve(part.model) == cp_model.OPTIMAL
        optimum = round(solver.objective_value)
        assert relaxation.bound <= optimum
        value = {v: solver.value(part.model.get_int_var_from_proto_index(v)) for v in range(part.size)}
        for v, least, most in guide.held(relaxation, optimum):
            assert least <= value[v] <= most, f"level {number}: variable {v} held in [{least}, {most}] is {value[v]}"
            checked += 1
        for variables, coefficients, least, most in guide.tight_rows(relaxation, optimum):
            activity = sum(int(c) * value[int(v)] for v, c in zip(variables, coefficients))
            assert least <= activity <= most
            checked += 1
        part.model.add(part.expr(number) <= optimum)
        guide.fix_level(terms, optimum, relaxation)
    assert checked > 100, "the reduced costs held almost nothing: the check would not notice a wrong sign"


def test_a_level_counted_in_tens_is_bounded_by_the_next_ten_above_its_lp():
    """Every coefficient a multiple of 10 (the links level counts 10 per teacher): every plan's value
    is a multiple of 10, so an LP value of 15 bounds the level by 20, here the optimum itself."""
    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{k}") for k in range(3)]
    model.add(2 * xs[0] + 2 * xs[1] + 2 * xs[2] >= 3)
    relaxation = LpGuide(model).relax([(x.index, 10) for x in xs], 30)
    assert relaxation.lower == pytest.approx(15)
    assert relaxation.bound == 20
    mixed = LpGuide(model).relax([(xs[0].index, 10), (xs[1].index, 15), (xs[2].index, 15)], 30)
    assert mixed.lower == pytest.approx(17.5) and mixed.bound == 20  # steps of 5; the optimum is 25


def test_a_guided_solve_gives_the_same_plan_every_run(monkeypatch):
    """One thread in HiGHS and in CP-SAT, a fixed seed: the default solve stays deterministic."""
    case, settings = _case_in("lueyang_county", "prefer")
    monkeypatch.setattr(solve_module, "LP_GUIDE_VARIABLES", 1)
    first, second = solve(case, settings), solve(case, settings)
    assert first.status == "optimal"
    assert first.placements == second.placements


def test_the_guide_writes_nothing_to_the_planners_terminal():
    """HiGHS prints a banner the first time a process makes one; `python -m scheduler solve` prints
    progress lines, and the banner used to land between them."""
    import subprocess
    import sys

    script = ("from scheduler.model.lp_guide import silent_highs\n"
              "h = silent_highs(); h.addVar(0, 1); h.run()\n"
              "h = silent_highs(); h.run()\n"
              "print('after')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "after\n"


@pytest.mark.parametrize("pairing", ["prefer", "any"])
def test_the_lp_of_generated_columns_bounds_as_the_whole_lp_does(pairing):
    """Column generation (the options left out until their reduced cost is negative) solves the
    same LP as the whole part does, level after level, with far fewer columns in HiGHS."""
    case, settings = _case_in("lueyang_county", pairing)
    _, model = solve_module.build(case, settings)
    part = solve_module.whole(model)
    options = [var.index for var in model.x]
    plan = [model.x[i].index for i in solve_module.greedy_plan(model)]
    whole_lp, generated = LpGuide(part.model), LpGuide(part.model, options)
    for number in model.levels():
        terms = part.terms.get(number, [])
        full, narrow = whole_lp.relax(terms, 30), generated.relax(terms, 30, plan)
        assert full is not None and narrow is not None
        assert narrow.lower == pytest.approx(full.lower, abs=1e-6), f"level {number}"
        value = full.bound  # any value the plan may be held at; the same for both
        whole_lp.fix_level(terms, value, full)
        generated.fix_level(terms, value, narrow)
    generated_options = int(np.isin(generated.in_lp, options).sum())
    assert generated_options < 0.75 * len(options), f"{generated_options} of {len(options)} options went into the LP"


def test_the_lp_of_a_later_level_gets_its_own_time_not_what_is_left_of_the_first():
    """HiGHS counts its time limit from the instance's first run: a guide whose earlier levels took
    longer than a later level's limit stopped that level at once, with no bound (Datong ×7 in 优先,
    level 4 after 35 s of LP at levels 1–3)."""
    case, settings = _case_in("lueyang_county", "prefer")
    _, model = solve_module.build(case, settings)
    part = solve_module.whole(model)
    guide = LpGuide(part.model)
    numbers = model.levels()
    first = guide.relax(part.terms.get(numbers[0], []), 30)
    assert first is not None
    guide.fix_level(part.terms.get(numbers[0], []), first.bound, first)
    # HiGHS's clock past a second, as after long earlier levels (each cold re-solve adds to it)
    for _ in range(2000):
        if guide.highs.getRunTime() > 1.0:
            break
        guide.highs.clearSolver()
        guide.highs.run()
    assert guide.highs.getRunTime() > 1.0
    # a limit shorter than the clock, but plenty for this small level alone
    assert guide.relax(part.terms.get(numbers[1], []), 0.5) is not None


def test_a_guide_let_go_between_levels_gives_the_bounds_of_one_kept():
    """A small part's guide lets go of HiGHS after each level (`rest`) and makes it again from the LP
    it keeps: the same rows, columns and bounds, so the same LP bound at every later level."""
    case, settings = _case_in("lueyang_county", "prefer")
    _, model = solve_module.build(case, settings)
    kept_part, rested_part = solve_module.whole(model), solve_module.whole(model)
    kept, rested = LpGuide(kept_part.model), LpGuide(rested_part.model)
    bounds = []
    for number in model.levels():
        terms = kept_part.terms.get(number, [])
        a, b = kept.relax(terms, 30), rested.relax(terms, 30)
        assert a is not None and b is not None
        bounds.append((a.lower, b.lower))
        value = a.bound + 7  # a level value above the bound: the prices hold something
        kept.fix_level(terms, value, a)
        rested.fix_level(terms, value, b)
        rested.rest()
        assert rested.highs is None
    assert len(bounds) >= 3 and len({round(a, 6) for a, _ in bounds}) >= 2
    assert all(abs(a - b) <= 1e-6 * (1 + abs(a)) for a, b in bounds), bounds


def test_prices_that_bound_less_than_the_cheapest_columns_give_way_to_them():
    """A count of shortfalls is never below 0, whatever prices a round cut short by the time left:
    the bound is the better of the two, while the reduced costs still measure from L(y) itself."""
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(4)]
    missing = model.new_int_var(0, 3, "")
    model.add(missing + sum(x) >= 3)
    model.add(sum(x) <= 2)
    guide = LpGuide(model)
    terms = [(missing.index, 10)]
    cost = guide._cost(terms)
    prices = np.array([0.0, -50.0])  # poor prices: L(y) far below 0
    priced = guide._priced(cost, prices, np.zeros(guide.columns))
    assert priced.lower < -50 and priced.bound == 0
    good = guide.relax(terms, 5)
    assert good is not None and good.bound == 10  # one missing at least: 10 × 1
