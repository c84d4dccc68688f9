"""Pairing: teachers go to schools linked with their home school (strict), preferably (prefer), or anywhere."""

from __future__ import annotations

from .context import Context
from ..domain.enums import PairingMode
from ..domain.models import Teacher
from ..domain.settings import Settings
from .base import Explanation, Rule, Text


class Pairing(Rule):
    id = "pairing"
    zh, en = "结对关系", "pairing links"
    zh_doc = "教师只去与本校结对的学校（严格）；“优先”时可去非结对学校但计入惩罚；“不限”时不受限制"
    en_doc = "teachers go only to schools linked with their own (strict); prefer allows others at a cost; any ignores links"
    modes = ("hard", "soft", "off")
    settings_keys = ("pairing_mode",)
    level = 3
    filters = True
    relax_rank = 40

    def default_mode(self, settings: Settings) -> str:
        return {PairingMode.STRICT: "hard", PairingMode.PREFER: "soft", PairingMode.ANY: "off"}[settings.pairing_mode]

    def school_scope(self, ctx: Context, teacher: Teacher) -> set[str] | None:
        return ctx.partners.get(teacher.school_id, set())

    def scope_reason(self, ctx: Context, teacher: Teacher, none_at_all: bool, subjects: Text) -> Text:
        home = ctx.home(teacher).name
        if none_at_all:
            return Text(f"{home}没有结对学校（{self.zh}）", f"{home} has no linked school ({self.en})")
        return Text(f"与{home}结对的学校都不需要{subjects.zh}教师",
                    f"no school linked with {home} needs a {subjects.en} teacher")

    def why_not_school(self, ctx: Context, teacher: Teacher, school_id: str) -> Text | None:
        if ctx.linked(teacher.school_id, school_id):
            return None
        home, host = ctx.home(teacher).name, ctx.school_name(school_id)
        return Text(f"{teacher.name}所在的{home}与{host}没有结对关系",
                    f"{teacher.name}'s school {home} and {host} are not linked")

    def allows_school(self, ctx: Context, teacher: Teacher, school_id: str) -> bool:
        return ctx.linked(teacher.school_id, school_id)

    def school_test(self, ctx: Context, teacher: Teacher) -> None:
        return None  # the scope is the home school's partners: what is offered is linked

    def explain(self, ctx: Context, plan) -> Explanation:
        linked = sum(ctx.linked(ctx.case.teacher(p.teacher_id).school_id, p.school_id) for p in plan.placements
                     if ctx.case.has_teacher(p.teacher_id))
        total = len(plan.placements)
        return Explanation(self.id, Text(f"{total}人中{linked}人去结对学校", f"{linked} of {total} go to a linked school"))
