"""Solve a case: enumerate options, build the rules, hint a greedy plan, then optimise the
priority levels one after another, each fixed at its best value before the next.

Determinism: one worker (the default), a fixed `seed` and no wall-clock cut give the same plan
every run; with more workers the level values are the same but the plan may differ among
equally good ones (see `parameters`).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

from ..context import Context
from ..domain.models import Case
from ..domain.settings import Settings, settings_from
from ..domain.terms import Term
from ..plan import LevelResult, Placement, Plan
from ..rules import LEVELS, active_rules, rule_modes
from ..rules.levels import LEVEL_BY_NUMBER, Level
from .builder import PlanModel
from .greedy import greedy_plan
from .options import enumerate_options
from .parameters import configure
from .parts import solve_parts, split


@dataclass(frozen=True)
class Progress:
    """One report for a progress bar: the level being optimised and where its search stands."""

    level: Level
    level_index: int
    level_count: int
    objective: float
    bound: float
    elapsed: float
    message: str = ""


ProgressFn = Callable[[Progress], None]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, level: Level, index: int, count: int, started: float, progress: ProgressFn | None,
                 stop: threading.Event | None):
        super().__init__()
        self.level, self.index, self.count = level, index, count
        self.started, self.progress, self.stop = started, progress, stop

    def on_solution_callback(self) -> None:
        if self.progress:
            self.progress(Progress(self.level, self.index, self.count, self.objective_value / self.level.scale,
                                   self.best_objective_bound / self.level.scale, time.perf_counter() - self.started))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def build(case: Case, settings: Settings) -> tuple[Context, PlanModel]:
    ctx = Context(case, settings)
    rules = active_rules(settings)
    modes = rule_modes(settings)
    filters = [rule for rule in rules if rule.filters and modes[rule.id] == "hard"]
    model = PlanModel(ctx, enumerate_options(ctx, filters), modes)
    for rule in rules:
        rule.build(model)
    return ctx, model


def placements_of(model: PlanModel, chosen: list[int]) -> list[Placement]:
    result = []
    for i in sorted(chosen, key=lambda i: (model.options[i].teacher, i)):
        option = model.options[i]
        result.append(Placement(model.teacher(option).teacher_id, option.school, option.subject,
                                Term.from_ordinal(option.start), model.ctx.length))
    return result


def option_indices(model: PlanModel, plan: Plan) -> list[int]:
    """The options a plan's placements correspond to (placements the model has no option for are skipped)."""
    position = {t.teacher_id: i for i, t in enumerate(model.ctx.case.teachers)}
    wanted = {(position.get(p.teacher_id), p.school_id, p.subject, p.start.ordinal) for p in plan.placements}
    return [i for i, option in enumerate(model.options) if tuple(option) in wanted]


def solve(case: Case, settings: Settings | None = None, *, progress: ProgressFn | None = None,
          stop: threading.Event | None = None, hint: Plan | None = None) -> Plan:
    """The best plan by priority level. `hint` (e.g. the current plan, for a small change) replaces
    the greedy plan as the solver's starting point."""
    settings = settings if settings is not None else settings_from(case.settings)
    started = time.perf_counter()
    times: dict[str, float] = {}
    ctx, model = build(case, settings)
    times["build"] = time.perf_counter() - started
    stats: dict[str, object] = {"options": len(model.options), "teachers": len(case.teachers)}

    mark = time.perf_counter()
    chosen = greedy_plan(model)
    times["greedy"] = time.perf_counter() - mark
    chosen_set = set(option_indices(model, hint) if hint is not None else chosen)
    for i, var in enumerate(model.x):
        model.model.add_hint(var, i in chosen_set)

    levels = [LEVEL_BY_NUMBER[n] for n in model.levels()]
    results: list[LevelResult] = []
    status_words: list[str] = []
    deadline = started + settings.time_limit_s
    solution: list[int] | None = None
    mark = time.perf_counter()
    parts = split(model)
    times["split"] = time.perf_counter() - mark
    if parts is not None and len(parts) > 1:
        stats["parts"] = len(parts)
        return _solve_split(model, parts, levels, chosen, chosen_set, settings, started, deadline, times, stats,
                            progress, stop)
    for index, level in enumerate(levels):
        if stop is not None and stop.is_set():
            break
        objective = model.objective(level.number)
        model.model.minimize(objective)
        solver = cp_model.CpSolver()
        remaining = max(0.5, deadline - time.perf_counter())
        configure(solver, settings, remaining / (len(levels) - index) if index < len(levels) - 1 else remaining)
        if progress:
            progress(Progress(level, index, len(levels), float("nan"), float("nan"), time.perf_counter() - started,
                              "start"))
        reporter = _Reporter(level, index, len(levels), started, progress, stop)
        watcher = _stop_watcher(solver, stop)
        mark = time.perf_counter()
        status = solver.solve(model.model, reporter)
        watcher.set()
        times[f"level{level.number}"] = time.perf_counter() - mark
        status_words.append(solver.status_name(status))
        if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
            return Plan([], "infeasible", [], _total(times, started), {**stats, "status": status_words})
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break  # out of time without a plan for this level: keep the previous level's plan
        value, bound = solver.objective_value, solver.best_objective_bound
        # Objectives are integers; rounding keeps float noise (244.99999999997) out of reports.
        value, bound = round(value), math.ceil(bound - 1e-6)
        results.append(LevelResult(level.key, level.zh, level.en, value / level.scale, bound / level.scale))
        solution = [i for i, var in enumerate(model.x) if solver.boolean_value(var)]
        # Fix this level before optimising the next; hint the plan found so far.
        model.model.add(objective <= int(round(value)))
        model.model.clear_hints()
        chosen_set = set(solution)
        for i, var in enumerate(model.x):
            model.model.add_hint(var, i in chosen_set)

    if solution is None:
        return Plan(placements_of(model, chosen), "greedy", [], _total(times, started),
                    {**stats, "status": status_words})
    proven = all(r.gap == 0 for r in results) and len(results) == len(levels)
    return Plan(placements_of(model, solution), "optimal" if proven else "feasible", results,
                _total(times, started), {**stats, "status": status_words})


def _solve_split(model: PlanModel, parts: list, levels: list[Level], chosen: list[int], hint: set[int],
                 settings: Settings, started: float, deadline: float, times: dict[str, float],
                 stats: dict[str, object], progress: ProgressFn | None, stop: threading.Event | None) -> Plan:
    """The same lexicographic solve, part by part (see `parts`)."""
    numbers = [level.number for level in levels]

    def report(level_number: int, done: int, count: int, value: int | None, bound: int | None) -> None:
        if progress:
            level = LEVEL_BY_NUMBER[level_number]
            index = numbers.index(level_number)
            elapsed = time.perf_counter() - started
            if value is None:
                progress(Progress(level, index, len(levels), float("nan"), float("nan"), elapsed, "start"))
            else:
                # Partial sums: parts still to come add to both, so the gap shown is the solved parts'.
                progress(Progress(level, index, len(levels), value / level.scale, bound / level.scale, elapsed,
                                  f"{done}/{count}"))

    mark = time.perf_counter()
    outcome = solve_parts(model, parts, numbers, hint, deadline,
                          lambda solver, seconds: configure(solver, settings, seconds), report, stop)
    times["levels"] = time.perf_counter() - mark
    stats = {**stats, "status": outcome.status_words[-20:]}
    if outcome.infeasible:
        return Plan([], "infeasible", [], _total(times, started), stats)
    if outcome.solution is None:
        return Plan(placements_of(model, chosen), "greedy", [], _total(times, started), stats)
    results = [LevelResult(level.key, level.zh, level.en, outcome.levels[level.number][0] / level.scale,
                           outcome.levels[level.number][1] / level.scale)
               for level in levels if level.number in outcome.levels]
    proven = outcome.proven and len(results) == len(levels) and all(r.gap == 0 for r in results)
    return Plan(placements_of(model, outcome.solution), "optimal" if proven else "feasible", results,
                _total(times, started), stats)


def _total(times: dict[str, float], started: float) -> dict[str, float]:
    return {**times, "total": time.perf_counter() - started}


def _stop_watcher(solver: cp_model.CpSolver, stop: threading.Event | None) -> threading.Event:
    """Stop the running search as soon as `stop` is set, even between solutions."""
    done = threading.Event()
    if stop is None:
        return done

    def watch() -> None:
        while not done.is_set():
            if stop.wait(0.1):
                solver.stop_search()
                return

    threading.Thread(target=watch, daemon=True).start()
    return done
