"""One rule alone, no solver (Timefold's ConstraintVerifier idea): given a case, settings and some
placements, what does THIS rule forbid and what does it charge?

    verify = RuleVerifier("host_capacity", c, settings())
    assert verify.forbids(placed("T1", "R1"), placed("T2", "R1"))
    assert verify.penalty(placed("T1", "R1")) == 0

The placements themselves are the model's options; the rule builds into `Recorder`, a plain
implementation of `rules.builder_api.ModelBuilder` that keeps every row and cost, so choosing a
set of placements can be checked row by row and priced at the rule's level. A filter rule's veto
(`why_not`) counts as forbidding when the rule is hard. `audit` runs the same rule's audit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from scheduler.domain import Case, Settings, Teacher, Term
from scheduler.plan import Placement, Plan
from scheduler.rules import RULE_BY_ID, Rule, Violation
from scheduler.rules.context import Context


class Option(NamedTuple):
    teacher: int
    school: str
    subject: str
    start: int
    terms: int


@dataclass
class Recorder:
    """Every call a rule makes, kept as data (implements ModelBuilder)."""

    ctx: Context
    options: list[Option]
    modes: dict[str, str]
    #: ("at_most" | "exactly" | "at_least", rule id, [(index, coefficient)], bound)
    rows: list[tuple[str, str, list[tuple[int, int]], int]] = field(default_factory=list)
    #: pairs of index lists chosen equally often
    equal: list[tuple[list[int], list[int]]] = field(default_factory=list)
    units: list[list[list[int]]] = field(default_factory=list)
    option_costs: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    constants: int = 0
    #: (indices, least, weight): weight per missing one
    shortfalls: list[tuple[list[int], int, int]] = field(default_factory=list)
    #: (terms, least, weight, per): weight per ⌈(least − Σ) / per⌉ when positive
    scaled_shortfalls: list[tuple[list[tuple[int, int]], int, int, int]] = field(default_factory=list)
    #: (terms, limit, weight): weight once when broken
    soft_rows: list[tuple[list[tuple[int, int]], int, int]] = field(default_factory=list)
    #: key → (terms, least, per) of the shortfall it names
    named: dict = field(default_factory=dict)
    #: (terms, [(key, coefficient)], least) of each `cut`
    cuts: list = field(default_factory=list)

    def mode(self, rule: Rule) -> str:
        return self.modes.get(rule.id, "off")

    def teacher(self, option: Option) -> Teacher:
        return self.ctx.case.teachers[option.teacher]

    def option_args(self, option: Option):
        return self.teacher(option), option.school, option.subject, option.start, option.terms

    def covered(self, option: Option) -> range:
        return range(option.start, option.start + option.terms)

    def position(self, teacher_id: str) -> int:
        return next(i for i, t in enumerate(self.ctx.case.teachers) if t.teacher_id == teacher_id)

    def _index(self, key) -> dict:
        table: dict = defaultdict(list)
        for i, option in enumerate(self.options):
            for k in key(option):
                table[k].append(i)
        return dict(table)

    @property
    def by_teacher(self):
        return self._index(lambda o: [o.teacher])

    @property
    def by_need_cell(self):
        return self._index(lambda o: [(o.school, o.subject, t) for t in self.covered(o)])

    @property
    def by_host_term(self):
        return self._index(lambda o: [(o.school, t) for t in self.covered(o)])

    @property
    def by_home_year(self):
        return self._index(lambda o: [(self.teacher(o).school_id, Term.from_ordinal(o.start).school_year)])

    @property
    def by_pair_year(self):
        return self._index(lambda o: [(frozenset((self.teacher(o).school_id, o.school)),
                                       Term.from_ordinal(o.start).school_year)])

    def at_most(self, rule, terms, limit):
        if terms:
            self.rows.append(("at_most", rule.id, list(terms), limit))

    def forbid(self, rule, indices):
        for i in indices:
            self.rows.append(("at_most", rule.id, [(i, 1)], 0))

    def exactly(self, rule, indices, count):
        self.rows.append(("exactly", rule.id, [(i, 1) for i in indices], count))

    def at_least(self, rule, indices, least):
        self.rows.append(("at_least", rule.id, [(i, 1) for i in indices], least))

    def same_count(self, rule, indices, other):
        self.equal.append((list(indices), list(other)))

    def together(self, rule, groups):
        self.units.append(groups)

    def option_cost(self, rule, index, amount):
        assert rule.level is not None
        self.option_costs[index] += amount

    def option_costs_of(self, rule, costs):
        for index, amount in costs:
            self.option_cost(rule, index, amount)

    def constant(self, rule, amount):
        self.constants += amount

    def shortfall(self, rule, indices, least, weight, key=None):
        self.shortfalls.append((list(indices), least, weight))
        if key is not None:
            self.named[key] = ([(i, 1) for i in indices], least, 1)

    def shortfall_terms(self, rule, terms, least, weight, per=1, key=None):
        self.scaled_shortfalls.append((list(terms), least, weight, per))
        if key is not None:
            self.named[key] = (list(terms), least, per)

    def cut(self, rule, terms, missing, least):
        self.cuts.append((list(terms), list(missing), least))

    def soft_at_most(self, rule, terms, limit, weight):
        self.soft_rows.append((list(terms), limit, weight))

    # --- judging a choice -----------------------------------------------------------------

    def broken_rows(self, chosen: set[int]) -> list[str]:
        broken = []
        for kind, rule_id, terms, bound in self.rows:
            total = sum(c for i, c in terms if i in chosen)
            if (kind == "at_most" and total > bound or kind == "exactly" and total != bound
                    or kind == "at_least" and total < bound):
                broken.append(f"{rule_id}: {kind} {bound}, got {total}")
        for first, other in self.equal:
            if sum(i in chosen for i in first) != sum(i in chosen for i in other):
                broken.append("same count")
        return broken

    def missing(self, key, chosen: set[int]) -> int:
        """The least value of the missing count named `key` when `chosen` are chosen (0 when unnamed)."""
        if key not in self.named:
            return 0
        terms, least, per = self.named[key]
        return max(0, -(-(least - sum(c for i, c in terms if i in chosen)) // per))

    def broken_cuts(self, chosen: set[int]) -> list[str]:
        """The cuts this choice breaks, each missing count at its least: a cut must break none."""
        return [f"cut ≥ {least}" for terms, missing, least in self.cuts
                if sum(c for i, c in terms if i in chosen) + sum(c * self.missing(k, chosen) for k, c in missing) < least]

    def cost(self, chosen: set[int]) -> int:
        total = self.constants + sum(c for i, c in self.option_costs.items() if i in chosen)
        total += sum(max(0, least - sum(i in chosen for i in indices)) * weight
                     for indices, least, weight in self.shortfalls)
        total += sum(max(0, -(-(least - sum(c for i, c in terms if i in chosen)) // per)) * weight
                     for terms, least, weight, per in self.scaled_shortfalls)
        total += sum(weight for terms, limit, weight in self.soft_rows
                     if sum(c for i, c in terms if i in chosen) > limit)
        return total


class RuleVerifier:
    def __init__(self, rule_id: str, case: Case, settings: Settings):
        self.rule = RULE_BY_ID[rule_id]
        self.case, self.settings = case, settings
        self.ctx = Context(case, settings)

    def _options(self, placements: tuple[Placement, ...]) -> list[Option]:
        position = {t.teacher_id: i for i, t in enumerate(self.case.teachers)}
        return [Option(position[p.teacher_id], p.school_id, p.subject, p.start.ordinal, p.terms) for p in placements]

    def model(self, *placements: Placement) -> Recorder:
        """The rule built alone over exactly these placements as the options."""
        recorder = Recorder(self.ctx, self._options(placements), {self.rule.id: self.rule.mode(self.settings)})
        if self.rule.mode(self.settings) != "off":
            self.rule.build(recorder)
        return recorder

    def vetoed(self, *placements: Placement) -> list[Placement]:
        """The placements the rule, as a hard filter, never offers."""
        if not (self.rule.filters and self.rule.mode(self.settings) == "hard"):
            return []
        return [p for p in placements
                if self.rule.why_not(self.ctx, self.case.teacher(p.teacher_id), p.school_id, p.subject, p.start.ordinal,
                                     p.terms)]

    def forbids(self, *placements: Placement) -> bool:
        """Choosing all these placements together breaks the rule as a hard rule."""
        recorder = self.model(*placements)
        return bool(self.vetoed(*placements)) or bool(recorder.broken_rows(set(range(len(placements)))))

    def penalty(self, *placements: Placement, among: tuple[Placement, ...] = ()) -> int:
        """The rule's cost at its level (model units) of choosing `placements`, the model built over
        them and `among` (the other options, left unchosen)."""
        recorder = self.model(*placements, *among)
        return recorder.cost(set(range(len(placements))))

    def audit(self, *placements: Placement) -> list[Violation]:
        return self.rule.audit(self.ctx, Plan(list(placements), status="edited"))
