"""Solve a case: enumerate options, build the rules, hint a greedy plan, then optimise the
priority levels one after another, each fixed at its best value before the next.

Determinism: one worker (the default), a fixed `seed` and no wall-clock cut give the same plan
every run; with more workers the level values are the same but the plan may differ among
equally good ones (see `parameters`).

Honesty: a search cut by the time limit or by Stop keeps, part by part, the better of CP-SAT's
plan and the greedy start (`fallback`), and the plan says per level and per part what is proven.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

from ..rules.context import Context
from ..domain.models import Case
from ..domain.settings import Settings, settings_from
from ..domain.terms import Term
from ..plan import ENDED_DONE, ENDED_STOPPED, ENDED_TIME, LevelResult, PartResult, Placement, Plan
from ..rules import LEVELS, active_rules, rule_modes
from ..rules.levels import LEVEL_BY_NUMBER, Level
from .builder import PlanModel, level_terms
from .fixed import fixed_values, lexicographic_key
from .greedy import fill, greedy_plan
from .fallback import FEASIBLE, NO_SOLUTION, NOT_REACHED, OPTIMAL, PartRun, Settled, settle
from .options import enumerate_options
from .parameters import configure
from .parts import solve_parts, split, stop_watcher


@dataclass(frozen=True)
class Progress:
    """One report for a progress bar: the level being optimised and where its search stands.

    `objective` and `bound` are NaN when the level starts. Where the model is split they are the
    sums over the parts solved so far at this level. `placed`: teachers placed in the plan found so
    far (the greedy start until CP-SAT has one); `parts_done` / `parts_total`: parts of the model
    finished at this level, None when the model is solved whole."""

    level: Level
    level_index: int
    level_count: int
    objective: float
    bound: float
    elapsed: float
    message: str = ""
    placed: int | None = None
    parts_done: int | None = None
    parts_total: int | None = None

    @property
    def gap(self) -> float | None:
        """Relative distance to the bound as in `LevelResult.gap`; None before a first solution."""
        if math.isnan(self.objective) or math.isnan(self.bound):
            return None
        return LevelResult("", "", "", self.objective, self.bound).gap


ProgressFn = Callable[[Progress], None]

#: seconds between two counts of the placed teachers in the solution callback (a count reads every
#: option variable, which on a province-size model would slow the single search worker)
PLACED_EVERY_S = 0.5


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, level: Level, index: int, count: int, started: float, progress: ProgressFn | None,
                 stop: threading.Event | None, xs: list, placed: int):
        super().__init__()
        self.level, self.index, self.count = level, index, count
        self.started, self.progress, self.stop = started, progress, stop
        self.xs, self.placed, self.counted = xs, placed, -math.inf

    def on_solution_callback(self) -> None:
        if self.progress:
            now = time.perf_counter()
            if now - self.counted >= PLACED_EVERY_S:
                self.placed = sum(map(self.boolean_value, self.xs))
                self.counted = now
            self.progress(Progress(self.level, self.index, self.count, self.objective_value / self.level.scale,
                                   self.best_objective_bound / self.level.scale, now - self.started,
                                   placed=self.placed))
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
    the greedy plan as the solver's starting point; the greedy plan stays the fallback."""
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
    numbers = [level.number for level in levels]
    status_words: list[str] = []
    deadline = started + settings.time_limit_s
    mark = time.perf_counter()
    parts = split(model)
    times["split"] = time.perf_counter() - mark
    if parts is not None and len(parts) > 1:
        stats["parts"] = len(parts)
        return _solve_split(model, parts, levels, chosen, chosen_set, settings, started, deadline, times, stats,
                            progress, stop)

    rules_constraints = len(model.model.proto.constraints)
    run = PartRun()
    stopped = False
    placed = len(chosen)
    for index, level in enumerate(levels):
        if stop is not None and stop.is_set():
            stopped = True
            break
        objective = model.objective(level.number)
        constant = model.constants.get(level.number, 0)
        model.model.minimize(objective)
        solver = cp_model.CpSolver()
        remaining = max(0.5, deadline - time.perf_counter())
        configure(solver, settings, remaining / (len(levels) - index) if index < len(levels) - 1 else remaining)
        if progress:
            progress(Progress(level, index, len(levels), float("nan"), float("nan"), time.perf_counter() - started,
                              "start", placed=placed))
        reporter = _Reporter(level, index, len(levels), started, progress, stop, model.x, placed)
        watcher = stop_watcher(solver, stop)
        mark = time.perf_counter()
        status = solver.solve(model.model, reporter)
        watcher.set()
        times[f"level{level.number}"] = time.perf_counter() - mark
        status_words.append(solver.status_name(status))
        if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
            return Plan([], "infeasible", [], _total(times, started), {**stats, "status": status_words},
                        ended=ENDED_DONE)
        # Objectives are integers; rounding keeps float noise (244.99999999997) out of reports.
        run.record_bound(level.number, solver.best_objective_bound - constant)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            run.words[level.number] = NO_SOLUTION
            stopped = stop is not None and stop.is_set()
            break  # no plan for this level: later levels cannot be fixed on top of it
        value = round(solver.objective_value)
        run.words[level.number] = OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE
        run.values[level.number] = value - constant
        solution = [i for i, var in enumerate(model.x) if solver.boolean_value(var)]
        run.plan = {model.x[i].index: 1 for i in solution}
        placed = len(solution)
        if status != cp_model.OPTIMAL and stop is not None and stop.is_set():
            stopped = True  # Stop cut this level short: the next ones are not searched
            break
        # Fix this level before optimising the next; hint the plan found so far.
        model.model.add(objective <= int(round(value)))
        model.model.clear_hints()
        chosen_set = set(solution)
        for i, var in enumerate(model.x):
            model.model.add_hint(var, i in chosen_set)
    for number in numbers:
        run.words.setdefault(number, NOT_REACHED)

    terms = {} if run.proven(numbers) else {level: list(t.items()) for level, t in level_terms(model).items()}
    area = Area(model.model.proto, rules_constraints, terms,
                {var.index: i for i, var in enumerate(model.x)})
    return _finish(model, levels, [area], [run], set(chosen), stopped, times, started,
                   {**stats, "status": status_words})


@dataclass
class Area:
    """One part as `fallback` sees it: its CP-SAT model, how many constraints are the rules', its level
    terms, and which of its variables are which options (the whole model when it is not split)."""

    proto: object
    rules_constraints: int
    terms: dict
    option_of: dict[int, int]  # proto variable → option index


def _finish(model: PlanModel, levels: list[Level], areas: list[Area], runs: list[PartRun], greedy: set[int],
            stopped: bool, times: dict[str, float], started: float, stats: dict[str, object]) -> Plan:
    """Keep the better of CP-SAT's and the greedy plan in each part, complete the parts a cut search
    left unfinished, and sum the levels over the parts."""
    numbers = [level.number for level in levels]
    kept: list[Settled] = []
    for area, run in zip(areas, runs):
        start = {v: 1 for v, i in area.option_of.items() if i in greedy}
        kept.append(settle(area.proto, area.rules_constraints, area.terms, numbers, run, list(area.option_of), start))
    unfinished = [p for p, k in enumerate(kept) if k.status == FEASIBLE]
    if unfinished:
        _complete(model, numbers, areas, kept, unfinished)

    solution: list[int] = []
    results: list[PartResult] = []
    for p, (area, run, settled) in enumerate(zip(areas, runs, kept)):
        chosen = [area.option_of[v] for v, on in settled.plan.items() if on]
        solution += chosen
        teachers = len({model.options[i].teacher for i in area.option_of.values()})
        results.append(PartResult(p, teachers, len(area.option_of), settled.status,
                                  {LEVEL_BY_NUMBER[n].key: run.words[n] for n in numbers}))
    return _plan(model, levels, kept, results, sorted(solution), stopped, _total(times, started), stats)


def _complete(model: PlanModel, numbers: list[int], areas: list[Area], kept: list[Settled], unfinished: list[int]) -> None:
    """Add to each unfinished part's plan the options that still fit and fill need (`greedy.fill`),
    kept only where the part's levels come out no worse (checked, not assumed)."""
    current = [area.option_of[v] for area, settled in zip(areas, kept) for v, on in settled.plan.items() if on]
    candidates = {i for p in unfinished for i in areas[p].option_of.values()}
    added = set(fill(model, current, candidates)) - set(current)
    for p in unfinished:
        area, settled = areas[p], kept[p]
        plan = {v: int(on or area.option_of[v] in added) for v, on in settled.plan.items()}
        if plan == settled.plan:
            continue
        values = fixed_values(area.proto, plan, area.terms, numbers, area.rules_constraints)
        if values is not None and lexicographic_key(values, numbers) <= lexicographic_key(settled.values, numbers):
            kept[p] = Settled(settled.status, plan, values, settled.bounds)


def _plan(model: PlanModel, levels: list[Level], kept: list[Settled], parts: list[PartResult], solution: list[int],
          stopped: bool, times: dict[str, float], stats: dict[str, object]) -> Plan:
    """The plan put together from each part's kept plan, with the levels summed over the parts."""
    if any(k.status == "unknown" for k in kept):
        status = "unknown"
    elif all(k.status == OPTIMAL for k in kept):
        status = "optimal"
    elif all(k.status == "greedy" for k in kept):
        status = "greedy"
    else:
        status = "feasible"
    results = []
    if status != "unknown":
        for level in levels:
            constant = model.constants.get(level.number, 0)
            value = constant + sum(k.values[level.number] for k in kept)
            bounds = [k.bounds.get(level.number) for k in kept]
            bound = None if any(b is None for b in bounds) else constant + sum(bounds)
            results.append(LevelResult(level.key, level.zh, level.en, value / level.scale,
                                       None if bound is None else bound / level.scale))
    ended = ENDED_STOPPED if stopped else ENDED_DONE if status == "optimal" else ENDED_TIME
    return Plan(placements_of(model, solution), status, results, times, stats, parts=parts, ended=ended)


def _solve_split(model: PlanModel, parts: list, levels: list[Level], chosen: list[int], hint: set[int],
                 settings: Settings, started: float, deadline: float, times: dict[str, float],
                 stats: dict[str, object], progress: ProgressFn | None, stop: threading.Event | None) -> Plan:
    """The same lexicographic solve, part by part (see `parts`)."""
    numbers = [level.number for level in levels]

    def report(level_number: int, done: int, count: int, value: int | None, bound: int | None, placed: int) -> None:
        if progress:
            level = LEVEL_BY_NUMBER[level_number]
            index = numbers.index(level_number)
            elapsed = time.perf_counter() - started
            if value is None:
                progress(Progress(level, index, len(levels), float("nan"), float("nan"), elapsed, "start",
                                  placed=placed, parts_done=0, parts_total=count))
            else:
                # Partial sums: parts still to come add to both, so the gap shown is the solved parts'.
                progress(Progress(level, index, len(levels), value / level.scale, bound / level.scale, elapsed,
                                  f"{done}/{count}", placed=placed, parts_done=done, parts_total=count))

    mark = time.perf_counter()
    greedy_set = set(chosen)
    outcome = solve_parts(model, parts, numbers, hint, greedy_set, deadline,
                          lambda solver, seconds: configure(solver, settings, seconds), report, stop)
    times["levels"] = time.perf_counter() - mark
    stats = {**stats, "status": outcome.status_words[-20:]}
    if outcome.infeasible:
        return Plan([], "infeasible", [], _total(times, started), stats, ended=ENDED_DONE)
    x_index = {var.index: i for i, var in enumerate(model.x)}
    areas = [Area(part.model.proto, part.rules_constraints, part.terms,
                  {local: x_index[v] for v, local in part.local.items() if v in x_index}) for part in parts]
    return _finish(model, levels, areas, outcome.runs, set(chosen), outcome.stopped, times, started, stats)


def _total(times: dict[str, float], started: float) -> dict[str, float]:
    return {**times, "total": time.perf_counter() - started}
