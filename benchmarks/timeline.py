"""When the solver got where: first plan and ≤ 1 % gap, read from `solve`'s progress events.

`solve` reports a "start" event when it begins a level and one event per improving solution,
with the elapsed time since `solve` was called (model building included). Levels run one
after another, each fixed before the next, so "within 1 %" means every level is within 1 %:
the moment the last level gets there, provided each earlier level ended within 1 %.

Solutions are the only events, so a level whose bound alone closes the gap (no new solution)
is credited at its end, when `solve` reports its final value and bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.model.solve import Progress
from scheduler.plan import Plan

from .objectives import gap

TARGET_GAP = 0.01


@dataclass
class LevelTimes:
    number: int
    key: str
    start_s: float
    end_s: float | None = None
    first_solution_s: float | None = None
    within_target_s: float | None = None  # first time the gap was ≤ TARGET_GAP
    solutions: int = 0
    status: str = ""
    value: float | None = None
    bound: float | None = None

    @property
    def gap(self) -> float | None:
        return None if self.value is None or self.bound is None else gap(self.value, self.bound)


@dataclass
class Timeline:
    """A progress callback for `solve` that keeps what the benchmark reports."""

    levels: list[LevelTimes] = field(default_factory=list)

    def __call__(self, event: Progress) -> None:
        if event.message == "start":
            self.levels.append(LevelTimes(event.level.number, event.level.key, event.elapsed))
            return
        level = self.levels[-1]
        level.solutions += 1
        if level.first_solution_s is None:
            level.first_solution_s = event.elapsed
        if level.within_target_s is None and gap(event.objective, event.bound) <= TARGET_GAP:
            level.within_target_s = event.elapsed

    def finish(self, plan: Plan) -> None:
        """Close each level with `solve`'s own figures: its time, end status, value and bound."""
        words = list(plan.stats.get("status", []))
        results = {result.key: result for result in plan.levels}
        for index, level in enumerate(self.levels):
            seconds = plan.times.get(f"level{level.number}")
            level.end_s = level.start_s + seconds if seconds is not None else None
            level.status = _level_word(plan, level.key) or (words[index] if index < len(words) else "not run")
            result = results.get(level.key)
            if result is not None:
                level.value, level.bound = result.value, result.bound
                if level.within_target_s is None and result.gap is not None and result.gap <= TARGET_GAP:
                    level.within_target_s = level.end_s

    @property
    def first_plan_s(self) -> float | None:
        """The first CP-SAT solution of the first level (the greedy hint is not counted)."""
        return self.levels[0].first_solution_s if self.levels else None

    def within_target_s(self, level_count: int) -> float | None:
        """When every level was within TARGET_GAP; None when one never got there."""
        if len(self.levels) < level_count or any(level.within_target_s is None for level in self.levels):
            return None
        return self.levels[-1].within_target_s


def _level_word(plan: Plan, key: str) -> str | None:
    """How the level ended over the plan's parts: OPTIMAL when every part proved it, else the parts'
    words (feasible, no_solution, not_reached) with their counts. CP-SAT's last status word is not
    that: with parts, narrowed searches and the start plan's scoring, it is whichever search ran last
    (a city in 优先 showed its need level "OPTIMAL" from scoring the start plan)."""
    words = [part.levels.get(key) for part in plan.parts if part.levels.get(key)]
    if not words:
        return None
    if all(word == "optimal" for word in words):
        return "OPTIMAL"
    counts = {word: words.count(word) for word in dict.fromkeys(words)}
    return ", ".join(f"{word} ×{n}" if len(words) > 1 else word for word, n in counts.items())
