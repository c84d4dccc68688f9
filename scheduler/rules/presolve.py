"""What the pre-solve diagnosis hands each rule: the case, the options every hard filter rule
allows, and what the rules asked so far have found.

Rules are asked in the diagnosis's order (`explain.diagnosis`): a rule may read what an earlier
one found (`schools_short`) and what every rule says about teachers who must stay home
(`staying_home`) or about the seats a host can offer (`seats`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from .builder_api import OptionLike

if TYPE_CHECKING:
    from .context import Context


class Rule(Protocol):
    """What the pre-solve check asks of every rule while it works (`base.Rule` answers both)."""

    def stays_home(self, pre: PreSolve) -> set[int]: ...
    def seat_limit(self, pre: PreSolve, home: str, school_id: str, starts: int, seats: int) -> int: ...


class PreSolve:
    def __init__(self, ctx: Context, options: Sequence[OptionLike], rules: Sequence[Rule]):
        self.ctx = ctx
        self.options = options
        #: the active rules, in registry order
        self.rules = rules
        #: sending schools that cannot send as many teachers as a hard rule asks (filled as rules report)
        self.schools_short: set[str] = set()
        #: figures a rule computes once per diagnosis, under a key of its own
        self.cache: dict[str, object] = {}

    @cached_property
    def position(self) -> dict[str, int]:
        return {t.teacher_id: i for i, t in enumerate(self.ctx.case.teachers)}

    @cached_property
    def by_teacher(self) -> dict[int, list[OptionLike]]:
        table: dict[int, list[OptionLike]] = defaultdict(list)
        for option in self.options:
            table[option.teacher].append(option)
        return dict(table)

    @cached_property
    def staying_home(self) -> set[int]:
        """Positions of the teachers some rule keeps home whatever the solver does."""
        return set().union(*(rule.stays_home(self) for rule in self.rules))

    def seats(self, home: str, school_id: str, starts: int, seats: int) -> int:
        """`seats` placements from `home` at `school_id` in a school year, bounded by every rule's limit."""
        for rule in self.rules:
            seats = rule.seat_limit(self, home, school_id, starts, seats)
        return seats
