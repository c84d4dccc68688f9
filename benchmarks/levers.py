"""Measure CP-SAT parameter levers on one case, each variant in a fresh process.

    python -m benchmarks.levers [--case datong_city:7] [--time-limit S] [--variant NAME ...]

Each variant solves the planner's own model (`scheduler.model.solve.build`, greedy hint) level by
level exactly as `solve` does (same time split, each level fixed at its value before the next,
the previous level's plan as hint), with only the CP-SAT parameters changed. It prints one line
per variant and level: status, seconds, value, bound, gap, and when the level's gap first
reached 1 %. The planner's parameters (`scheduler.model.parameters.configure`) are "planner".
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from ortools.sat.python import cp_model

from scheduler.domain.settings import settings_from
from scheduler.model.greedy import greedy_plan
from scheduler.model.parameters import configure
from scheduler.model.solve import build
from scheduler.rules.levels import LEVEL_BY_NUMBER
from scheduler.samples import generate_case

from .cases import SEEDS, CaseSpec
from .objectives import gap


def _planner(workers: int, interleave: bool | None = None) -> Callable:
    """`configure` with `workers`; `interleave` overrides its interleave_search when given."""
    def apply(solver: cp_model.CpSolver, settings, limit: float) -> None:
        configure(solver, settings.model_copy(update={"workers": workers}), limit)
        if interleave is not None:
            solver.parameters.interleave_search = interleave
    return apply


def _defaults(workers: int) -> Callable:
    def apply(solver: cp_model.CpSolver, settings, limit: float) -> None:
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = settings.seed
    return apply


#: name → parameters. A "+hint" suffix also hints every variable after a level (the shortfall
#: variables too), not only the placements as `solve` does: CP-SAT then starts from a complete,
#: feasible solution instead of searching for one that completes the hint.
VARIANTS: dict[str, Callable] = {
    "planner": _planner(1),  # `configure` as it is, with the case's one worker
    "planner+hint": _planner(1),
    "planner-interleave+hint": _planner(1, interleave=True),
    "planner-2w+hint": _planner(2),  # the default portfolio plus max_lp and default_lp
    "planner-2w-no-interleave+hint": _planner(2, interleave=False),
    "defaults-2w+hint": _defaults(2),
}


class _Clock(cp_model.CpSolverSolutionCallback):
    """When a level found its first solution and when its gap first reached 1 %."""

    def __init__(self, started: float, scale: int):
        super().__init__()
        self.started, self.scale = started, scale
        self.first: float | None = None
        self.within: float | None = None

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.started
        if self.first is None:
            self.first = now
        if self.within is None and gap(self.objective_value / self.scale,
                                       self.best_objective_bound / self.scale) <= 0.01:
            self.within = now


def run_variant(seed: str, scale: int, time_limit: float, variant: str) -> dict:
    case = generate_case(SEEDS / seed, scale=scale)
    settings = settings_from(case.settings, time_limit_s=str(time_limit))
    started = time.perf_counter()
    _, model = build(case, settings)
    chosen = set(greedy_plan(model))
    for i, var in enumerate(model.x):
        model.model.add_hint(var, i in chosen)
    apply = VARIANTS[variant]
    numbers = model.levels()
    deadline = started + time_limit
    levels = []
    for index, number in enumerate(numbers):
        level = LEVEL_BY_NUMBER[number]
        objective = model.objective(number)
        model.model.minimize(objective)
        solver = cp_model.CpSolver()
        remaining = max(0.5, deadline - time.perf_counter())
        apply(solver, settings, remaining / (len(numbers) - index) if index < len(numbers) - 1 else remaining)
        clock = _Clock(started, level.scale)
        mark = time.perf_counter()
        status = solver.solve(model.model, clock)
        row = {"level": number, "status": solver.status_name(status), "seconds": time.perf_counter() - mark,
               "first_s": clock.first, "end_s": time.perf_counter() - started}
        levels.append(row)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        value, bound = round(solver.objective_value), math.ceil(solver.best_objective_bound - 1e-6)
        row.update(value=value / level.scale, bound=bound / level.scale,
                   gap=gap(value / level.scale, bound / level.scale))
        row["within_1pct_s"] = clock.within if clock.within is not None else (
            row["end_s"] if row["gap"] <= 0.01 else None)
        model.model.add(objective <= value)
        model.model.clear_hints()
        if variant.endswith("+hint"):
            variable = model.model.get_int_var_from_proto_index
            for v in range(len(model.model.Proto().variables)):
                model.model.add_hint(variable(v), solver.value(variable(v)))
        else:
            for var in model.x:
                model.model.add_hint(var, solver.boolean_value(var))
    return {"variant": variant, "levels": levels, "total_s": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.levers", description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="datong_city:7", metavar="SEED[:SCALE]")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--variant", action="append", choices=list(VARIANTS), help="default: all")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    spec = CaseSpec.parse(args.case)
    results = []
    context = multiprocessing.get_context("spawn")
    for variant in args.variant or list(VARIANTS):
        with ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1) as pool:
            result = pool.submit(run_variant, spec.seed, spec.scale, args.time_limit, variant).result()
        results.append(result)
        for row in result["levels"]:
            print(f"{spec.label} {variant:26} L{row['level']} {row['status']:9} {row['seconds']:6.1f} s  "
                  f"value {row.get('value')} bound {row.get('bound')} gap "
                  f"{'—' if row.get('gap') is None else format(row['gap'], '.2%')}  first {row['first_s']}  "
                  f"≤1% at {row.get('within_1pct_s')}", flush=True)
        print(f"{spec.label} {variant:26} total {result['total_s']:.1f} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
