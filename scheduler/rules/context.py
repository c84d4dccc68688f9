"""Everything the rules read about a case, computed once: horizon, need table, links, pins.

Rules, the option enumeration, the greedy plan and the audit all read this one object, so
"what is the need of 音乐 at 乡村小学 in 2027春" has a single answer. What a rule decides (who is
eligible) lives in the rule's file; the context only caches it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain.enums import PinAction
from ..domain.models import Case, Demand, Pin, School, Teacher
from ..domain.settings import Settings
from ..domain.subjects import ARTS
from ..domain.terms import Term
from .levels import WEIGHT_SCALE  # need weights are multiplied by this and rounded

if TYPE_CHECKING:
    from ..plan import Plan

T = TypeVar("T")

#: The eligibility rule's own test (rules/eligibility.py registers it when the rules package loads).
#: The context is below the rules it serves, so it may not import one: the rule hands its test down.
_ELIGIBILITY: list[Callable[["Context", Teacher], bool]] = []


def register_eligibility(test: Callable[["Context", Teacher], bool]) -> None:
    _ELIGIBILITY[:] = [test]


class Context:
    def __init__(self, case: Case, settings: Settings, published: Plan | None = None):
        self.case = case
        self.settings = settings
        #: the plan published before this re-plan (`replan`), whose placements are kept where they
        #: may be (rules/keep_published.py); None for a plan made from scratch. Data, like the case.
        self.published = published
        #: the 交流学期数 setting: how long a placement on a need without its own 交流学期数 lasts
        self.length = self.settings.placement_terms
        self._kept: dict[Hashable, Any] = {}

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """What a rule works out once for the case and asks again per teacher (`make()` the first time)."""
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]

    # --- time ---------------------------------------------------------------------------

    @cached_property
    def horizon(self) -> tuple[int, int]:
        """First and last term ordinal a placement may cover (default: the span of the needs)."""
        first, last = self.settings.horizon_from, self.settings.horizon_to
        if first is None:
            first = min((d.from_term for d in self.case.demands), default=None)
        if last is None:
            last = max((d.to_term for d in self.case.demands), default=None)
        if first is None or last is None:
            return (0, -1)
        return first.ordinal, last.ordinal

    def demand_terms(self, demand: Demand) -> int:
        """How many terms a placement on this need lasts: its 交流学期数, else the setting."""
        return demand.terms or self.length

    @cached_property
    def lengths(self) -> list[int]:
        """The placement lengths the needs ask for (the setting's alone when there is no need)."""
        return sorted({self.demand_terms(d) for d in self.case.demands}) or [self.length]

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """Every (start ordinal, terms) of a length some need asks for whose whole placement lies
        inside the horizon, by start."""
        first, last = self.horizon
        return sorted((start, terms) for terms in self.lengths for start in range(first, last - terms + 2))

    @cached_property
    def starts(self) -> list[int]:
        """Every start ordinal of a placement that lies inside the horizon (of any need's length)."""
        return sorted({start for start, _ in self.spans})

    @cached_property
    def school_years(self) -> list[int]:
        """The school years in which placements can start: the quota applies to each."""
        return sorted({Term.from_ordinal(o).school_year for o in self.starts})

    @cached_property
    def first_school_year(self) -> int | None:
        """The school year of the horizon's first term, None when the case has no horizon."""
        first, last = self.horizon
        return Term.from_ordinal(first).school_year if first <= last else None

    @cached_property
    def reference_date(self) -> date:
        """Ages and years are counted at the start of the horizon."""
        first = Term.from_ordinal(self.horizon[0]) if self.starts else None
        if first is None:
            return date.today()
        return date(first.year, 9, 1) if first.season == "fall" else date(first.year, 2, 20)

    # --- need ---------------------------------------------------------------------------

    @cached_property
    def need(self) -> dict[tuple[str, str, int], int]:
        """(school, subject, term ordinal) → teachers needed at once, summed over the need rows."""
        table: dict[tuple[str, str, int], int] = defaultdict(int)
        for demand in self.case.demands:
            for ordinal in range(demand.from_term.ordinal, demand.to_term.ordinal + 1):
                table[(demand.school_id, demand.subject, ordinal)] += demand.count
        return dict(table)

    @cached_property
    def need_weight(self) -> dict[tuple[str, str, int], int]:
        """Weight of one unfilled teacher-term: school priority × need priority × the 音体美 weight."""
        weights: dict[tuple[str, str, int], float] = {}
        for demand in self.case.demands:
            school = self.case.school(demand.school_id)
            weight = school.priority * demand.priority
            if demand.subject in ARTS:
                weight *= self.settings.arts_weight
            for ordinal in range(demand.from_term.ordinal, demand.to_term.ordinal + 1):
                key = (demand.school_id, demand.subject, ordinal)
                weights[key] = max(weights.get(key, 0.0), weight)
        return {key: int(round(w * WEIGHT_SCALE)) for key, w in weights.items()}

    @cached_property
    def need_lengths(self) -> dict[tuple[str, str, int], set[int]]:
        """(school, subject, term ordinal) → the placement lengths the need rows of that term ask for."""
        table: dict[tuple[str, str, int], set[int]] = defaultdict(set)
        for demand in self.case.demands:
            if demand.count <= 0:
                continue
            for ordinal in range(demand.from_term.ordinal, demand.to_term.ordinal + 1):
                table[(demand.school_id, demand.subject, ordinal)].add(self.demand_terms(demand))
        return dict(table)

    @cached_property
    def need_spans(self) -> dict[tuple[str, str], list[tuple[int, int]]]:
        """(school, subject) → the (start, terms) a placement there may take: every term it covers
        has a need of that length (a one-term 支教 row offers one-term placements, a 4-term row
        four-term ones; rows of one length next to each other make one window)."""
        table: dict[tuple[str, str], list[tuple[int, int]]] = {}
        lengths = self.need_lengths
        pairs = {(school, subject) for school, subject, _ in lengths}
        for school, subject in sorted(pairs):
            ok = [(start, terms) for start, terms in self.spans
                  if all(terms in lengths.get((school, subject, o), ()) for o in range(start, start + terms))]
            if ok:
                table[(school, subject)] = ok
        return table

    @cached_property
    def schools_needing(self) -> dict[str, set[str]]:
        """subject → receiving schools with a placeable need of it."""
        table: dict[str, set[str]] = defaultdict(set)
        for school, subject in self.need_spans:
            table[subject].add(school)
        return dict(table)

    @cached_property
    def _demands_by_cell(self) -> dict[tuple[str, str], list[Demand]]:
        table: dict[tuple[str, str], list[Demand]] = defaultdict(list)
        for demand in self.case.demands:
            table[(demand.school_id, demand.subject)].append(demand)
        return dict(table)

    def demand_at(self, school_id: str, subject: str, start: int, terms: int | None = None) -> Demand | None:
        """The need row a placement from `start` fills: the first (in sheet order) whose window holds
        the start, of the placement's length when one has it, else of any length; None when none."""
        rows = [d for d in self._demands_by_cell.get((school_id, subject), ())
                if d.from_term.ordinal <= start <= d.to_term.ordinal]
        if terms is not None:
            rows = [d for d in rows if self.demand_terms(d) == terms] or rows
        else:  # a row whose whole placement fits its window first
            rows = sorted(rows, key=lambda d: start + self.demand_terms(d) - 1 > d.to_term.ordinal)
        return rows[0] if rows else None

    def length_at(self, school_id: str, subject: str, start: int) -> int:
        """How long a placement from `start` lasts when nothing says so: its need row's length, else the setting."""
        demand = self.demand_at(school_id, subject, start)
        return self.length if demand is None else self.demand_terms(demand)

    def form_of(self, school_id: str, subject: str, start: int, terms: int) -> str:
        """The 交流方式 of the need a placement fills ("" when the need names none)."""
        demand = self.demand_at(school_id, subject, start, terms)
        return (demand.form or "") if demand is not None else ""

    # --- schools and links --------------------------------------------------------------

    @cached_property
    def partners(self) -> dict[str, set[str]]:
        """school → schools it is linked with, in either direction."""
        table: dict[str, set[str]] = defaultdict(set)
        for link in self.case.links:
            table[link.lead_school_id].add(link.member_school_id)
            table[link.member_school_id].add(link.lead_school_id)
        return dict(table)

    @cached_property
    def link_program(self) -> dict[frozenset[str], str]:
        """The program of the (first) link between two schools."""
        table: dict[frozenset[str], str] = {}
        for link in self.case.links:
            table.setdefault(frozenset((link.lead_school_id, link.member_school_id)), link.program)
        return table

    def linked(self, a: str, b: str) -> bool:
        return b in self.partners.get(a, ())

    def home(self, teacher: Teacher) -> School:
        return self.case.home_school(teacher)

    def is_sending(self, school: School) -> bool:
        return school.locality in self.settings.sending_localities

    @cached_property
    def sending_schools(self) -> list[School]:
        return [s for s in self.case.schools if self.is_sending(s)]

    # --- teachers -----------------------------------------------------------------------

    def eligible(self, teacher: Teacher) -> bool:
        """In the quota's base (符合交流条件), as the eligibility rule defines it."""
        return _ELIGIBILITY[0](self, teacher)

    @cached_property
    def eligible_by_school(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for teacher in self.case.teachers:
            if self.eligible(teacher):
                counts[teacher.school_id] += 1
        return dict(counts)

    @cached_property
    def teams(self) -> dict[str, list[Teacher]]:
        table: dict[str, list[Teacher]] = defaultdict(list)
        for teacher in self.case.teachers:
            if teacher.team_id:
                table[teacher.team_id].append(teacher)
        return {team: members for team, members in table.items() if len(members) > 1}

    @cached_property
    def couples(self) -> list[tuple[Teacher, Teacher]]:
        """Each pair of spouses once (a one-sided entry still makes a pair)."""
        pairs: dict[frozenset[str], tuple[Teacher, Teacher]] = {}
        for teacher in self.case.teachers:
            spouse = self.case.spouse(teacher)
            if spouse is not None and spouse.teacher_id != teacher.teacher_id:
                key = frozenset((teacher.teacher_id, spouse.teacher_id))
                pairs.setdefault(key, (teacher, spouse))
        return list(pairs.values())

    # --- pins ---------------------------------------------------------------------------

    def _pins(self, action: PinAction) -> list[Pin]:
        return [p for p in self.case.pins if p.action is action]

    @cached_property
    def pinned(self) -> dict[str, Pin]:
        return {p.teacher_id: p for p in self._pins(PinAction.PIN)}

    @cached_property
    def forbidden(self) -> dict[str, set[str]]:
        table: dict[str, set[str]] = defaultdict(set)
        for pin in self._pins(PinAction.FORBID):
            table[pin.teacher_id].add(pin.school_id or "")
        return dict(table)

    @cached_property
    def excluded(self) -> dict[str, str]:
        """Teachers the planner keeps home → the reason given (a withdrawal's 原因, else "")."""
        table: dict[str, str] = {}
        for pin in self._pins(PinAction.EXCLUDE):
            table[pin.teacher_id] = table.get(pin.teacher_id) or pin.extra.get("原因", "")
        return table

    # --- names for messages -------------------------------------------------------------

    def school_name(self, school_id: str) -> str:
        return self.case.school(school_id).name if self.case.has_school(school_id) else school_id

    def teacher_name(self, teacher_id: str) -> str:
        if not self.case.has_teacher(teacher_id):
            return teacher_id
        return f"{self.case.teacher(teacher_id).name}（{teacher_id}）"


def term_label(ordinal: int, lang: str = "zh") -> str:
    return Term.from_ordinal(ordinal).label(lang)
