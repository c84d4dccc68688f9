"""The CP-SAT model of a case: one Boolean per option, the rules' constraints, and one
objective expression per priority level.

`PlanModel` implements the rules' `ModelBuilder` (rules/builder_api.py): rules never see CP-SAT.
Options are indexed once up front (by teacher, by need cell, by host and term, ...): filtering
every option for every constraint would grow quadratically with the roster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from ..domain.models import Teacher
from ..domain.terms import Term
from ..rules.base import Rule
from ..rules.context import Context
from ..rules.levels import by_priority
from .linear import add_row
from .options import Option


def _arrays(terms: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(option indices, coefficients) of a row's terms, as arrays: a city in 优先 has 16.6 million terms,
    which as tuples in lists held about 1 GB."""
    count = len(terms)
    return (np.fromiter((i for i, _ in terms), dtype=np.int64, count=count),
            np.fromiter((c for _, c in terms), dtype=np.int64, count=count))


class _Terms:
    """A row's terms kept as arrays (`options`, `coefficients`), read back as (option, coefficient)."""

    options: np.ndarray
    coefficients: np.ndarray

    @property
    def terms(self) -> list[tuple[int, int]]:
        return list(zip(self.options.tolist(), self.coefficients.tolist()))


@dataclass
class Row(_Terms):
    """A linear "at most" row over option variables, kept so the greedy plan can respect it too."""

    rule: str
    options: np.ndarray  # option indices
    coefficients: np.ndarray
    limit: int

    @classmethod
    def of(cls, rule: str, terms: Sequence[tuple[int, int]], limit: int) -> Row:
        return cls(rule, *_arrays(terms), limit)


@dataclass
class ShortfallRow(_Terms):
    """A `shortfall_terms` cost: per × missing + Σ coefficient × option ≥ least, kept so completing a
    plan (`greedy.fill`) can leave out an option that would raise it."""

    rule: str
    options: np.ndarray
    coefficients: np.ndarray
    least: int
    per: int

    @classmethod
    def of(cls, rule: str, terms: Sequence[tuple[int, int]], least: int, per: int) -> ShortfallRow:
        return cls(rule, *_arrays(terms), least, per)

    def missing(self, total: int) -> int:
        """The whole shortfall at Σ = total: max(0, ⌈(least − total) / per⌉)."""
        return max(0, -(-(self.least - total) // self.per))


class _OptionColumns:
    """The options as arrays (teacher, host and home school codes, subject code, start's school year) and
    each (option, term it covers) pair: the indexes are grouped from them with numpy, not a Python
    loop over 2.2 million options (a city in 优先)."""

    def __init__(self, model: PlanModel):
        options, teachers = model.options, model.ctx.case.teachers
        count = len(options)

        def column(field: int, kind: type = np.int64) -> np.ndarray:
            return np.fromiter(map(itemgetter(field), options), dtype=kind, count=count)

        self.index = np.arange(count, dtype=np.int64)
        self.teacher = column(0)
        school, subject = column(1, object), column(2, object)
        school_codes, school_names = pd.factorize(school)  # pandas' hash table: no Python loop per option
        subject_codes, subject_names = pd.factorize(subject)
        self.schools = sorted({s.school_id for s in model.ctx.case.schools} | set(school_names)
                              | {t.school_id for t in teachers})
        code = {name: n for n, name in enumerate(self.schools)}
        self.school = _recoded(school_codes, school_names, code)
        homes = np.array([code[t.school_id] for t in teachers], dtype=np.int64)
        self.home = homes[self.teacher]
        self.subjects = sorted(subject_names)
        self.subject = _recoded(subject_codes, subject_names, {name: n for n, name in enumerate(self.subjects)})
        self.start, self.terms = column(3), column(4)
        first = int(self.start.min()) if count else 0
        years = np.array([Term.from_ordinal(o).school_year for o in range(first, int(self.start.max()) + 1)]
                         if count else [], dtype=np.int64)
        self.year = years[self.start - first] if count else self.start

    @cached_property
    def covering(self) -> tuple[np.ndarray, np.ndarray]:
        """(option, term ordinal) for every term each option covers, in option order."""
        index = np.repeat(self.index, self.terms)
        first = np.repeat(np.cumsum(self.terms) - self.terms, self.terms)
        return index, self.start[index] + np.arange(len(index), dtype=np.int64) - first


def _recoded(codes: np.ndarray, names: Sequence[str], code: dict[str, int]) -> np.ndarray:
    """`pd.factorize`'s codes (by first appearance) as codes in `code` (by name)."""
    return np.array([code[name] for name in names], dtype=np.int64)[codes] if len(codes) else codes.astype(np.int64)


def _groups(keys: list[np.ndarray], members: np.ndarray) -> list[tuple[tuple[int, ...], list[int]]]:
    """The members grouped by equal keys (one array of small non-negative codes per key part, all as
    long as `members`): each key with its members in their order, the keys in the order they first
    appear, as a loop appending to a dict of lists gives them."""
    if not len(members):
        return []
    combined = np.zeros(len(members), dtype=np.int64)
    spans = [int(key.max()) + 1 for key in keys]
    for key, span in zip(keys, spans):
        combined = combined * span + key
    order = np.argsort(combined, kind="stable")  # equal keys keep their order
    ordered = combined[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    bounds = np.append(starts, len(order)).tolist()
    grouped = members[order].tolist()
    parts = []
    rest = ordered[starts]
    for span in reversed(spans):
        rest, part = np.divmod(rest, span)
        parts.append(part.tolist())
    heads = list(zip(*reversed(parts)))
    first_seen = np.argsort(order[starts], kind="stable").tolist()
    return [(heads[g], grouped[bounds[g]:bounds[g + 1]]) for g in first_seen]


class PlanModel:
    def __init__(self, ctx: Context, options: list[Option], modes: dict[str, str]):
        self.ctx = ctx
        self.options = options
        self.modes = modes
        self.model = cp_model.CpModel()
        # Unnamed, straight from the proto: `new_bool_var` names each one too, which doubled the time
        # (2.2 million options in a city in 优先: 7.6 s against 4.1 s).
        boolean = cp_model.Domain(0, 1)
        self.x = [cp_model.IntVar(self.model.proto).with_domain(boolean) for _ in options]
        assert not self.x or self.x[-1].index == len(self.x) - 1  # option i is variable i
        self.rows: list[Row] = []
        #: level → option index → cost (costs add up when several rules charge one option)
        self.option_costs: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        #: level → (auxiliary variable, cost)
        self.aux_costs: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        #: level → constant part of the objective (e.g. the total weighted need)
        self.constants: dict[int, int] = defaultdict(int)
        #: every `shortfall_terms` cost, for `greedy.fill`
        self.shortfall_rows: list[ShortfallRow] = []
        #: option groups that must be chosen together (teams), for the greedy plan
        self.units: list[list[list[int]]] = []
        #: the missing counts rules named, for their `cut`s
        self.missing: dict[Hashable, cp_model.IntVar] = {}

    def mode(self, rule: Rule) -> str:
        return self.modes.get(rule.id, "off")

    def teacher(self, option: Option) -> Teacher:
        return self.ctx.case.teachers[option.teacher]

    def option_args(self, option: Option) -> tuple[Teacher, str, str, int, int]:
        return self.teacher(option), option.school, option.subject, option.start, option.terms

    def covered(self, option: Option) -> range:
        return range(option.start, option.start + option.terms)

    def position(self, teacher_id: str) -> int:
        return self._positions[teacher_id]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {t.teacher_id: i for i, t in enumerate(self.ctx.case.teachers)}

    # --- indexes ------------------------------------------------------------------------

    @cached_property
    def _columns(self) -> _OptionColumns:
        return _OptionColumns(self)

    def built(self) -> None:
        """Every rule has built its part: the options' arrays go (a city in 优先: about 270 MB); the
        indexes made from them stay, and one asked for later is made from arrays made again."""
        self.__dict__.pop("_columns", None)

    @cached_property
    def by_teacher(self) -> dict[int, list[int]]:
        c = self._columns
        return {teacher: members for (teacher,), members in _groups([c.teacher], c.index)}

    @cached_property
    def by_need_cell(self) -> dict[tuple[str, str, int], list[int]]:
        """(school, subject, term) → options that cover that term there."""
        c = self._columns
        index, ordinal = c.covering
        return {(c.schools[school], c.subjects[subject], term): members for (school, subject, term), members
                in _groups([c.school[index], c.subject[index], ordinal], index)}

    @cached_property
    def by_host_term(self) -> dict[tuple[str, int], list[int]]:
        c = self._columns
        index, ordinal = c.covering
        return {(c.schools[school], term): members
                for (school, term), members in _groups([c.school[index], ordinal], index)}

    @cached_property
    def by_home_year(self) -> dict[tuple[str, int], list[int]]:
        """(sending school, school year of the start) → options."""
        c = self._columns
        return {(c.schools[home], year): members for (home, year), members in _groups([c.home, c.year], c.index)}

    @cached_property
    def by_pair_year(self) -> dict[tuple[frozenset[str], int], list[int]]:
        """(the two schools, school year of the start) → options between them, either direction."""
        c = self._columns
        low, high = np.minimum(c.home, c.school), np.maximum(c.home, c.school)
        return {(frozenset((c.schools[a], c.schools[b])), year): members
                for (a, b, year), members in _groups([low, high, c.year], c.index)}

    # --- building -----------------------------------------------------------------------

    def sum(self, indices: list[int]) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum([self.x[i] for i in indices])

    def at_most(self, rule: Rule, terms: list[tuple[int, int]], limit: int) -> None:
        """Σ coefficient × option ≤ limit, in the model and in the rows the greedy plan obeys."""
        if not terms:
            return
        # Option i is variable i (they are made first); an expression through the wrapper took 1 s of
        # Datong ×2's build in 优先 (16.6 million terms at ×7).
        kept = Row.of(rule.id, terms, limit)
        add_row(self.model, kept.options, kept.coefficients, cp_model.INT_MIN, limit)
        self.rows.append(kept)

    def forbid(self, rule: Rule, indices: list[int]) -> None:
        for i in indices:
            self.model.add(self.x[i] == 0)
            self.rows.append(Row.of(rule.id, [(i, 1)], 0))

    def exactly(self, rule: Rule, indices: list[int], count: int) -> None:
        self.model.add(self.sum(indices) == count)

    def at_least(self, rule: Rule, indices: list[int], least: int) -> None:
        self.model.add(self.sum(indices) >= least)

    def same_count(self, rule: Rule, indices: list[int], other: list[int]) -> None:
        self.model.add(self.sum(other) == self.sum(indices))

    def together(self, rule: Rule, groups: list[list[int]]) -> None:
        self.units.append(groups)

    def _level(self, rule: Rule) -> int:
        if rule.level is None:
            raise ValueError(f"rule {rule.id} has costs but no level")
        return rule.level

    def option_cost(self, rule: Rule, index: int, amount: int) -> None:
        self.option_costs[self._level(rule)][index] += amount

    def option_costs_of(self, rule: Rule, costs: Iterable[tuple[int, int]]) -> None:
        table = self.option_costs[self._level(rule)]
        for index, amount in costs:
            table[index] += amount

    def constant(self, rule: Rule, amount: int) -> None:
        self.constants[self._level(rule)] += amount

    def shortfall(self, rule: Rule, indices: list[int], least: int, weight: int, key: Hashable | None = None
                  ) -> None:
        missing = self.model.new_int_var(0, max(least, 0), "")
        self.model.add(missing >= least - self.sum(indices))
        self.aux_costs[self._level(rule)].append((missing, weight))
        if key is not None:
            self.missing[key] = missing

    def shortfall_terms(self, rule: Rule, terms: list[tuple[int, int]], least: int, weight: int, per: int = 1,
                        key: Hashable | None = None) -> None:
        """per × missing + Σ coefficient × option ≥ least, missing ≥ 0 an integer costing `weight` each."""
        if per < 1:
            raise ValueError(f"rule {rule.id}: per must be at least 1, not {per}")
        lowest = sum(c for _, c in terms if c < 0)
        most = max(0, -(-(least - lowest) // per))
        if most == 0:
            return  # Σ can never fall short of least
        missing = self.model.new_int_var(0, most, "")
        expr = cp_model.LinearExpr.weighted_sum([self.x[i] for i, _ in terms], [c for _, c in terms])
        self.model.add(per * missing + expr >= least)
        self.aux_costs[self._level(rule)].append((missing, weight))
        self.shortfall_rows.append(ShortfallRow.of(rule.id, terms, least, per))
        if key is not None:
            self.missing[key] = missing

    def cut(self, rule: Rule, terms: list[tuple[int, int]], missing: list[tuple[Hashable, int]], least: int) -> None:
        """A row in the CP-SAT model only: every plan obeys it, so the greedy plan need not check it."""
        named = [(self.missing[key], c) for key, c in missing if key in self.missing]
        expr = cp_model.LinearExpr.weighted_sum([self.x[i] for i, _ in terms] + [var for var, _ in named],
                                                [c for _, c in terms] + [c for _, c in named])
        self.model.add(expr >= least)

    def soft_at_most(self, rule: Rule, terms: list[tuple[int, int]], limit: int, weight: int) -> None:
        broken = self.model.new_bool_var("")
        self.model.add(sum(self.x[i] * c if c != 1 else self.x[i] for i, c in terms) <= limit + broken)
        self.aux_costs[self._level(rule)].append((broken, weight))

    def objective(self, level: int) -> cp_model.LinearExpr:
        costs = self.option_costs.get(level, {})
        variables = [self.x[i] for i in costs] + [var for var, _ in self.aux_costs.get(level, [])]
        coefficients = list(costs.values()) + [amount for _, amount in self.aux_costs.get(level, [])]
        return cp_model.LinearExpr.weighted_sum(variables, coefficients) + self.constants.get(level, 0)

    def levels(self) -> list[int]:
        # A level with only a constant (the need when no option can fill it) is still solved, and with
        # every goal off the (empty) last level is: CP-SAT must always check the hard rules (a pin no
        # rule allows, a hard quota, a team), which the greedy plan alone does not guarantee.
        return by_priority(set(self.option_costs) | set(self.aux_costs) | set(self.constants)) or [4]


def level_terms(model: PlanModel) -> dict[int, dict[int, int]]:
    """level → global variable index → coefficient (constants excluded)."""
    table: dict[int, dict[int, int]] = {}
    for level in model.levels():
        terms: dict[int, int] = defaultdict(int, model.option_costs.get(level, {}))  # option i is variable i
        for var, cost in model.aux_costs.get(level, []):
            terms[var.index] += cost
        table[level] = {v: c for v, c in terms.items() if c}
    return table
