"""Only teachers in the quota's base rotate: long enough at the school, not exempt, under any age cap."""

from __future__ import annotations

from .context import Context
from ..domain.models import Teacher
from .base import Rule, Text


class Eligibility(Rule):
    id = "eligibility"
    zh, en = "交流资格", "eligibility"
    zh_doc = "本校任教满最低年限、无免交流原因、未超年龄上限的教师才参加交流"
    en_doc = "only teachers with the minimum years at their school, no exemption and under any age cap rotate"
    modes = ("hard", "off")
    settings_keys = ("min_years", "max_age_male", "max_age_female")
    filters = True

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        least = ctx.settings.min_years
        if teacher.years_at_school < least:
            return Text(f"{teacher.name}在本校任教{teacher.years_at_school}年，不足{least}年",
                        f"{teacher.name} has {teacher.years_at_school} years at the school, fewer than {least}")
        if teacher.exemption:
            return Text(f"{teacher.name}免交流：{teacher.exemption}", f"{teacher.name} is exempt: {teacher.exemption}")
        cap, age = ctx.age_cap(teacher), ctx.age(teacher)
        if cap is not None and age is not None and age > cap:
            return Text(f"{teacher.name}{age}岁，超过年龄上限{cap}岁",
                        f"{teacher.name} is {age}, above the age cap of {cap}")
        return None


class SendingSchool(Rule):
    id = "sending_school"
    zh, en = "派出学校", "sending schools"
    zh_doc = "只有派出学校类型（默认城区）的教师外出交流"
    en_doc = "only teachers of the sending localities (urban by default) are sent"
    modes = ("hard", "off")
    settings_keys = ("sending_localities",)
    filters = True

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        home = ctx.home(teacher)
        if ctx.is_sending(home):
            return None
        return Text(f"{teacher.name}所在的{home.name}是{home.locality.zh}学校，不是派出学校",
                    f"{teacher.name}'s school {home.name} is {home.locality.en}, not a sending school")
