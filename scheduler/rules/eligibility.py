"""Only teachers in the quota's base rotate: long enough at the school, not exempt, under any age cap.

`eligible` is the one definition of 符合交流条件: the quota counts its base with it (through
`Context.eligible_by_school`, which caches it) and this rule filters options with the same checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.enums import Gender
from ..domain.models import Teacher
from .base import Blocked, Rule, Text

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


def _why_not(ctx: Context, teacher: Teacher) -> Text | None:
    least = ctx.settings.min_years
    if teacher.years_at_school < least:
        return Text(f"{teacher.name}在本校任教{teacher.years_at_school}年，不足{least}年",
                    f"{teacher.name} has {teacher.years_at_school} years at the school, fewer than {least}")
    if teacher.exemption:
        return Text(f"{teacher.name}免交流：{teacher.exemption}", f"{teacher.name} is exempt: {teacher.exemption}")
    cap, years = age_cap(ctx, teacher), age(ctx, teacher)
    if cap is not None and years is not None and years > cap:
        return Text(f"{teacher.name}{years}岁，超过年龄上限{cap}岁",
                    f"{teacher.name} is {years}, above the age cap of {cap}")
    return None


class Eligibility(Rule):
    id = "eligibility"
    zh, en = "交流资格", "eligibility"
    zh_doc = "本校任教满最低年限、无免交流原因、未超年龄上限的教师才参加交流"
    en_doc = "only teachers with the minimum years at their school, no exemption and under any age cap rotate"
    modes = ("hard", "off")
    settings_keys = ("min_years", "max_age_male", "max_age_female")
    filters = True
    relax_to = None  # who may rotate is policy: never offered as a way out of an infeasible case

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        return _why_not(ctx, teacher)

    def why_unplaced(self, ctx: Context, teacher: Teacher) -> Blocked | None:
        reason = _why_not(ctx, teacher)
        if reason is None:
            return None
        if teacher.exemption:
            # An exemption is the planner's answer even when the years are short too.
            return Blocked("exempt", Text("免交流", "exempt"),
                           Text(f"{teacher.name}免交流：{teacher.exemption}", f"{teacher.name} is exempt: {teacher.exemption}"))
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
