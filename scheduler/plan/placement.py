"""Placements and plans.

A placement sends one teacher to one receiving school for `terms` consecutive terms from
`start`, filling a need of `subject`. A plan also remembers how the solver ended, so a
planner can tell a proven-optimal plan from a good one: per level whether its value is proven,
per independent part of the model whether CP-SAT's plan or the starting (greedy) plan was kept,
and whether the time limit or the planner stopped the search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.terms import Term


@dataclass(frozen=True)
class Placement:
    teacher_id: str
    school_id: str
    subject: str
    start: Term
    terms: int

    @property
    def end(self) -> Term:
        return self.start.shift(self.terms - 1)

    @property
    def ordinals(self) -> range:
        return range(self.start.ordinal, self.start.ordinal + self.terms)


@dataclass(frozen=True)
class LevelResult:
    """One priority level of the lexicographic objective: its value in the plan and a lower bound on
    the best value any plan can reach there; `bound` is None when none is known (the solver did not
    get to this level in some part of the model)."""

    key: str
    zh: str
    en: str
    value: float
    bound: float | None

    @property
    def proven(self) -> bool:
        return self.bound is not None and abs(self.value - self.bound) < 1e-9

    @property
    def gap(self) -> float | None:
        """Relative distance to the bound: 0 when proven optimal, None when there is no bound."""
        if self.bound is None:
            return None
        if self.proven:
            return 0.0
        return abs(self.value - self.bound) / max(abs(self.value), 1.0)


#: PartResult.status words
PART_OPTIMAL, PART_FEASIBLE, PART_GREEDY, PART_NO_PLAN = "optimal", "feasible", "greedy", "unknown"


@dataclass(frozen=True)
class PartResult:
    """How one independent part of the model (counties sharing no constraint) ended.

    `status`: "optimal" (every level proven), "feasible" (CP-SAT's plan, not proven on every level),
    "greedy" (the starting plan was kept: CP-SAT found no plan in time, or none better) or
    "unknown" (no plan obeying the hard rules was found for it). `levels`: level key → "optimal",
    "feasible", "no_solution" (searched, nothing found in time) or "not_reached".
    """

    index: int
    teachers: int
    options: int
    status: str
    levels: dict[str, str] = field(default_factory=dict)

    @property
    def proven(self) -> bool:
        return self.status == PART_OPTIMAL


#: Plan.ended words: the search ran to its end, the time limit cut it, the planner pressed Stop
ENDED_DONE, ENDED_TIME, ENDED_STOPPED = "done", "time_limit", "stopped"


@dataclass
class Plan:
    placements: list[Placement]
    #: "optimal" (every level of every part proven), "feasible", "infeasible", "unknown" (no plan that
    #: obeys the hard rules was found), "greedy" (the starting plan, CP-SAT improved nothing), "edited"
    status: str = "edited"
    levels: list[LevelResult] = field(default_factory=list)
    times: dict[str, float] = field(default_factory=dict)
    #: CP-SAT's word for each level's end, and the candidate count etc., for the log and benchmarks
    stats: dict[str, object] = field(default_factory=dict)
    #: one entry per independent part the solve optimised (a single one when the model was not split)
    parts: list[PartResult] = field(default_factory=list)
    #: "done", "time_limit" or "stopped"; None for a plan no solve made (edited, read back)
    ended: str | None = None

    @property
    def gap(self) -> float | None:
        """The largest gap over the levels: 0 only when every level is proven, None when a level has
        no bound or the plan has no levels at all (nothing is proven about it)."""
        gaps = [level.gap for level in self.levels]
        if not gaps or any(g is None for g in gaps):
            return None
        return max(gaps)

    @property
    def proven(self) -> bool:
        return self.status == "optimal"

    @property
    def greedy_parts(self) -> int:
        """Parts of the model where the starting (greedy) plan was kept."""
        return sum(part.status == PART_GREEDY for part in self.parts)

    def by_teacher(self) -> dict[str, Placement]:
        return {p.teacher_id: p for p in self.placements}
