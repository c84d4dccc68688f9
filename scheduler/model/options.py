"""The placements the model may choose from: only combinations every hard filter rule allows.

An option is (teacher, receiving school, subject, start term, terms). Its receiving school must
have a need of one of the teacher's subjects, of the option's length, in every term it covers: a
one-term 支教 need offers one-term options, a two-year need four-term ones (`Context.need_spans`). Hard filter rules
narrow the schools first (pairing keeps a teacher among the home school's partners), then
veto teachers, schools and starts; soft filter rules veto nothing here and charge a penalty
in the model instead.
"""

from __future__ import annotations

from typing import NamedTuple

from ..domain.models import Teacher
from ..rules.base import Rule
from ..rules.context import Context


class Option(NamedTuple):
    teacher: int  # position in case.teachers
    school: str
    subject: str
    start: int  # term ordinal
    terms: int  # how many terms the placement lasts (its need's 交流学期数)


class Asked(NamedTuple):
    """The filter rules that have something to say about a teacher's schools (a scope, a veto) and
    starts: the others are never asked. This runs for each of the 2.2 million options of a city in 优先."""
    scope: list[Rule]
    school: list[Rule]
    start: list[Rule]

    @classmethod
    def of(cls, filters: list[Rule]) -> "Asked":
        return cls(*([rule for rule in filters if rule.asks(question)] for question in ("scope", "school", "start")))


def enumerate_options(ctx: Context, filters: list[Rule]) -> list[Option]:
    options: list[Option] = []
    asked = Asked.of(filters)
    for position, teacher in enumerate(ctx.case.teachers):
        if any(rule.why_not_teacher(ctx, teacher) for rule in filters):
            continue
        options.extend(Option(position, *placement) for placement in teacher_options(ctx, asked, teacher))
    return options


def teacher_options(ctx: Context, asked: Asked, teacher: Teacher) -> list[tuple[str, str, int, int]]:
    """(school, subject, start, terms) of each option the filters allow `teacher`, asked only about
    schools and starts (whether a rule vetoes the teacher as a whole is the caller's question), in
    the order of `enumerate_options`."""
    need_spans = ctx.need_spans
    subjects = teacher.subjects
    scopes = [scope for rule in asked.scope if (scope := rule.school_scope(ctx, teacher)) is not None]
    if scopes:
        # A scope (the home school's partners) is a handful of schools, those needing a subject
        # thousands at province scale: the scope is walked, not the province's schools copied.
        needing = [ctx.schools_needing.get(subject, ()) for subject in subjects]
        schools = {school for school in min(scopes, key=len) if any(school in n for n in needing)}
        for scope in scopes:
            schools &= scope
    else:
        schools = set()
        for subject in subjects:
            schools |= ctx.schools_needing.get(subject, set())
    schools.discard(teacher.school_id)
    school_tests = [test for rule in asked.school if (test := rule.school_test(ctx, teacher)) is not None]
    start_tests = [test for rule in asked.start if (test := rule.start_test(ctx, teacher)) is not None]
    found = []
    for school in sorted(schools):
        if not all(test(school) for test in school_tests):
            continue
        for subject in subjects:
            spans = need_spans.get((school, subject), ())
            if start_tests:
                spans = [(start, terms) for start, terms in spans
                         if all(test(school, subject, start, terms) for test in start_tests)]
            found.extend((school, subject, start, terms) for start, terms in spans)
    return found
