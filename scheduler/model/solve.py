"""Solve a case: enumerate options, build the rules, hint a greedy plan, then optimise the
priority levels one after another, each fixed at its best value before the next.

One loop (`_Search`) for every model: the model split into independent parts (`parts`), or the
whole model as its one part, goes through the same levels, time shares, hints, Stop and progress.

Determinism: one worker (the default), a fixed `seed` and no wall-clock cut give the same plan
every run; with more workers the level values are the same but the plan may differ among
equally good ones (see `parameters`). Small parts are searched a core each at the same time:
each part's search depends only on its own model and hint, so this changes no plan.

Honesty: a search cut by the time limit or by Stop keeps, part by part, the better of CP-SAT's
plan and the greedy start (`fallback`), and the plan says per level and per part what is proven.
"""

from __future__ import annotations

import itertools
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterator

from ortools.sat.python import cp_model

from ..rules.context import Context
from ..domain.models import Case
from ..domain.settings import Settings
from ..domain.terms import Term
from ..plan import ENDED_DONE, ENDED_STOPPED, ENDED_TIME, LevelResult, PartResult, Placement, Plan
from ..rules import active_rules, rule_modes
from ..rules.levels import LEVEL_BY_NUMBER, Level
from ..runtime import collection_paused
from .builder import PlanModel
from .fixed import Scorer, lexicographic_key
from .greedy import fill, greedy_plan
from .linear import UnsupportedModel
from .mip import branch_and_bound
from .lp_guide import LP_GUIDE_VARIABLES, LpGuide, Relaxation, hold, hold_rows
from .narrow import Narrowed, Rings, narrowed
from .fallback import FEASIBLE, NO_SOLUTION, NOT_REACHED, OPTIMAL, PartRun, Settled, settle
from .options import enumerate_options
from .parameters import configure
from .parts import Part, split, whole
from .rows import Rows


@dataclass(frozen=True)
class Progress:
    """One report for a progress bar: the level being optimised and where its search stands.

    `objective` and `bound` are NaN when the level starts. Where the model is split they are the
    sums over the parts solved so far at this level. `placed`: teachers placed in the plan found so
    far (the greedy start until CP-SAT has one); `parts_done` / `parts_total`: parts of the model
    finished at this level, None when the model is solved whole. `need_total`: on the need step, its
    value with no need filled (all the weighted need of the horizon), so that a page can say how much
    of it the plan fills; None on the other steps, and where `objective` covers only some parts."""

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
    need_total: float | None = None

    @property
    def filled(self) -> float | None:
        """Share of the weighted need the plan fills, on the need step once it has a plan; else None."""
        if not self.need_total or math.isnan(self.objective):
            return None
        return min(1.0, max(0.0, 1 - self.objective / self.need_total))

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
    """Progress per solution (`offset`: the level's constant and the parts done before, which the
    searched objective leaves out; `elsewhere`: teachers placed by the other parts), and the stop at
    `target`, the LP bound: a plan there is proven optimal, and it is the bound reported where it is
    higher than the search's own; in a `narrowed` copy the search's bound bounds only the copy."""

    def __init__(self, level: Level, index: int, count: int, started: float, progress: ProgressFn | None,
                 stop: threading.Event | None, xs: list, placed: int, offset: int, target: float = -math.inf,
                 narrowed: bool = False, elsewhere: int = 0, need_total: float | None = None):
        super().__init__()
        self.need_total = need_total
        self.level, self.index, self.count = level, index, count
        self.started, self.progress, self.stop = started, progress, stop
        self.xs, self.placed, self.counted, self.offset = xs, placed, -math.inf, offset
        self.target, self.narrowed, self.elsewhere = target, narrowed, elsewhere

    def on_solution_callback(self) -> None:
        if self.objective_value <= self.target:
            self.stop_search()
        if self.progress:
            now = time.perf_counter()
            # A narrowed copy's plans are trials around the LP solution, not the plan so far: the
            # count a planner sees stays the plan's the search started from.
            if not self.narrowed and now - self.counted >= PLACED_EVERY_S:
                self.placed = self.elsewhere + sum(map(self.boolean_value, self.xs))
                self.counted = now
            scale = self.level.scale
            bound = self.target if self.narrowed else max(self.best_objective_bound, self.target)
            self.progress(Progress(self.level, self.index, self.count, (self.objective_value + self.offset) / scale,
                                   (bound + self.offset) / scale, now - self.started, placed=self.placed,
                                   need_total=self.need_total))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def build(case: Case, settings: Settings, published: Plan | None = None) -> tuple[Context, PlanModel]:
    ctx = Context(case, settings, published)
    rules = active_rules(settings)
    modes = rule_modes(settings)
    filters = [rule for rule in rules if rule.filters and modes[rule.id] == "hard"]
    model = PlanModel(ctx, enumerate_options(ctx, filters), modes)
    for rule in rules:
        rule.build(model)
    model.built()
    return ctx, model


def placements_of(model: PlanModel, chosen: list[int]) -> list[Placement]:
    result = []
    for i in sorted(chosen, key=lambda i: (model.options[i].teacher, i)):
        option = model.options[i]
        result.append(Placement(model.teacher(option).teacher_id, option.school, option.subject,
                                Term.from_ordinal(option.start), option.terms))
    return result


def option_indices(model: PlanModel, plan: Plan) -> list[int]:
    """The options a plan's placements correspond to (placements the model has no option for are skipped)."""
    position = {t.teacher_id: i for i, t in enumerate(model.ctx.case.teachers)}
    wanted = {(position.get(p.teacher_id), p.school_id, p.subject, p.start.ordinal, p.terms) for p in plan.placements}
    return [i for i, option in enumerate(model.options) if tuple(option) in wanted]


def solve(case: Case, settings: Settings, *, progress: ProgressFn | None = None,
          stop: threading.Event | None = None, hint: Plan | None = None, published: Plan | None = None) -> Plan:
    """The best plan by priority level, under `settings` (parsed once at the caller's edge). `hint`
    (e.g. the current plan, for a small change) replaces the greedy plan as the solver's starting
    point; the greedy plan stays the fallback. `published`: re-plan this published plan, keeping
    its placements where the rules still allow them (level `moves`, rules/keep_published.py); the
    greedy start then begins from the published placements."""
    started = time.perf_counter()
    times: dict[str, float] = {}
    with collection_paused():  # millions of options, rows and indexes that live on, no garbage cycles
        ctx, model = build(case, settings, published)
        times["build"] = time.perf_counter() - started
        stats: dict[str, object] = {"options": len(model.options), "teachers": len(case.teachers)}

        mark = time.perf_counter()
        greedy = greedy_plan(model)
        times["greedy"] = time.perf_counter() - mark
        start = set(option_indices(model, hint) if hint is not None else greedy)

        mark = time.perf_counter()
        try:
            read: Rows | None = Rows.of(model.model)
        except UnsupportedModel:
            read = None  # a constraint the split does not read: one part
        parts = split(model, read) if read is not None else None
        if parts is None or len(parts) < 2:
            parts = [whole(model)]  # solved on the model itself, not on a copy: the rows read are its own
        else:
            stats["parts"] = len(parts)
            read = None  # the parts' rows are their own; the whole model's would hold memory to the end
        times["split"] = time.perf_counter() - mark

    levels = [LEVEL_BY_NUMBER[n] for n in model.levels()]
    option_index = {var.index: i for i, var in enumerate(model.x)}
    options = [part.option_of(option_index) for part in parts]
    search = _Search(model, parts, options, levels, settings, started, progress, stop, read)
    del read
    search.run(start, set(greedy), times)
    stats["status"] = search.status_words[-20:]
    if search.infeasible:
        return Plan([], "infeasible", [], _total(times, started), stats, ended=ENDED_DONE)
    with collection_paused():
        return _finish(model, levels, parts, options, search.runs, set(greedy), search.stopped, times, started,
                       stats)


class _Search:
    """The lexicographic loop, one for the whole model and its parts: each level over every part,
    each part's value fixed before the next level, its plan so far the hint for the next.

    Time: each search gets the time left shared over the levels still to come, and within a level
    over the parts by their size; once the deadline has passed nothing more is searched, and the
    parts keep what they have (`fallback`). Stop ends the running search and every later one.
    Progress: when a level starts, then per solution when the model is one part, or after each
    part when it is split (the sums over the parts done so far)."""

    def __init__(self, model: PlanModel, parts: list[Part], options: list[dict[int, int]], levels: list[Level],
                 settings: Settings, started: float, progress: ProgressFn | None, stop: threading.Event | None,
                 read: Rows | None = None):
        """`read`: the rows of the only part's model, as the split read them."""
        self.model, self.parts, self.levels, self.settings = model, parts, levels, settings
        #: per part, its option variables → option index
        self.options = options
        # The searches end early enough for the plan to be put together within the limit (`_finish`)
        reserve = min(FINISH_SHARE * settings.time_limit_s, FINISH_S_PER_VARIABLE * sum(part.size for part in parts))
        self.started, self.deadline = started, started + settings.time_limit_s - reserve
        self.progress, self.stop = progress, stop
        self.runs = [PartRun() for _ in parts]
        #: part → its LP guide (large parts only; made when first needed)
        self.guides: dict[int, LpGuide | None] = {}
        #: part → its model's rows as last read (each level only adds rows), for a part searched alone
        self.rows: dict[int, Rows] = {} if read is None else {0: read}
        self.status_words: list[str] = []
        self.infeasible = False
        #: `stop` was set before every level of every part was searched
        self.stopped = False

    def _stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def _halted(self) -> bool:
        """Stop was pressed or the deadline has passed: no further search starts."""
        if self._stopping():
            self.stopped = True
            return True
        return time.perf_counter() >= self.deadline

    def run(self, start: set[int], greedy: set[int], times: dict[str, float]) -> None:
        model, parts, levels, options = self.model, self.parts, self.levels, self.options
        # the hint of each part (its starting plan, then its plan so far) and the teachers it places
        hints = [{local: int(i in start) for local, i in option_of.items()} for option_of in options]
        placed = [sum(i in greedy for i in option_of.values()) for option_of in options]
        solved_once = [False] * len(parts)
        numbers = [level.number for level in levels]
        for part, run in zip(parts, self.runs):
            for number in numbers:
                if not part.terms.get(number):
                    # Nothing to optimise here: 0 in every plan, proven without a search.
                    run.words[number] = OPTIMAL
                    run.values[number] = run.bounds[number] = 0
        split = len(parts) > 1
        for position, level in enumerate(levels):
            last = position == len(levels) - 1
            # The last level is searched in every part not searched yet: CP-SAT must check the hard
            # rules once (a pin no option allows, a hard quota), which the greedy plan does not guarantee.
            # A part whose earlier level found no plan in time is not searched again: later levels
            # cannot be fixed on top of it.
            busy = [p for p, part in enumerate(parts) if NO_SOLUTION not in self.runs[p].words.values()
                    and (part.terms.get(level.number) or last and not solved_once[p])]
            if not busy:
                continue
            if self._halted():
                break
            value = bound = model.constants.get(level.number, 0)
            self._report(level, position, math.nan, math.nan, "start", sum(placed), 0 if split else None,
                         len(busy) if split else None)
            mark = time.perf_counter()
            level_end = mark + max(MIN_SEARCH_S, (self.deadline - mark) / (len(levels) - position))
            halted = False
            searches = self._searches(busy, level, position, hints, placed, lambda: value)
            for done, (p, found) in enumerate(searches):
                if found is _SKIPPED:  # also right after the level's start: Stop may come from its report
                    halted = True
                    break
                part, run = parts[p], self.runs[p]
                if found is None:
                    self.infeasible = True
                    searches.close()  # the searches not started are cancelled
                    return
                outcome, solution = found
                run.record_bound(level.number, outcome.bound)
                if solution is None and not self._stopping():
                    # No plan in this level's share of time: go on from the starting plan's value at
                    # this level (not proven), so the later levels still use the time that is left.
                    solution = self._keep_hint(part, level, hints[p], list(options[p]))
                    if solution is not None:
                        outcome.value, outcome.optimal = solution[1], False
                        solution = solution[0]
                if solution is None:
                    run.words[level.number] = NO_SOLUTION
                    if self._stopping():
                        self.stopped = halted = True
                        break
                    continue
                run.words[level.number] = OPTIMAL if outcome.optimal else FEASIBLE
                run.values[level.number] = outcome.value
                value += outcome.value
                bound += run.bounds.get(level.number, outcome.value)
                self._fix_level(p, level, outcome, solution, hints, placed)
                solved_once[p] = True
                if split:
                    self._report(level, position, value, bound, f"{done + 1}/{len(busy)}", sum(placed), done + 1,
                                 len(busy))
                if not outcome.optimal and self._stopping():
                    self.stopped = halted = True  # Stop cut this search short: the next ones are not searched
                    break
            searches.close()  # the searches not started are cancelled, the running ones awaited
            if not halted and split:
                self._again(level, position, busy, hints, placed, level_end)
            times[f"level{level.number}"] = time.perf_counter() - mark
            if halted:
                break
        self.rows.clear()  # a city's part's rows are hundreds of MB, which the plan's finishing needs
        for run in self.runs:
            for number in numbers:
                run.words.setdefault(number, NOT_REACHED)

    def _searches(self, busy: list[int], level: Level, position: int, hints: list[dict[int, int]],
                  placed: list[int], offset: Callable[[], int]) -> Iterator[tuple[int, object]]:
        """Each busy part's search at `level`, as (part, `_search`'s answer), or `_SKIPPED` once Stop
        or the deadline ends the level. The parts searched alone (`_alone`) come first, one after the
        other; then the others, several at once on `_threads()` threads, answered in order: CP-SAT
        lets go of the interpreter while it searches, so 2 cores search 2 parts (the province's 187
        bins of at most 2,000 variables each). `offset()`: the level's value so far, for progress."""
        alone = [p for p in busy if self._alone(self.parts[p])]
        rest = [p for p in busy if not self._alone(self.parts[p])]
        weight = sum(self.parts[p].size for p in busy)

        def share(p: int) -> float:
            nonlocal weight
            size = self.parts[p].size
            fraction = size / weight if weight else 1.0  # a model without variables is one part of size 0
            weight -= size
            return fraction

        def search(p: int, fraction: float) -> object:
            if self._halted():
                return _SKIPPED
            return self._search(p, level, position, fraction, hints[p], list(self.options[p]), offset(),
                                sum(placed))

        for p in alone:
            yield p, search(p, share(p))
        threads = self._threads()
        if threads < 2 or len(rest) < 2:
            for p in rest:
                yield p, search(p, share(p))
            return
        pool = ThreadPoolExecutor(threads, thread_name_prefix="part")
        try:
            futures = [(p, pool.submit(search, p, share(p))) for p in rest]
            for p, future in futures:
                yield p, future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _alone(self, part: Part) -> bool:
        """Whether `part` is searched by itself, reporting each plan it finds: the whole model, or a
        part large enough to go to HiGHS first. The others report after each part."""
        return len(self.parts) == 1 or part.size >= MIP_VARIABLES

    def _threads(self) -> int:
        """How many small parts are searched at once: a core each for CP-SAT's `workers`, or what
        PLANNER_PART_THREADS says (a shared server, a test run whose workers take the cores)."""
        chosen = os.environ.get(PART_THREADS_VARIABLE, "").strip()
        if chosen.isdigit() and int(chosen) > 0:
            return int(chosen)
        return max(1, _cores() // max(1, self.settings.workers))

    def _fix_level(self, p: int, level: Level, outcome: _Outcome, solution: dict[int, int],
                   hints: list[dict[int, int]], placed: list[int]) -> None:
        """Take `solution` as part `p`'s plan, and hold the part at this level's value for the later
        levels, with what the level's prices rule out in every plan this good."""
        hints[p] = self.runs[p].plan = solution
        placed[p] = sum(solution.get(local, 0) for local in self.options[p])
        part = self.parts[p]
        part.hold_level(level.number, outcome.value)
        guide = self.guides.get(p)
        if guide is not None:
            if outcome.relaxation is not None:
                hold_rows(part.model, guide.tight_rows(outcome.relaxation, outcome.value))
            hold(part.model, guide.fix_level(part.terms.get(level.number, []), outcome.value, outcome.relaxation))
            if not self._alone(part):
                guide.rest()  # made again at the next level: a small part's LP is solved in a moment

    def _again(self, level: Level, position: int, busy: list[int], hints: list[dict[int, int]],
               placed: list[int], level_end: float) -> None:
        """What is left of the level's time, for the parts it did not prove, largest first. Each part's
        first search gets a share by its size; a small part that does not prove in it (the 交流总数
        backbone rows leave a gap the search must close) otherwise stays unproven while the time goes
        to the later levels (the strict city: level 2 left at 0.27 % after 7.6 s of its 15). Each is
        searched on its model as fixed at this level, which every plan at least as good obeys."""
        number = level.number
        unproven = sorted((p for p in busy if self.runs[p].words.get(number) == FEASIBLE),
                          key=lambda p: (-self.parts[p].size, p))
        weight = sum(self.parts[p].size for p in unproven)
        total = sum(self.parts[p].size for p in busy) or 1
        for p in unproven:
            left = level_end - time.perf_counter()
            if left < MIN_SEARCH_S or self._halted():
                return
            part, run = self.parts[p], self.runs[p]
            budget = left * part.size / weight if weight else left
            weight -= part.size
            others = self.model.constants.get(number, 0) + sum(
                self.runs[q].values.get(number, 0) for q in busy if q != p)
            # the part's share of the level by its size, which its rings' work is planned by (not all of it)
            found = self._search(p, level, position, part.size / total, hints[p], list(self.options[p]), others,
                                 sum(placed), budget=budget)
            if found is None or found[1] is None:
                continue
            outcome, solution = found
            run.record_bound(number, outcome.bound)
            if outcome.value < run.values[number]:
                run.values[number] = outcome.value
                self._fix_level(p, level, outcome, solution, hints, placed)
            if outcome.optimal or run.bounds.get(number, -math.inf) >= run.values[number]:
                run.words[number] = OPTIMAL

    def _search(self, p: int, level: Level, position: int, share: float, hint: dict[int, int],
                option_vars: list[int], offset: int, placed: int, budget: float | None = None
                ) -> tuple[_Outcome, dict[int, int] | None] | None:
        """One level of part `p`, from `hint`: its outcome and the part's plan (None when it found
        none in time); None when the part has no plan at all. `share`: the part's share of this
        level's time; `option_vars`: its option variables; `offset`: what the level's constant and
        the parts done before add to the progress reports; `placed`: teachers placed so far.

        A large part is searched with its LP relaxation's help (`lp_guide`): first a small search
        around the LP solution, then, unless that reached the LP bound, the whole part less what
        the reduced costs rule out (`_whole`); a part too large to load in the time left, in ever wider
        rings around the LP solution instead."""
        part = self.parts[p]
        if budget is None:
            remaining = max(MIN_SEARCH_S, self.deadline - time.perf_counter())
            budget = max(MIN_SEARCH_S, remaining / (len(self.levels) - position) * share)
        until = time.perf_counter() + budget
        guide = self._guide(p)
        in_plan = [v for v, on in hint.items() if on]  # the LP holds them; every ring frees them
        relaxation = None if guide is None else guide.relax(part.terms.get(level.number, []), budget * LP_SHARE,
                                                            in_plan)
        if relaxation is None:
            if guide is not None and _too_large(part, until - time.perf_counter()):
                return _Outcome(False, -math.inf), None  # no LP to search around, and no time to load it
            return self._cp(part, part.model, level, position, hint, option_vars, offset, placed, budget)

        # 1. Around the LP solution: the options it uses and the plan's, every other held at 0; then
        # the same with the options the LP prices cheapest added (`RING_WIDTH` times as many). Each
        # is a model of its own holding only those options (`narrow`).
        best, best_value = None, None
        rings = Rings(part.size, option_vars, relaxation.used, in_plan, guide.lower > 0, relaxation.reduced)
        # A part too large for CP-SAT to load in the time left (Datong ×7 in 优先: 2.2 million options,
        # 22 s to load, no plan in a level's share) is searched in rings only, each 4 times wider than
        # the last, until the time is up: its level is proven only where a ring reaches the LP bound.
        rings_only = _too_large(part, until - time.perf_counter())
        schedule = ((width, 0.5) for width in itertools.chain((0,), (RING_WIDTH * 4**k for k in itertools.count()))) \
            if rings_only else RINGS[:1] if part.size < MIP_VARIABLES \
            else RINGS[:LAST_LEVEL_RINGS] if position == len(self.levels) - 1 else RINGS
        source = self._rows_of(p)  # the same model for every ring
        # A ring cut short by its limit hands on whatever plan it had then, and HiGHS's proof depends
        # on the plan it starts from (Datong ×2 in 优先: the links level proven in 8.7 s from one ring's
        # plan, not in 23 s from the same ring cut a moment later): so each ring is cut by CP-SAT's
        # deterministic time, its share of the level as the time limit plans it, not as the clock
        # finds it. The clock caps it at twice its share of what is left: reached first on a machine
        # slowed by other work, or once the levels before have used about two thirds of the limit.
        nominal = self.settings.time_limit_s / (len(self.levels) - position) * share
        for width, ring_share in schedule:
            left = until - time.perf_counter()
            limit = max(MIN_SEARCH_S, left * ring_share if rings_only else budget * ring_share * RING_CLOCK_CAP)
            work = None if rings_only else max(MIN_SEARCH_S, nominal * ring_share) * RING_WORK_PER_S
            found = self._cp(part, part.model, level, position, best or hint, option_vars, offset, placed,
                             limit, target=relaxation.bound, narrow=narrowed(part.model, rings.free(width), source),
                             work=work)
            if found is not None and found[1] is not None and (best is None or found[0].value <= best_value):
                best, best_value = found[1], found[0].value
            if best is not None and best_value <= relaxation.bound:
                return _Outcome(True, relaxation.bound, best_value, relaxation), best
            if self._halted() or rings_only and (until - time.perf_counter() < MIN_SEARCH_S
                                                 or rings.covers_all(width)):
                break
        if rings_only:
            outcome = _Outcome(False, relaxation.bound, best_value or 0, relaxation)
            return outcome, best
        # 2. The whole part, less the options no plan as good as the best so far can use. (Starting
        # again on a smaller part after each better plan was measured: it loses the search's progress,
        # Datong 优先 42 s → 92 s.)
        wide = part.model
        if best is not None:
            wide = part.model.clone()
            hold(wide, guide.held(relaxation, best_value))
        found = self._whole(part, wide, level, position, best or hint, best_value, option_vars, offset, placed,
                            until, relaxation.bound)
        if found is None:
            return None
        outcome, solution = found
        if solution is None and best is not None:
            outcome, solution = _Outcome(False, outcome.bound, best_value), best
        outcome.bound = max(outcome.bound, relaxation.bound)
        outcome.optimal = outcome.optimal or (solution is not None and outcome.value <= relaxation.bound)
        outcome.relaxation = relaxation
        return outcome, solution

    def _whole(self, part: Part, model: cp_model.CpModel, level: Level, position: int, hint: dict[int, int],
               value: int | None, option_vars: list[int], offset: int, placed: int, until: float, target: int
               ) -> tuple[_Outcome, dict[int, int] | None] | None:
        """The whole part's search (`model`: the part less what the prices rule out): in a part of at
        least `MIP_VARIABLES`, HiGHS's branch and bound first, with `MIP_SHARE` of the time, then,
        unless it proved the level, CP-SAT from the better of the two plans with the rest. Each closes
        gaps the other leaves (see `mip`)."""
        if part.size < MIP_VARIABLES:
            return self._cp(part, model, level, position, hint, option_vars, offset, placed,
                            max(MIN_SEARCH_S, until - time.perf_counter()), target=target)
        mip = branch_and_bound(model, part.terms.get(level.number, []), hint,
                               max(MIN_SEARCH_S, (until - time.perf_counter()) * MIP_SHARE), self.stop,
                               lambda found, bound: self._report_plan(level, position, offset, placed, found,
                                                                      max(bound, target)))
        self.status_words.append("MIP_OPTIMAL" if mip.optimal else "MIP_FEASIBLE" if mip.value is not None
                                 else "MIP_UNKNOWN")
        better = mip.solution is not None and (value is None or mip.value < value)
        # HiGHS's plan as the part keeps its plans (`_cp`)
        plan = {local: mip.solution[local] for local in _plan_variables(part, option_vars)} \
            if mip.solution is not None else None
        if mip.optimal or better and self._halted():
            return _Outcome(mip.optimal, mip.bound, mip.value), plan
        if self._halted():
            return _Outcome(False, mip.bound), None
        found = self._cp(part, model, level, position, mip.solution if better else hint, option_vars, offset,
                         placed, max(MIN_SEARCH_S, until - time.perf_counter()), target=target)
        if found is None:
            return None
        outcome, solution = found
        outcome.bound = max(outcome.bound, mip.bound)
        if better and (solution is None or outcome.value > mip.value):
            # CP-SAT found nothing in the time left, or less: HiGHS's plan (checked) stands
            return _Outcome(False, outcome.bound, mip.value), plan
        return outcome, solution

    def _report_plan(self, level: Level, position: int, offset: int, placed: int, value: float,
                     bound: float) -> None:
        """A plan and bound of HiGHS's search in a large part, as `_Reporter` reports CP-SAT's."""
        if self.progress:
            self.progress(Progress(level, position, len(self.levels), (value + offset) / level.scale,
                                   (bound + offset) / level.scale, time.perf_counter() - self.started,
                                   placed=placed, need_total=self._need_total(level) if len(self.parts) == 1
                                   else None))

    def _rows_of(self, p: int) -> Rows:
        """Part `p`'s rows, kept from level to level for a part searched alone (a small part's are
        read in a moment, and keeping the province's 187 would cost memory its 2 GiB has not got)."""
        part = self.parts[p]
        if not self._alone(part):
            return Rows.of(part.model)
        self.rows[p] = self.rows[p].grown(part.model) if p in self.rows else Rows.of(part.model)
        return self.rows[p]

    def _guide(self, p: int) -> LpGuide | None:
        """Part `p`'s LP guide, made the first time it is asked for; None for a small part or one
        the LP cannot hold (a constraint that is not linear)."""
        if p not in self.guides:
            part = self.parts[p]
            try:
                if part.size < LP_GUIDE_VARIABLES:
                    self.guides[p] = None
                else:
                    # a part searched alone has its rows read already, or will need them for its rings
                    lp = self._rows_of(p).linear_program() if self._alone(part) else None
                    self.guides[p] = LpGuide(part.model, list(self.options[p]), lp)
            except UnsupportedModel:
                self.guides[p] = None
        return self.guides[p]

    def _cp(self, part: Part, model: cp_model.CpModel, level: Level, position: int, hint: dict[int, int],
            option_vars: list[int], offset: int, placed: int, time_limit: float, target: float = -math.inf,
            narrow: Narrowed | None = None, work: float | None = None
            ) -> tuple[_Outcome, dict[int, int] | None] | None:
        """One CP-SAT search of `model` (the part's model or a copy with variables held), or of
        `narrow` (the part's model with only some of its variables) at `level`, stopped early at
        `target`. None when the model has no plan, unless it is narrowed (what it leaves out may rule
        out every plan: nothing is concluded from that). `work`: a limit in CP-SAT's deterministic
        time as well, which ends a search at the same point every run."""
        narrowed = narrow is not None
        terms = part.terms.get(level.number, [])
        searched = option_vars
        if narrow is not None:
            model = narrow.model
            hint = dict(zip(*narrow.inside(list(hint.keys()), list(hint.values()))))
            terms = list(zip(*narrow.inside([v for v, _ in terms], [c for _, c in terms])))
            searched = narrow.inside(option_vars, option_vars)[0]
        # Hint and objective written into the proto in one go: through the wrapper, a call per
        # variable cost seconds a level on a 50,000-option part.
        model.clear_hints()
        model.proto.solution_hint.vars.extend(hint.keys())
        model.proto.solution_hint.values.extend(hint.values())
        model.clear_objective()
        model.proto.objective.vars.extend(v for v, _ in terms)
        model.proto.objective.coeffs.extend(c for _, c in terms)
        model.proto.objective.scaling_factor = 1.0
        solver = cp_model.CpSolver()
        configure(solver, self.settings, time_limit)
        if work is not None:
            solver.parameters.max_deterministic_time = work
        # Per solution only where a part is searched alone (the whole model, or a part that goes to
        # HiGHS first); the parts searched several at once report after each part.
        reports = self._alone(part)
        xs = [model.get_int_var_from_proto_index(local) for local in searched] if reports else []
        elsewhere = placed - sum(hint.get(v, 0) for v in searched)
        reporter = _Reporter(level, position, len(self.levels), self.started, self.progress if reports else None,
                             self.stop, xs, placed, offset, target, narrowed, elsewhere,
                             self._need_total(level) if len(self.parts) == 1 else None)
        watcher = stop_watcher(solver, self.stop)
        status = solver.solve(model, reporter)
        watcher.set()
        self.status_words.append(solver.status_name(status))
        if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            return (_Outcome(False, -math.inf), None) if narrowed else None
        # A bound of a narrowed copy bounds only that copy: nothing about the part.
        outcome = _Outcome(status == cp_model.OPTIMAL and not narrowed,
                           -math.inf if narrowed else search_bound(solver, status))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return outcome, None
        # Objectives are integers; rounding keeps float noise (244.99999999997) out of reports.
        outcome.value = round(solver.objective_value)
        values = list(solver.response_proto.solution)
        variables = _plan_variables(part, option_vars)
        if narrow is not None:
            return outcome, narrow.spread(variables, values)
        return outcome, {local: values[local] for local in variables}

    def _keep_hint(self, part: Part, level: Level, hint: dict[int, int], option_vars: list[int]
                   ) -> tuple[dict[int, int], int] | None:
        """The part's starting plan scored at this level (its placements fixed, the rest chosen at
        best), as a plan for every variable, and that value; None when it breaks a hard rule (the
        greedy plan may miss a hard quota) or cannot be scored in a few seconds, or before the limit."""
        # Not cut by the searches' deadline but by the limit itself: scoring the plan kept is part of
        # finishing, in the time reserved for it (a level cut to nothing here keeps no plan of its own);
        # once the limit has passed, no part is scored again, however many were cut.
        limit = min(KEEP_HINT_S, self.started + self.settings.time_limit_s - time.perf_counter())
        if limit <= 0:
            return None
        status, found = plan_scored(part.model, option_vars, hint, part.terms.get(level.number, []), self.settings,
                                    limit)
        self.status_words.append(status)
        return None if found is None else ({local: found[0][local] for local in range(part.size)}, found[1])

    def _report(self, level: Level, position: int, value: float, bound: float, message: str, placed: int,
                done: int | None, total: int | None) -> None:
        if self.progress:
            self.progress(Progress(level, position, len(self.levels), value / level.scale, bound / level.scale,
                                   time.perf_counter() - self.started, message, placed=placed, parts_done=done,
                                   parts_total=total, need_total=self._need_total(level) if done == total else None))

    def _need_total(self, level: Level) -> float | None:
        """The need step's value with nothing filled (its constant: the weighted need), in its units."""
        total = self.model.constants.get(level.number, 0) if level.key == "need" else 0
        return total / level.scale if total > 0 else None


#: the shortest search a level of a part is given, seconds
MIN_SEARCH_S = 0.2
#: putting the plan together after a search cut by the time limit (`_finish`: scoring a part's plans,
#: completing it), per variable of the model, reserved from the limit so that the plan comes within it
#: (Datong ×7 in 优先: 13.9 s for 2.2 million variables, the solve ending 12 s past its 120 s; with the
#: last level's plan kept when its search found nothing, `plan_scored`, 3 s more) ...
FINISH_S_PER_VARIABLE = 8e-6
#: ... but never more than this share of the limit
FINISH_SHARE = 0.15
#: at most this share of a large part's level time for its LP; a level whose LP takes longer is
#: searched without it
LP_SHARE = 0.5
#: the second search around the LP solution adds this many times as many options, the cheapest by
#: reduced cost (Datong 优先, level 3: 340 from the LP's options alone, 320 with 6 times as many)
RING_WIDTH = 4
#: the searches around the LP solution before the whole part's: (options added, as a multiple of the
#: LP's and the plan's, the share of the level's time). The third, 16 times wider, found the optimum
#: of Datong 不限's level 2 in 0.7 s, which the whole part's search took 17 s to reach; it gets less
#: time, as on a level with an integrality gap (level 4) no ring can reach the bound and stop early.
#: A part below MIP_VARIABLES gets the first ring only: CP-SAT searches the whole of it in a moment,
#: and the wider rings' copies cost more to build than they save (the strict city's 19 parts, levels
#: 5.0 → 3.1 s; no ring at all: 4.6 s)
RINGS = ((0, 0.15), (RING_WIDTH, 0.15), (RING_WIDTH * 4, 0.05))
#: the last level searches only this many of the rings. Its third ring found no better plan than the
#: second on Datong in 优先 or 不限 (2.8 and 3.0 s spent proving its copy optimal), and HiGHS proved the
#: level from the second's plan as fast: solve 14.2 → 10.7 s in 优先, 10.9 → 7.7 s in 不限, Datong ×2
#: in 优先 43.7 → 39.1 s (one ring only: 13.6, 11.8, 48.6 s). Earlier levels keep the third: dropping it
#: there made HiGHS's proof of 优先's links level 5.7 s instead of 1.9 s from a plan just as good.
LAST_LEVEL_RINGS = 2
#: CP-SAT's deterministic time per second of a ring's share as the time limit plans it. CP-SAT does
#: 0.5–0.7 units a second here; at 0.7 the third ring of Datong ×2 in 优先's links level stopped at a
#: plan of 990 and neither HiGHS nor CP-SAT proved the level in 23 s each (optimum 980, not proven in
#: 120 s), at 1.0 it found 980 and the teachers level then failed the same way, at 0.4 it stops
#: before its first plan and the solve is proven in 37 s, the other samples as fast as before
RING_WORK_PER_S = 0.4
#: a ring's clock limit, as a multiple of its share of what is left of the level (see `_search`)
RING_CLOCK_CAP = 2.0
#: HiGHS's share of the whole part's search, before CP-SAT's
MIP_SHARE = 0.5
#: parts with at least this many variables go to HiGHS's branch and bound first. The strict city's
#: parts (up to 2,000) are proven by CP-SAT in less time than HiGHS takes: 12.4 s without, 13.6 s with
#: (2026-12-03, Datong ×7, 18 parts went to HiGHS); Datong 不限's part of 48,877: 14 s with, 120 s and
#: not proven without
MIP_VARIABLES = 5_000
#: CP-SAT's time to load a part and find a first plan in it, per variable (Datong ×7 in 优先: 2.2
#: million variables, none found in 84 s)
LOAD_S_PER_VARIABLE = 5e-5
#: at most this long to score the starting plan at a level whose search found nothing (it is nearly fixed)
KEEP_HINT_S = 5.0


@dataclass
class _Outcome:
    optimal: bool
    bound: float
    value: int = 0
    #: the level's LP (large parts), whose prices narrow the part once the level is fixed
    relaxation: Relaxation | None = None


def _plan_variables(part: Part, option_vars: list[int]) -> range | list[int]:
    """The variables a part's plan holds: every one where the part is a copy (its hints name every
    variable), else its options."""
    return range(part.size) if part.hint_every_variable else option_vars


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: the environment variable that sets how many small parts are searched at once (default: the cores)
PART_THREADS_VARIABLE = "PLANNER_PART_THREADS"

#: a search not started: Stop was pressed or the deadline passed
_SKIPPED = object()


def _too_large(part: Part, seconds: float) -> bool:
    """CP-SAT would spend more than half of `seconds` loading the part before its first plan."""
    return seconds < 2 * part.size * LOAD_S_PER_VARIABLE


def _finish(model: PlanModel, levels: list[Level], parts: list[Part], options: list[dict[int, int]],
            runs: list[PartRun], greedy: set[int], stopped: bool, times: dict[str, float], started: float,
            stats: dict[str, object]) -> Plan:
    """Keep the better of CP-SAT's and the greedy plan in each part, complete the parts a cut search
    left unfinished, and sum the levels over the parts. Its time is part of the solve's (`finish`):
    on a large part cut short, scoring and completing the plan is seconds the planner waits."""
    mark = time.perf_counter()
    numbers = [level.number for level in levels]
    kept: list[Settled] = []
    # A part's model read once for all the plans of it scored here (2 to 3: 7 s each at Datong ×7 in 优先)
    scorers: dict[int, Scorer] = {}
    for p, (part, option_of, run) in enumerate(zip(parts, options, runs)):
        start = {v: 1 for v, i in option_of.items() if i in greedy}
        if not (run.plan is not None and run.proven(numbers)):
            scorers[p] = Scorer(part.model, part.terms, numbers, part.rules_constraints)
        kept.append(settle(part.model, part.rules_constraints, part.terms, numbers, run, list(option_of), start,
                           scorers.get(p)))
        if kept[-1].status != FEASIBLE:
            # Only a part left unfinished is scored again (`_complete`); a scorer holds its model's arrays.
            scorers.pop(p, None)
    unfinished = [p for p, k in enumerate(kept) if k.status == FEASIBLE]
    if unfinished:
        _complete(model, numbers, parts, options, kept, unfinished, scorers)

    solution: list[int] = []
    results: list[PartResult] = []
    for p, (option_of, run, settled) in enumerate(zip(options, runs, kept)):
        solution += [option_of[v] for v, on in settled.plan.items() if on]
        teachers = len({model.options[i].teacher for i in option_of.values()})
        results.append(PartResult(p, teachers, len(option_of), settled.status,
                                  {LEVEL_BY_NUMBER[n].key: run.words[n] for n in numbers}))
    times["finish"] = time.perf_counter() - mark
    return _plan(model, levels, kept, results, sorted(solution), stopped, _total(times, started), stats)


def _complete(model: PlanModel, numbers: list[int], parts: list[Part], options: list[dict[int, int]],
              kept: list[Settled], unfinished: list[int], scorers: dict[int, Scorer]) -> None:
    """Add to each unfinished part's plan the options that still fit and fill need (`greedy.fill`),
    kept only where the part's levels come out no worse (checked, not assumed)."""
    current = [option_of[v] for option_of, settled in zip(options, kept) for v, on in settled.plan.items() if on]
    candidates = {i for p in unfinished for i in options[p].values()}
    added = set(fill(model, current, candidates)) - set(current)
    for p in unfinished:
        part, option_of, settled = parts[p], options[p], kept[p]
        plan = {v: int(on or option_of[v] in added) for v, on in settled.plan.items()}
        if plan == settled.plan:
            continue
        values = scorers[p].values(plan)
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


def plan_scored(model: cp_model.CpModel, option_vars: list[int], plan: dict[int, int],
                terms: list[tuple[int, int]], settings: Settings, limit: float
                ) -> tuple[str, tuple[list[int], int] | None]:
    """CP-SAT's status, and the model's values with the option variables at `plan`'s (0 where it says
    nothing) and every other variable at its best for `terms`, with that objective; None when the plan
    breaks a constraint or a variable's own domain (a pin, a held option), or time ran out.

    The options are fixed through their domains (CP-SAT's presolve then settles the rest at once: 1.1 s
    at Datong ×7 in 优先, against 13 s fixing them through a hint and 15 s through two rows), and the
    objective is written into the proto in one go (through the wrapper, a row and a lookup per option
    took 10 s of Datong ×3 in 优先, 455,000 options)."""
    fixed = model.clone()
    fixed.clear_hints()
    variables = fixed.proto.variables
    for local in option_vars:
        value = plan.get(local, 0)
        domain = variables[local].domain  # ortools' own wrapper: no negative indices
        last = len(domain) - 1
        if not domain[0] <= value <= domain[last]:
            return "INFEASIBLE", None  # the plan breaks a variable's own bounds (a pin, a held option)
        domain[0] = domain[last] = value
    fixed.clear_objective()
    fixed.proto.objective.vars.extend(v for v, _ in terms)
    fixed.proto.objective.coeffs.extend(c for _, c in terms)
    fixed.proto.objective.scaling_factor = 1.0
    solver = cp_model.CpSolver()
    configure(solver, settings, limit)
    status = solver.solve(fixed)
    if status != cp_model.OPTIMAL:
        return solver.status_name(status), None
    return solver.status_name(status), (list(solver.response_proto.solution), round(solver.objective_value))


def search_bound(solver: cp_model.CpSolver, status: int) -> float:
    """The lower bound a finished CP-SAT search proves, −inf when it proves none. A search cut before
    its first plan (UNKNOWN) reports 0.0, which is no bound at all: Datong ×7 in 优先, whose level 2
    ran out of time in presolve, showed the need level "at most 5,532 % from" a bound above its own
    plan's value."""
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.best_objective_bound
    return -math.inf


def stop_watcher(solver: cp_model.CpSolver, stop: threading.Event | None) -> threading.Event:
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


def _total(times: dict[str, float], started: float) -> dict[str, float]:
    return {**times, "total": time.perf_counter() - started}
