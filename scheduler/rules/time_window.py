"""Time windows: a placement lies inside the horizon, the teacher's availability and the need's window."""

from __future__ import annotations

from collections.abc import Callable
from .context import Context, term_label
from ..domain.models import Teacher
from ..domain.subjects import subject_label
from .base import Rule, Text


class TimeWindow(Rule):
    id = "time_window"
    zh, en = "时间窗口", "time windows"
    zh_doc = "交流期在规划期、教师可交流期内，且每个学期接收学校都有该学科、该交流学期数的需求"
    en_doc = ("the placement lies inside the planning horizon and the teacher's availability, "
              "and every term it covers has a need of its subject at the school, for placements of its length")
    settings_keys = ("placement_terms", "horizon_from", "horizon_to")
    filters = True

    def start_test(self, ctx: Context, teacher: Teacher) -> Callable[[str, str, int, int], bool] | None:
        # What is offered lies inside the horizon with a need of its length in every term it covers
        # (`Context.need_spans`): only the teacher's own window is left to ask.
        first = teacher.available_from.ordinal if teacher.available_from else None
        last = teacher.available_to.ordinal if teacher.available_to else None
        if first is None and last is None:
            return None
        return lambda school_id, subject, start, terms: ((first is None or start >= first)
                                                         and (last is None or start + terms - 1 <= last))

    def why_not_start(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int,
                      terms: int | None = None) -> Text | None:
        """`terms`: the placement's length (None: its need's 交流学期数, else the setting)."""
        terms = ctx.length_at(school_id, subject, start) if terms is None else terms
        last = start + terms - 1
        first_term, last_term = ctx.horizon
        if start < first_term or last > last_term:
            span_zh, span_en = _span(start, last)
            return Text(f"{span_zh}超出规划期{term_label(first_term)}至{term_label(last_term)}",
                        f"{span_en} is outside the horizon {term_label(first_term, 'en')} to {term_label(last_term, 'en')}")
        if teacher.available_from and start < teacher.available_from.ordinal:
            return Text(f"{teacher.name}自{teacher.available_from.label()}起才可交流",
                        f"{teacher.name} is available only from {teacher.available_from.label('en')}")
        if teacher.available_to and last > teacher.available_to.ordinal:
            return Text(f"{teacher.name}只可交流到{teacher.available_to.label()}",
                        f"{teacher.name} is available only until {teacher.available_to.label('en')}")
        for ordinal in range(start, last + 1):
            lengths = ctx.need_lengths.get((school_id, subject, ordinal))
            if not lengths:
                name = ctx.school_name(school_id)
                return Text(f"{name}在{term_label(ordinal)}没有{subject}需求",
                            f"{name} has no {subject_label(subject, 'en')} need in {term_label(ordinal, 'en')}")
            if terms not in lengths:
                name = ctx.school_name(school_id)
                asked_zh, asked_en = "或".join(map(str, sorted(lengths))), " or ".join(map(str, sorted(lengths)))
                span_zh, span_en = _span(start, last)
                return Text(f"{name}{term_label(ordinal)}的{subject}需求每次交流{asked_zh}个学期，"
                            f"这次安排为{terms}个学期（{span_zh}）",
                            f"the {subject_label(subject, 'en')} need at {name} in {term_label(ordinal, 'en')} is for "
                            f"placements of {asked_en} term(s), this one lasts {terms} ({span_en})")
        return None


def _span(start: int, last: int) -> tuple[str, str]:
    """"2026秋至2027春" in both languages; made only for a reason given (the check runs for every
    option of a city, most of which pass)."""
    return f"{term_label(start)}至{term_label(last)}", f"{term_label(start, 'en')} to {term_label(last, 'en')}"
