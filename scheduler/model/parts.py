"""Split the model into independent parts and optimise each on its own.

Counties that share no school, no teacher and no link share no constraint. Every level's
objective is a sum over variables, so the lexicographic optimum of the whole is each part's
lexicographic optimum put together: splitting is exact, and a dozen small models prove far
faster than one large one (a city case had 187 parts, the largest 1,780 variables).

Works on the CP-SAT proto, so it needs nothing from the rules: any rule that adds linear
constraints is split correctly. Tiny parts are packed into bins so a city does not pay the
solver's start-up cost thousands of times.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .builder import PlanModel, level_terms
from .fallback import FEASIBLE, NO_SOLUTION, NOT_REACHED, OPTIMAL, PartRun

BIN_VARIABLES = 2000


def _find(parent: list[int], v: int) -> int:
    while parent[v] != v:
        parent[v] = parent[parent[v]]
        v = parent[v]
    return v


@dataclass
class Part:
    model: cp_model.CpModel
    #: global variable index → local one
    local: dict[int, int]
    #: level → [(local variable, coefficient)]
    terms: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    #: how many constraints the rules gave it; those the solve adds after them fix levels
    rules_constraints: int = 0

    @property
    def size(self) -> int:
        return len(self.local)

    def expr(self, level: int) -> cp_model.LinearExpr:
        pairs = self.terms.get(level, [])
        return cp_model.LinearExpr.weighted_sum([self.model.get_int_var_from_proto_index(v) for v, _ in pairs],
                                                [c for _, c in pairs])


def split(model: PlanModel) -> list[Part] | None:
    """The independent parts, or None when the model has a constraint this split does not read."""
    proto = model.model.proto
    n = len(proto.variables)
    if n == 0:
        return None
    parent = list(range(n))
    for constraint in proto.constraints:
        if not constraint.has_linear() or len(constraint.enforcement_literal):
            return None
        variables = list(constraint.linear.vars)
        for v in variables[1:]:
            a, b = _find(parent, variables[0]), _find(parent, v)
            if a != b:
                parent[b] = a
    members: dict[int, list[int]] = defaultdict(list)
    for v in range(n):
        members[_find(parent, v)].append(v)
    groups = sorted(members.values(), key=len, reverse=True)
    # Pack small components into bins; large ones stay alone.
    bins: list[list[int]] = []
    for group in groups:
        if len(group) >= BIN_VARIABLES or not bins or len(bins[-1]) + len(group) > BIN_VARIABLES:
            bins.append(list(group))
        else:
            bins[-1].extend(group)
    part_of = {}
    parts = []
    for number, variables in enumerate(bins):
        sub = cp_model.CpModel()
        local = {}
        for v in sorted(variables):
            local[v] = len(local)
            sub.proto.variables.add().domain.extend(list(proto.variables[v].domain))
            part_of[v] = number
        parts.append(Part(sub, local))
    for constraint in proto.constraints:
        variables = list(constraint.linear.vars)
        if not variables:
            continue  # a constant constraint (e.g. 0 == 1 from an impossible pin) goes to the first part
        part = parts[part_of[variables[0]]]
        copy = part.model.proto.constraints.add()
        copy.linear.vars.extend([part.local[v] for v in variables])
        copy.linear.coeffs.extend(list(constraint.linear.coeffs))
        copy.linear.domain.extend(list(constraint.linear.domain))
    for constraint in proto.constraints:
        if not list(constraint.linear.vars):
            copy = parts[0].model.proto.constraints.add()
            copy.linear.domain.extend(list(constraint.linear.domain))
    for level, terms in level_terms(model).items():
        for v, coefficient in terms.items():
            part = parts[part_of[v]]
            part.terms.setdefault(level, []).append((part.local[v], coefficient))
    for part in parts:
        part.rules_constraints = len(part.model.proto.constraints)
    return parts


@dataclass
class PartsOutcome:
    runs: list[PartRun]
    infeasible: bool
    status_words: list[str]
    #: `stop` was set before every level of every part was searched
    stopped: bool = False


def solve_parts(model: PlanModel, parts: list[Part], levels: list[int], hint: set[int], greedy: set[int],
                deadline: float, configure, on_level_progress, stop) -> PartsOutcome:
    """Each level over every part, fixing each part's value before the next level.

    `configure(solver, seconds)` sets the parameters; `on_level_progress(level, done_parts, parts, value,
    bound, placed)` is called when a level starts (value None) and after each part; `stop` (an Event or
    None) ends the search, between parts and inside one. Once the deadline has passed no part is
    searched any more: the parts keep what they have (see `fallback`).
    """
    hints = []
    x_index = {var.index: i for i, var in enumerate(model.x)}
    for part in parts:
        values = {local: int(x_index[v] in hint) for v, local in part.local.items() if v in x_index}
        hints.append(values)
    outcome = PartsOutcome([PartRun() for _ in parts], False, [])
    # teachers placed per part in the plan so far: the start until the part's first plan
    placed = [sum(x_index[v] in greedy for v in part.local if v in x_index) for part in parts]
    solved_once = [False] * len(parts)
    for p, part in enumerate(parts):
        for level in levels:
            if not part.terms.get(level):
                # Nothing to optimise here: 0 in every plan, proven without a search.
                outcome.runs[p].words[level] = OPTIMAL
                outcome.runs[p].values[level] = outcome.runs[p].bounds[level] = 0
    for position, level in enumerate(levels):
        value = bound = model.constants.get(level, 0)
        busy = [p for p in range(len(parts)) if parts[p].terms.get(level) or (position == len(levels) - 1
                                                                              and not solved_once[p])]
        weight = sum(parts[p].size for p in busy) or 1
        on_level_progress(level, 0, len(busy), None, None, sum(placed))  # the level starts
        halted = False
        for done, p in enumerate(busy):
            run = outcome.runs[p]
            if stop is not None and stop.is_set():
                outcome.stopped = halted = True
            elif time.perf_counter() >= deadline:
                halted = True
            if halted:
                break
            if NO_SOLUTION in run.words.values():
                continue  # an earlier level found no plan in time: later ones cannot be fixed on top of it
            part = parts[p]
            objective = part.expr(level)
            part.model.clear_hints()
            for local, v in hints[p].items():
                part.model.add_hint(part.model.get_int_var_from_proto_index(local), v)
            part.model.minimize(objective)
            solver = cp_model.CpSolver()
            remaining = max(0.2, deadline - time.perf_counter())
            share = remaining / (len(levels) - position) * part.size / weight
            weight -= part.size
            configure(solver, max(0.2, share))
            watcher = stop_watcher(solver, stop)
            status = solver.solve(part.model)
            watcher.set()
            outcome.status_words.append(solver.status_name(status))
            if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                outcome.infeasible = True
                return outcome
            run.record_bound(level, solver.best_objective_bound)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                run.words[level] = NO_SOLUTION
                continue
            found = round(solver.objective_value)
            run.words[level] = OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE
            run.values[level] = found
            value += found
            bound += run.bounds.get(level, found)
            part.model.add(objective <= found)
            hints[p] = _values(solver, part)  # the part's plan so far, and the hint for its next level
            run.plan = hints[p]
            placed[p] = sum(hints[p].get(local, 0) for v, local in part.local.items() if v in x_index)
            solved_once[p] = True
            if status != cp_model.OPTIMAL and stop is not None and stop.is_set():
                outcome.stopped = True  # Stop cut this search short
            on_level_progress(level, done + 1, len(busy), value, bound, sum(placed))
        if halted:
            break
    for run in outcome.runs:
        for level in levels:
            run.words.setdefault(level, NOT_REACHED)
    return outcome


def stop_watcher(solver: cp_model.CpSolver, stop) -> threading.Event:
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


def _values(solver: cp_model.CpSolver, part: Part) -> dict[int, int]:
    return {local: solver.value(part.model.get_int_var_from_proto_index(local)) for local in range(len(part.local))}
