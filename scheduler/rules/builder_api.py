"""The few calls a rule makes to build its part of the model, and to seed the greedy plan.

Rules write to these Protocols, never to the solver: `model.builder.PlanModel` implements
`ModelBuilder` with CP-SAT, `model.greedy` implements `GreedyPlan`, and a test can implement
either with a recorder. A constraint the greedy plan must respect is an `at_most` row (or a
`forbid`); the others (`exactly`, `at_least`, `same_count`) only the solver enforces, and the
rule that adds them places its teachers in `seed` (pins, teams) or leaves it to the solver.
Costs always go to the rule's own `Rule.level`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from ..domain.models import Teacher

if TYPE_CHECKING:
    from .context import Context


class Rule(Protocol):
    """What the builder needs of a rule (`base.Rule` is one): its id for the rows, its level for the costs."""

    @property
    def id(self) -> str: ...
    @property
    def level(self) -> int | None: ...


class OptionLike(Protocol):
    """A possible placement: teacher (position in case.teachers), receiving school, subject, start ordinal,
    and how many terms it lasts (its need's 交流学期数)."""

    @property
    def teacher(self) -> int: ...
    @property
    def school(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def terms(self) -> int: ...


#: (option index, coefficient)
Terms = list[tuple[int, int]]


class ModelBuilder(Protocol):
    """What a rule sees of the model while it builds: the options, a few indexes, and the rows."""

    @property
    def ctx(self) -> Context: ...
    @property
    def options(self) -> Sequence[OptionLike]: ...

    def mode(self, rule: Rule) -> str: ...
    def teacher(self, option: OptionLike) -> Teacher: ...
    def option_args(self, option: OptionLike) -> tuple[Teacher, str, str, int, int]:
        """What `Rule.why_not` asks of an option: teacher, school, subject, start, terms."""
        ...
    def covered(self, option: OptionLike) -> range:
        """The term ordinals the option covers: its own length from its start."""
        ...
    def position(self, teacher_id: str) -> int:
        """The teacher's position in case.teachers (the key of `by_teacher`)."""
        ...

    # --- indexes, computed once (option indices) ------------------------------------------
    @property
    def by_teacher(self) -> Mapping[int, list[int]]: ...
    @property
    def by_need_cell(self) -> Mapping[tuple[str, str, int], list[int]]:
        """(school, subject, term) → options that cover that term there."""
        ...
    @property
    def by_host_term(self) -> Mapping[tuple[str, int], list[int]]: ...
    @property
    def by_home_year(self) -> Mapping[tuple[str, int], list[int]]:
        """(sending school, school year of the start) → options."""
        ...
    @property
    def by_pair_year(self) -> Mapping[tuple[frozenset[str], int], list[int]]:
        """(the two schools, school year of the start) → options between them, either direction."""
        ...

    # --- hard rows ------------------------------------------------------------------------
    def at_most(self, rule: Rule, terms: Terms, limit: int) -> None:
        """Σ coefficient × option ≤ limit; the greedy plan obeys it too."""
        ...
    def forbid(self, rule: Rule, indices: list[int]) -> None:
        """None of these options is chosen; the greedy plan obeys it too."""
        ...
    def exactly(self, rule: Rule, indices: list[int], count: int) -> None:
        """Exactly `count` of these options are chosen (none allowed and count > 0: no plan exists)."""
        ...
    def at_least(self, rule: Rule, indices: list[int], least: int) -> None: ...
    def same_count(self, rule: Rule, indices: list[int], other: list[int]) -> None:
        """As many of `other` as of `indices` are chosen."""
        ...
    def together(self, rule: Rule, groups: list[list[int]]) -> None:
        """One option of each group or none: a unit the greedy plan places as a whole."""
        ...
    @property
    def units(self) -> list[list[list[int]]]:
        """Every group list registered with `together`."""
        ...

    # --- goals, at the rule's level -------------------------------------------------------
    def option_cost(self, rule: Rule, index: int, amount: int) -> None: ...
    def option_costs_of(self, rule: Rule, costs: Iterable[tuple[int, int]]) -> None:
        """`option_cost` for each (option index, amount): one call for a rule that prices every option."""
        ...
    def constant(self, rule: Rule, amount: int) -> None: ...
    def shortfall(self, rule: Rule, indices: list[int], least: int, weight: int, key: Hashable | None = None
                  ) -> None:
        """Fewer than `least` of these options chosen costs `weight` per missing one. `key` names the
        number missing, for a `cut`."""
        ...
    def shortfall_terms(self, rule: Rule, terms: Terms, least: int, weight: int, per: int = 1,
                        key: Hashable | None = None) -> None:
        """`weight` per `per` (rounded up) by which Σ coefficient × option falls short of `least`: an
        integer `missing` ≥ 0 with per × missing + Σ ≥ least, so missing = max(0, ⌈(least − Σ) / per⌉).
        A share of a count that is itself chosen (⌈p/q × rotated⌉ − backbone) is one: coefficients
        q − p and −p, least 0, per q. With every coefficient 1 and per 1 it is `shortfall`. `key` names
        `missing`, for a `cut` (none is made, and the key counts 0, where Σ can never fall short)."""
        ...
    def cut(self, rule: Rule, terms: Terms, missing: list[tuple[Hashable, int]], least: int) -> None:
        """Σ coefficient × option + Σ coefficient × the missing count named `key` ≥ least: a row every
        whole-number plan obeys already, which the LP relaxation (the solver's bound, the LP guide)
        would not know. It changes no plan's value, only how fast the optimum is proven."""
        ...
    def soft_at_most(self, rule: Rule, terms: Terms, limit: int, weight: int) -> None:
        """Σ coefficient × option ≤ limit, or `weight` once when it is broken."""
        ...


class GreedyPlan(Protocol):
    """The greedy starting plan a rule may seed (pins, teams, the quota, the need), in registry order."""

    #: positions of teachers only a unit step may place (the steps after it leave them alone)
    held: set[int]

    def take(self, indices: list[int]) -> bool:
        """Choose these options together if every row still holds and none of their teachers is placed."""
        ...
    def rank(self, index: int) -> tuple:
        """Sort key: most need filled first, then the cheapest at the lower levels."""
        ...
    def ranked(self, indices: Iterable[int]) -> list[int]:
        """These options in `rank` order (sorted as arrays: a city in 优先 has 2.2 million)."""
        ...
    def value(self, index: int) -> int:
        """The weighted need the option fills (0 when none)."""
        ...
