"""A later school year of a sample county: last year's case moved on, last year's plan as its 交流记录.

What changes between two school years of one bureau, and nothing else: the horizon moves on by
whole school years; every teacher is that much older and longer at their school; whoever reaches
60 retires (their spouse stays, now without one in the roster); a pregnancy last year is
breastfeeding this year, breastfeeding is over; a few new leaves and near-retirement exemptions
are drawn from this year's seed. Schools, links and needs stay (a shortage does not go away in a
year: the needs move on with the horizon), and the placements of last year's plan that started
before this year become the history. One that is still running when this year starts keeps its
teacher at the host school: a 禁止交流 pin says the teacher is not free to go again.
"""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING

from scheduler.domain import Case, Gender, Pin, PinAction, Teacher, Term, settings_from
from scheduler.domain.models import Exchange
from scheduler.plan import Plan

if TYPE_CHECKING:
    from .scenario import Scenario, TeacherMix

#: retirement age used for the roster of a later year
RETIREMENT_AGE = 60


def _start_day(term: Term) -> date:
    return date(term.year, 9, 1) if term.season == "fall" else date(term.year, 2, 20)


def _age(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def history_rows(earlier: Case, plan: Plan, first: Term, form: str) -> list[Exchange]:
    """Last year's placements that started before `first`, as 交流记录 rows (teacher order)."""
    rows = []
    for placement in sorted(plan.placements, key=lambda p: (p.teacher_id, p.start.ordinal)):
        if placement.start.ordinal >= first.ordinal:
            continue  # planned for this year: it is planned again
        host = earlier.school(placement.school_id)
        rows.append(Exchange(teacher_id=placement.teacher_id, host_school_id=host.school_id,
                             host_school=host.name, from_term=placement.start, to_term=placement.end,
                             terms=placement.terms, form=form or None, extra={}))
    return rows


def next_year_case(earlier: Case, plan: Plan, scenario: "Scenario") -> Case:
    """The case of `scenario` (a `[previous]` seed) from the earlier case and the plan it was given."""
    before = settings_from(earlier.settings)
    info = scenario.scenario
    first = info.first_term
    if before.horizon_from is None:
        raise ValueError("the earlier case names no first term")
    shift = first.ordinal - before.horizon_from.ordinal
    if shift <= 0 or shift % 2:
        raise ValueError(f"{first.label()} must lie whole school years after {before.horizon_from.label()}")
    years = shift // 2
    terms = [first.shift(i) for i in range(info.horizon_terms)]
    day = _start_day(first)
    rng = random.Random(info.seed)
    mix = scenario.teachers

    retired = {t.teacher_id for t in earlier.teachers if (_age(t.birth_date, day) or 0) >= RETIREMENT_AGE}
    rows = [row for row in history_rows(earlier, plan, first, scenario.previous.form) if row.teacher_id not in retired]
    away = sorted({row.teacher_id for row in rows if row.to_term.ordinal >= first.ordinal})
    gone = {row.teacher_id for row in rows}

    def moved(term: Term | None) -> Term | None:
        return None if term is None else term.shift(shift)

    teachers = []
    for teacher in earlier.teachers:
        if teacher.teacher_id in retired:
            continue
        age = _age(teacher.birth_date, day)
        teachers.append(teacher.model_copy(update={
            "years_at_school": teacher.years_at_school + years,
            "spouse_id": None if teacher.spouse_id in retired else teacher.spouse_id,
            "available_from": moved(teacher.available_from), "available_to": moved(teacher.available_to),
            "exemption": _exemption(rng, teacher, age, years, mix),
        }))

    low, high = terms[0].ordinal, terms[-1].ordinal
    demands = []
    for demand in earlier.demands:
        start = max(low, demand.from_term.ordinal + shift)
        end = min(high, demand.to_term.ordinal + shift)
        if start <= end:
            demands.append(demand.model_copy(update={"from_term": Term.from_ordinal(start),
                                                     "to_term": Term.from_ordinal(end)}))
    pins = [pin.model_copy(update={"start_term": moved(pin.start_term)}) for pin in earlier.pins
            if pin.teacher_id not in retired and pin.teacher_id not in gone]
    pins += [Pin(teacher_id=teacher_id, action=PinAction.EXCLUDE, extra={}) for teacher_id in away]
    settings = {**earlier.settings, "horizon_from": terms[0].label(), "horizon_to": terms[-1].label(),
                **scenario.settings}
    return Case(teachers=teachers, schools=earlier.schools, links=earlier.links, demands=demands,
                pins=pins, settings=settings, history=rows)


def _exemption(rng: random.Random, teacher: Teacher, age: int | None, years: int, mix: "TeacherMix") -> str | None:
    """Last year's exemption a year on, or a new one drawn with this scenario's shares."""
    if teacher.exemption == "怀孕":
        return "哺乳期"
    if teacher.exemption == "哺乳期":
        return None
    if teacher.exemption:
        return teacher.exemption
    roll = rng.random()  # one draw per teacher, in roster order: the same case every time
    if age is not None and 57 <= age < 57 + years and roll < mix.near_retirement:
        return "距退休不足3年"
    if teacher.gender is Gender.FEMALE and age is not None and 24 <= age <= 38 and roll < mix.pregnancy:
        return "怀孕"
    if roll < mix.illness:
        return "重病"
    return None
