"""Measure the decomposition lever: solve each independent part of the model on its own.

    python -m benchmarks.decompose [--case datong_city:7] [--time-limit S]

The planner's model (`build`) is split into the connected parts of its constraint graph
(`structure.component_labels`). Every level's objective is a sum over variables, so the
lexicographic optimum of the whole is the parts' optima added up: each part is solved level by
level with the planner's CP-SAT parameters (`configure`), each level fixed before the next, and
the level values are summed (plus the constants). Prints the sums, whether every part was
proven, the total time one part after another, and the time two processes would take (parts
handed out longest first). This measures the lever; it does not change the planner.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from ortools.sat.python import cp_model

from scheduler.domain.settings import settings_from
from scheduler.model.parameters import configure
from scheduler.model.solve import build
from scheduler.samples import generate_case

from .cases import SEEDS, CaseSpec
from scheduler.model.linear import LinearProgram, translate
from .objectives import LevelObjective, gap, level_objectives
from .structure import component_labels, row_labels


def _bounded(value: float) -> int | None:
    return None if not np.isfinite(value) else int(value)


def solve_part(lp: LinearProgram, columns: np.ndarray, rows: np.ndarray, objectives: list[LevelObjective],
               settings, time_limit: float) -> dict:
    """One part, level by level; its level values (model units, constants left out) and seconds."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    local = {int(c): model.new_int_var(int(lp.lower[c]), int(lp.upper[c]), "") for c in columns}
    for r in rows:
        span = slice(lp.starts[r], lp.starts[r + 1])
        expr = cp_model.LinearExpr.weighted_sum([local[int(c)] for c in lp.columns[span]],
                                                [int(v) for v in lp.values[span]])
        low, high = _bounded(lp.row_lower[r]), _bounded(lp.row_upper[r])
        if low is not None and low == high:
            model.add(expr == low)
        else:
            if low is not None:
                model.add(expr >= low)
            if high is not None:
                model.add(expr <= high)
    member = np.zeros(lp.num_columns, dtype=bool)
    member[columns] = True
    values, proven = [], True
    deadline = started + time_limit
    for index, objective in enumerate(objectives):
        keep = member[objective.variables]
        expr = cp_model.LinearExpr.weighted_sum([local[int(v)] for v in objective.variables[keep]],
                                                [int(c) for c in objective.coefficients[keep]])
        model.minimize(expr)
        solver = cp_model.CpSolver()
        remaining = max(0.1, deadline - time.perf_counter())
        configure(solver, settings, remaining / (len(objectives) - index))
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return {"values": values, "bounds": [], "proven": False, "solved": False,
                    "seconds": time.perf_counter() - started}
        proven &= status == cp_model.OPTIMAL
        values.append((round(solver.objective_value), math.ceil(solver.best_objective_bound - 1e-6)))
        model.add(expr <= round(solver.objective_value))
    return {"values": [v for v, _ in values], "bounds": [b for _, b in values], "proven": proven, "solved": True,
            "seconds": time.perf_counter() - started}


def two_processes(seconds: list[float]) -> float:
    """Makespan of the parts on two processes, longest first to the least loaded."""
    loads = [0.0, 0.0]
    for s in sorted(seconds, reverse=True):
        heapq.heapreplace(loads, loads[0] + s)
    return max(loads)


def run(seed: str, scale: int, time_limit: float) -> dict:
    case = generate_case(SEEDS / seed, scale=scale)
    settings = settings_from(case.settings)
    started = time.perf_counter()
    _, model = build(case, settings)
    objectives = level_objectives(model)
    lp = translate(model.model)
    labels = component_labels(lp)
    rows_of = row_labels(lp, labels)
    prepare_s = time.perf_counter() - started
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    parts = np.split(order, cuts)
    row_order = np.argsort(rows_of, kind="stable")
    row_groups = {int(rows_of[g[0]]): g for g in np.split(row_order, np.flatnonzero(np.diff(rows_of[row_order])) + 1)
                  if len(g) and rows_of[g[0]] >= 0}
    total_vars = lp.num_columns
    results = []
    for columns in parts:
        rows = row_groups.get(int(labels[columns[0]]), np.array([], dtype=np.int64))
        # Each part gets the time limit in proportion to its size (at least a second).
        share = max(1.0, time_limit * len(columns) / total_vars)
        results.append(solve_part(lp, columns, rows, objectives, settings, share))
    sums = []
    for index, objective in enumerate(objectives):
        value = sum(r["values"][index] for r in results if r["solved"]) + objective.constant
        bound = sum(r["bounds"][index] for r in results if r["solved"]) + objective.constant
        sums.append({"level": objective.number, "value": value / objective.scale, "bound": bound / objective.scale,
                     "gap": gap(value / objective.scale, bound / objective.scale)})
    seconds = [r["seconds"] for r in results]
    return {"parts": len(parts), "largest_part_vars": int(max(len(p) for p in parts)),
            "all_solved": all(r["solved"] for r in results), "all_proven": all(r["proven"] for r in results),
            "build_and_split_s": prepare_s, "sequential_s": sum(seconds), "slowest_part_s": max(seconds),
            "two_processes_s": two_processes(seconds), "levels": sums}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.decompose", description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="datong_city:7", metavar="SEED[:SCALE]")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    spec = CaseSpec.parse(args.case)
    result = run(spec.seed, spec.scale, args.time_limit)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
