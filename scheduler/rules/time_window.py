"""Time windows: a placement lies inside the horizon, the teacher's availability and the need's window."""

from __future__ import annotations

from .context import Context, term_label
from ..domain.models import Teacher
from ..domain.subjects import subject_label
from .base import Rule, Text


class TimeWindow(Rule):
    id = "time_window"
    zh, en = "时间窗口", "time windows"
    zh_doc = "交流期在规划期、教师可交流期内，且每个学期接收学校都有该学科需求"
    en_doc = ("the placement lies inside the planning horizon and the teacher's availability, "
              "and every term it covers has a need of its subject at the school")
    settings_keys = ("placement_terms", "horizon_from", "horizon_to")
    filters = True

    def why_not_start(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int) -> Text | None:
        last = start + ctx.length - 1
        span_zh, span_en = f"{term_label(start)}至{term_label(last)}", f"{term_label(start, 'en')} to {term_label(last, 'en')}"
        first_term, last_term = ctx.horizon
        if start < first_term or last > last_term:
            return Text(f"{span_zh}超出规划期{term_label(first_term)}至{term_label(last_term)}",
                        f"{span_en} is outside the horizon {term_label(first_term, 'en')} to {term_label(last_term, 'en')}")
        if teacher.available_from and start < teacher.available_from.ordinal:
            return Text(f"{teacher.name}自{teacher.available_from.label()}起才可交流",
                        f"{teacher.name} is available only from {teacher.available_from.label('en')}")
        if teacher.available_to and last > teacher.available_to.ordinal:
            return Text(f"{teacher.name}只可交流到{teacher.available_to.label()}",
                        f"{teacher.name} is available only until {teacher.available_to.label('en')}")
        for ordinal in range(start, last + 1):
            if ctx.need.get((school_id, subject, ordinal), 0) <= 0:
                name = ctx.school_name(school_id)
                return Text(f"{name}在{term_label(ordinal)}没有{subject}需求",
                            f"{name} has no {subject_label(subject, 'en')} need in {term_label(ordinal, 'en')}")
        return None
