"""Placements and plans.

A placement sends one teacher to one receiving school for `terms` consecutive terms from
`start`, filling a need of `subject`. A plan also remembers how the solver ended, so a
planner can tell a proven-optimal plan from a good one.
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

    def covers(self, term: Term) -> bool:
        return term.ordinal in self.ordinals


@dataclass(frozen=True)
class LevelResult:
    """One priority level of the lexicographic objective: its value in the plan and the best bound."""

    key: str
    zh: str
    en: str
    value: float
    bound: float

    @property
    def gap(self) -> float:
        """Relative distance to the bound (0 when proven optimal)."""
        if abs(self.value - self.bound) < 1e-9:
            return 0.0
        return abs(self.value - self.bound) / max(abs(self.value), 1.0)


@dataclass
class Plan:
    placements: list[Placement]
    #: "optimal", "feasible", "infeasible", "unknown", "greedy" (the hint), "edited" (by hand)
    status: str = "edited"
    levels: list[LevelResult] = field(default_factory=list)
    times: dict[str, float] = field(default_factory=dict)
    #: CP-SAT's word for each level's end, and the candidate count etc., for the log and benchmarks
    stats: dict[str, object] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """The largest gap over the levels: the plan is proven optimal when it is 0."""
        return max((level.gap for level in self.levels), default=0.0)

    def by_teacher(self) -> dict[str, Placement]:
        return {p.teacher_id: p for p in self.placements}

    @property
    def is_solution(self) -> bool:
        return self.status in ("optimal", "feasible", "greedy", "edited")
