"""The benchmark harness (benchmarks/): its translation of the CP-SAT model to a MIP, its
scoring of the baselines, its timeline, and one run of the harness at county scale.

highspy comes with the test extra (and the bench extra). The model tests use the Lüeyang seed
at scale 1 (about 1,450 teachers), where HiGHS proves every level in well under a second, so
each figure the harness reports can be checked against another.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from benchmarks.build_profile import profile_build
from benchmarks.decompose import run as run_decomposed
from benchmarks.greedy_score import score_choice
from benchmarks.highs_baseline import lp_bounds, solve_mip
from scheduler.model.linear import translate
from benchmarks.objectives import level_objectives
from benchmarks.report import markdown
from benchmarks.timeline import Timeline
from scheduler.domain import settings_from
from scheduler.model.greedy import greedy_plan
from scheduler.model.solve import Progress, build
from scheduler.plan import LevelResult, Plan
from scheduler.rules.levels import LEVEL_BY_NUMBER
from scheduler.samples import generate_case

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@cache
def tiny():
    case = generate_case(SEEDS / "lueyang_county.toml", scale=1)
    settings = settings_from(case.settings, time_limit_s="5")
    return case, settings


@cache
def highs_plan():
    """The tiny case's model, its objectives, its MIP and HiGHS's lexicographic solution."""
    case, settings = tiny()
    _, model = build(case, settings)
    objectives = level_objectives(model)
    lp = translate(model.model)
    runs, solution = solve_mip(lp, objectives, time_limit=5)
    return model, objectives, lp, runs, solution


def test_the_profiled_build_is_the_planners_model():
    case, settings = tiny()
    _, model = build(case, settings)
    profiled, times = profile_build(case, settings)
    assert len(profiled.options) == len(model.options)
    assert len(profiled.model.Proto().variables) == len(model.model.Proto().variables)
    assert len(profiled.model.Proto().constraints) == len(model.model.Proto().constraints)
    assert {"options", "variables", "rule:quota", "rule:need"} <= set(times)


def test_level_objectives_are_the_models_objectives():
    """Each level's arrays say what `PlanModel.objective(level)` says once CP-SAT has read it."""
    case, settings = tiny()
    _, model = build(case, settings)
    objectives = level_objectives(model)
    assert [o.number for o in objectives] == model.levels()
    for objective in objectives:
        model.model.minimize(model.objective(objective.number))
        proto = model.model.Proto().objective
        expected: dict[int, int] = {}
        for var, coefficient in zip(proto.vars, proto.coeffs):
            expected[var] = expected.get(var, 0) + coefficient
        got = dict(zip(objective.variables.tolist(), objective.coefficients.tolist()))
        assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}
        assert objective.constant == proto.offset


def test_the_mip_has_the_models_variables_and_rows():
    model, _, lp, _, _ = highs_plan()
    proto = model.model.Proto()
    assert lp.num_columns == len(proto.variables)
    assert lp.num_rows == len(proto.constraints)
    assert set(np.unique(lp.lower[[x.index for x in model.x]])) == {0.0}


def test_highs_solves_every_level_and_its_plan_is_feasible():
    model, objectives, lp, runs, solution = highs_plan()
    assert [run.number for run in runs] == [o.number for o in objectives]
    assert all(run.status == "Optimal" and run.gap == 0 for run in runs), runs
    assert lp.violation(solution) <= 1e-6


def test_scoring_highs_plan_in_cp_sat_gives_highs_values():
    """The two halves check each other: the greedy evaluator (CP-SAT with the placements fixed)
    scores HiGHS's placements at exactly the values HiGHS reported."""
    model, objectives, _, runs, solution = highs_plan()
    chosen = [i for i, var in enumerate(model.x) if solution[var.index] > 0.5]
    scored, feasible = score_choice(model, chosen, objectives)
    assert feasible
    assert [run.value for run in scored] == [run.value for run in runs]
    values = np.round(solution).astype(np.int64)
    assert [o.value(values) / o.scale for o in objectives] == [run.value for run in runs]


def test_greedy_is_feasible_and_no_better_than_the_optimum_at_level_1():
    model, objectives, _, runs, _ = highs_plan()
    scored, feasible = score_choice(model, greedy_plan(model), objectives)
    assert feasible
    assert all(run.value is not None for run in scored)
    assert scored[0].value >= runs[0].value


def test_the_lp_relaxation_is_a_floor():
    _, objectives, lp, runs, _ = highs_plan()
    floor = lp_bounds(lp, objectives, runs[0].value, time_limit=5)
    assert [run.number for run in floor] == [1, 2]
    for bound, optimum in zip(floor, runs):
        assert bound.bound is not None and bound.bound <= optimum.value + 1e-6


def test_solving_the_independent_parts_apart_gives_the_same_optimum():
    """The decomposition lever is exact: the parts' optima add up to the whole model's."""
    _, _, _, runs, _ = highs_plan()
    result = run_decomposed("lueyang_county.toml", 1, time_limit=10)
    assert result["parts"] > 1 and result["all_proven"]
    assert [level["value"] for level in result["levels"]] == [run.value for run in runs]


def _event(number: int, objective: float, bound: float, elapsed: float, message: str = "") -> Progress:
    return Progress(LEVEL_BY_NUMBER[number], number - 1, 2, objective, bound, elapsed, message)


def test_the_timeline_reads_first_plan_and_one_percent_times():
    timeline = Timeline()
    for event in (_event(1, math.nan, math.nan, 0.5, "start"), _event(1, 50, 10, 0.8), _event(1, 10.05, 10, 1.5),
                  _event(2, math.nan, math.nan, 2.0, "start"), _event(2, 300, 200, 2.5)):
        timeline(event)
    plan = Plan([], "feasible", [LevelResult("quota", "", "", 10, 10), LevelResult("need", "", "", 250, 240)],
                {"level1": 1.4, "level2": 3.0, "total": 5.0}, {"status": ["OPTIMAL", "FEASIBLE"]})
    timeline.finish(plan)
    first, second = timeline.levels
    assert timeline.first_plan_s == 0.8
    assert first.within_target_s == 1.5 and first.end_s == pytest.approx(1.9)
    assert second.within_target_s is None and second.status == "FEASIBLE" and second.gap == pytest.approx(0.04)
    assert timeline.within_target_s(2) is None  # level 2 ended 4 % from its bound


def test_the_timeline_closes_a_level_with_no_bound():
    """A city in 优先 cut by its time limit ends levels with no bound at all: the run still gets its row."""
    timeline = Timeline()
    timeline(_event(1, math.nan, math.nan, 0.5, "start"))
    plan = Plan([], "greedy", [LevelResult("quota", "", "", 10, None)], {"level1": 2.0, "total": 3.0},
                {"status": ["UNKNOWN"]})
    timeline.finish(plan)
    (level,) = timeline.levels
    assert level.value == 10 and level.bound is None and level.within_target_s is None
    assert level.status == "UNKNOWN" and level.end_s == pytest.approx(2.5)


def test_the_report_renders_a_run():
    run = {"teachers": 10, "schools": 2, "options": 5, "variables": 6, "constraints": 3, "status": "optimal",
           "times": {"read_validate": 0.1, "build": 0.1, "greedy": 0.0, "first_plan": 0.2, "within_1pct": 0.3,
                     "solve": 0.4, "export": 0.1, "end_to_end": 0.7},
           "levels": [{"number": 1, "key": "quota", "value": 1.0, "bound": 1.0, "gap": 0.0, "start_s": 0.1,
                       "end_s": 0.3, "within_target_s": 0.3, "status": "OPTIMAL"}],
           "level_count": 1, "peak_rss_mb": 100.0, "load_before": 0.5, "build_profile": {"options": 0.01}}
    entry = {"label": "tiny×1", "group": "county", "prepare": {"write_s": 0.1}, "runs": [run]}
    meta = {"when": "now", "command": "python -m benchmarks.run", "machine": "test", "time_limit": 5, "repeat": 1}
    text = markdown([entry], meta)
    assert "| tiny×1 |" in text
    assert "county tiny×1: proven optimal in 1/1 runs, file → sheets 0.70 s (target < 5 s): met" in text


def test_the_harness_runs_end_to_end(tmp_path, capsys):
    """The whole harness, once, on one county case with every baseline (the county scale itself,
    two larger cases, is `python -m benchmarks.run`; here one case keeps the default run short)."""
    from benchmarks.run import main

    assert main(["--case", "lueyang_county:1", "--time-limit", "5", "--out", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert [case["label"] for case in result["cases"]] == ["lueyang×1"]
    for case in result["cases"]:
        run = case["runs"][0]
        assert run["teachers"] > 1000 and run["variables"] > run["options"] > 0
        assert run["status"] in ("optimal", "feasible") and run["times"]["first_plan"] is not None
        assert run["peak_rss_mb"] > 0
        assert [level["value"] for level in run["baselines"]["highs"]["levels"]]
        assert run["baselines"]["greedy"]["feasible"]
    assert "### Targets" in capsys.readouterr().out
    assert (tmp_path / "latest.md").is_file()


def test_the_timeline_says_how_each_level_ended_over_the_parts():
    """Not CP-SAT's last status word (the start plan's scoring says OPTIMAL): every part's word."""
    from scheduler.plan import PartResult

    timeline = Timeline()
    timeline(_event(1, math.nan, math.nan, 0.5, "start"))
    timeline(_event(2, math.nan, math.nan, 1.0, "start"))
    parts = [PartResult(0, 10, 40, "feasible", {"quota": "optimal", "need": "feasible"}),
             PartResult(1, 5, 20, "optimal", {"quota": "optimal", "need": "optimal"})]
    plan = Plan([], "feasible", [LevelResult("quota", "", "", 10, 10), LevelResult("need", "", "", 250, 240)],
                {"level1": 0.4, "level2": 3.0, "total": 4.0}, {"status": ["OPTIMAL", "OPTIMAL"]}, parts)
    timeline.finish(plan)
    assert [level.status for level in timeline.levels] == ["OPTIMAL", "feasible ×1, optimal ×1"]
