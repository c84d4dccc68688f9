"""Tiny builders for hand-made planning cases, so each rule test shows only what matters.

    case(urban("U1"), rural("R1"), teacher("T1", "U1"), need("R1"))

builds one urban primary school with one eligible 数学 teacher (8 years) and one rural primary
school that needs one 数学 teacher for school year 2026 (2026秋–2027春). `settings()` starts
from *neutral* settings — no quota, no backbone share, pairing `any` — so a test turns on only
the rule it is about; everything else keeps the product default (2-term placements, ...).
"""

from __future__ import annotations

from datetime import date

from scheduler.audit import AuditReport, audit
from scheduler.domain import (Case, Demand, Gender, Link, Locality, Pin, PinAction, School, Settings, Stage,
                              Teacher, Term)
from scheduler.domain.models import Exchange
from scheduler.model import solve
from scheduler.plan import Placement, Plan

FALL, SPRING = "2026秋", "2027春"  # school year 2026


def term(text: str | None) -> Term | None:
    return Term.parse(text) if text else None


# --- schools ------------------------------------------------------------------------------

def school(school_id: str, locality: str = "urban", stage: str = "primary", *, capacity: int | None = None,
           priority: int = 1, lon: float | None = None, lat: float | None = None) -> School:
    return School(school_id=school_id, name=school_id, county="测试县", locality=Locality.parse(locality),
                  stage=Stage.parse(stage), host_capacity=capacity, priority=priority, lon=lon, lat=lat)


def urban(school_id: str, stage: str = "primary", **kw) -> School:
    return school(school_id, "urban", stage, **kw)


def rural(school_id: str, stage: str = "primary", **kw) -> School:
    return school(school_id, "rural", stage, **kw)


# --- teachers -----------------------------------------------------------------------------

def teacher(teacher_id: str, school: str, subject: str = "数学", *, years: int = 8, backbone: bool = False,
            also: tuple[str, ...] = (), exemption: str | None = None,
            available: tuple[str | None, str | None] = (None, None),
            wishes: tuple[str, ...] = (), spouse: str | None = None, team: str | None = None,
            promotion: bool = False, gender: str | None = None, born: date | None = None) -> Teacher:
    return Teacher(teacher_id=teacher_id, name=teacher_id, school_id=school, subject=subject,
                   years_at_school=years, other_subjects=tuple(also), backbone=backbone, exemption=exemption,
                   available_from=term(available[0]), available_to=term(available[1]),
                   preferences=tuple(wishes), spouse_id=spouse, team_id=team, seeking_promotion=promotion,
                   gender=Gender.parse(gender) if gender else None, birth_date=born)


# --- needs, links, pins -------------------------------------------------------------------

def need(school: str, subject: str = "数学", first: str = FALL, last: str = SPRING, *, count: int = 1,
         priority: int = 1, terms: int | None = None, form: str | None = None) -> Demand:
    """`terms`: the need's 交流学期数 (None: the setting); `form`: its 交流方式."""
    return Demand(school_id=school, subject=subject, count=count, from_term=term(first), to_term=term(last),
                  priority=priority, terms=terms, form=form)


def link(a: str, b: str, *, min_per_year: int | None = None, max_per_year: int | None = None,
         program: str = "结对") -> Link:
    """A pairing with `a` as the lead school and `b` as the member."""
    return Link(program=program, lead_school_id=a, member_school_id=b, min_per_year=min_per_year,
                max_per_year=max_per_year)


def pin(teacher_id: str, school: str, start: str | None = None) -> Pin:
    return Pin(teacher_id=teacher_id, action=PinAction.PIN, school_id=school, start_term=term(start))


def forbid(teacher_id: str, school: str) -> Pin:
    return Pin(teacher_id=teacher_id, action=PinAction.FORBID, school_id=school)


def exclude(teacher_id: str) -> Pin:
    return Pin(teacher_id=teacher_id, action=PinAction.EXCLUDE)


def went(teacher_id: str, school: str | None, first: str, last: str, *, form: str | None = None,
         name: str | None = None) -> Exchange:
    """A past placement (交流记录) of `teacher_id` at `school` (None: not recorded), `first`–`last`."""
    return Exchange(teacher_id=teacher_id, host_school_id=school, host_school=name, from_term=term(first),
                    to_term=term(last), form=form)


def case(*parts: School | Teacher | Demand | Link | Pin | Exchange) -> Case:
    """A case from its parts in any order, sorted by kind."""
    def of(kind):
        return [p for p in parts if isinstance(p, kind)]
    return Case(schools=of(School), teachers=of(Teacher), demands=of(Demand), links=of(Link), pins=of(Pin),
                history=of(Exchange))


# --- settings -----------------------------------------------------------------------------

NEUTRAL = {"quota_rate": 0.0, "backbone_share": 0.0, "pairing_mode": "any", "time_limit_s": 20.0}


def settings(*, modes: dict[str, str] | None = None, **overrides) -> Settings:
    """Neutral settings (see the module doc) with `overrides`; `modes` maps rule id → hard/soft/off."""
    values = {**NEUTRAL, **overrides}
    if modes:
        values["rule_modes"] = modes
    return Settings.model_validate(values)


# --- plans --------------------------------------------------------------------------------

def placed(teacher_id: str, school: str, subject: str = "数学", start: str = FALL, terms: int = 2) -> Placement:
    return Placement(teacher_id, school, subject, Term.parse(start), terms)


def plan(*placements: Placement) -> Plan:
    """A plan written by hand."""
    return Plan(list(placements), status="edited")


def run(c: Case, *, modes: dict[str, str] | None = None, **overrides) -> Plan:
    """Solve with `settings(...)`, require a proven-optimal plan that the audit passes, return it."""
    chosen = settings(modes=modes, **overrides)
    result = solve(c, chosen)
    assert result.status == "optimal", (result.status, result.stats)
    assert result.gap == 0
    report = audit(c, chosen, result)
    assert report.ok, report.lines("en")
    return result


def check(c: Case, p: Plan, *, modes: dict[str, str] | None = None, **overrides) -> AuditReport:
    return audit(c, settings(modes=modes, **overrides), p)


def where(p: Plan) -> dict[str, str]:
    """teacher → receiving school."""
    return {x.teacher_id: x.school_id for x in p.placements}


def when(p: Plan) -> dict[str, tuple[str, str]]:
    """teacher → (receiving school, start term as 2026秋)."""
    return {x.teacher_id: (x.school_id, x.start.label()) for x in p.placements}


def broken(report: AuditReport, rule: str) -> list:
    """The hard violations of one rule."""
    return [v for v in report.hard if v.rule == rule]


def short(report: AuditReport, rule: str) -> list:
    """The shortfalls (soft violations) of one rule."""
    return [v for v in report.shortfalls if v.rule == rule]
