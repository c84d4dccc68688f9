"""Only teachers in the quota's base rotate: on the staff, long enough at the school, not exempt (免交流原因,
or a 在岗状态 other than 在岗), under any age cap.

`eligible` is the one definition of 符合交流条件: the quota counts its base with it (through
`Context.eligible_by_school`, which caches it) and this rule filters options with the same checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.enums import Gender
from ..domain.models import Teacher
from .base import Blocked, Rule, Text
from .context import register_eligibility

if TYPE_CHECKING:
    from .context import Context


def age(ctx: Context, teacher: Teacher) -> int | None:
    """Age at the start of the horizon."""
    if teacher.birth_date is None:
        return None
    born, on = teacher.birth_date, ctx.reference_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_cap(ctx: Context, teacher: Teacher) -> int | None:
    if teacher.gender is Gender.FEMALE:
        return ctx.settings.max_age_female
    if teacher.gender is Gender.MALE:
        return ctx.settings.max_age_male
    return None


def eligible(ctx: Context, teacher: Teacher) -> bool:
    """In the quota's base (符合交流条件): long enough at the school, not exempt, under any age cap,
    not excluded by the planner. Whatever this rule's mode: the quota's base is the law's."""
    return _why_not(ctx, teacher) is None and teacher.teacher_id not in ctx.excluded


register_eligibility(eligible)


def exemption(teacher: Teacher) -> str | None:
    """Why the teacher is exempt: the 免交流原因 as written, else a 在岗状态 that is not 在岗 (产假, 借调 ...)."""
    return teacher.exemption or teacher.leave


def _exempt_text(teacher: Teacher) -> Text:
    reason = exemption(teacher)
    return Text(f"{teacher.name}免交流：{reason}", f"{teacher.name} is exempt: {reason}")


def _why_not(ctx: Context, teacher: Teacher) -> Text | None:
    if teacher.on_staff is False:
        # Exchange applies to 在编在岗 teachers (教师〔2014〕4号): off the staff is no part of the base.
        return Text(f"{teacher.name}不在编（是否在编：否），不参加交流",
                    f"{teacher.name} is not on the permanent staff (on_staff: no) and does not rotate")
    least = ctx.settings.min_years
    if teacher.years_at_school < least:
        return Text(f"{teacher.name}在本校任教{teacher.years_at_school}年，不足{least}年",
                    f"{teacher.name} has {teacher.years_at_school} years at the school, fewer than {least}")
    if exemption(teacher):
        return _exempt_text(teacher)
    cap, years = age_cap(ctx, teacher), age(ctx, teacher)
    if cap is not None and years is not None and years > cap:
        return Text(f"{teacher.name}{years}岁，超过年龄上限{cap}岁",
                    f"{teacher.name} is {years}, above the age cap of {cap}")
    return None


class Eligibility(Rule):
    id = "eligibility"
    zh, en = "交流资格", "eligibility"
    zh_doc = "在编、本校任教满最低年限、无免交流原因且在岗、未超年龄上限的教师才参加交流"
    en_doc = ("only teachers on the staff, with the minimum years at their school, no exemption, at work and "
              "under any age cap rotate")
    modes = ("hard", "off")
    settings_keys = ("min_years", "max_age_male", "max_age_female", "rest_years")
    filters = True
    relax_to = None  # who may rotate is policy: never offered as a way out of an infeasible case

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        return _why_not(ctx, teacher)

    def why_unplaced(self, ctx: Context, teacher: Teacher) -> Blocked | None:
        reason = _why_not(ctx, teacher)
        if reason is None:
            return None
        if exemption(teacher) and teacher.on_staff is not False:
            # An exemption is the planner's answer even when the years are short too.
            return Blocked("exempt", Text("免交流", "exempt"), _exempt_text(teacher))
        return Blocked("not_eligible", Text("不符合交流条件", "not eligible"), reason)


class SendingSchool(Rule):
    id = "sending_school"
    zh, en = "派出学校", "sending schools"
    zh_doc = "只有派出学校类型（默认城区）的教师外出交流"
    en_doc = "only teachers of the sending localities (urban by default) are sent"
    modes = ("hard", "off")
    settings_keys = ("sending_localities",)
    filters = True
    relax_to = None  # which schools send is policy, like eligibility

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        home = ctx.home(teacher)
        if ctx.is_sending(home):
            return None
        return Text(f"{teacher.name}所在的{home.name}是{home.locality.zh}学校，不是派出学校",
                    f"{teacher.name}'s school {home.name} is {home.locality.en}, not a sending school")

    def why_unplaced(self, ctx: Context, teacher: Teacher) -> Blocked | None:
        reason = self.why_not_teacher(ctx, teacher)
        return None if reason is None else Blocked("not_sending", Text("非派出学校", "not a sending school"), reason)
