"""Subject and stage fit: a teacher fills a need of a subject they teach, at a stage they teach."""

from __future__ import annotations

from collections.abc import Callable
from .context import Context
from ..domain.enums import Stage
from ..domain.models import Teacher
from ..domain.settings import Settings
from ..domain.subjects import subject_label
from .base import Rule, Text


class SubjectFit(Rule):
    id = "subject_fit"
    zh, en = "学科对口", "subject fit"
    zh_doc = "需求学科须是教师的主教学科或兼教学科"
    en_doc = "the need's subject is the teacher's subject or one of their other subjects"
    filters = True

    def allows_start(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int,
                     terms: int | None = None) -> bool:
        return subject == teacher.subject or subject in teacher.other_subjects

    def start_test(self, ctx: Context, teacher: Teacher) -> None:
        return None  # only the teacher's own subjects are offered

    def why_not_start(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int,
                      terms: int | None = None) -> Text | None:
        if subject in teacher.subjects:
            return None
        return Text(f"{teacher.name}不教{subject}（教{'、'.join(teacher.subjects)}）",
                    f"{teacher.name} does not teach {subject_label(subject, 'en')} "
                    f"(teaches {', '.join(subject_label(s, 'en') for s in teacher.subjects)})")


#: Which receiving stages a teacher of each stage fits; 九年一贯制 spans primary and junior.
_FITS = {
    Stage.KINDERGARTEN: {Stage.KINDERGARTEN},
    Stage.PRIMARY: {Stage.PRIMARY, Stage.NINE_YEAR},
    Stage.JUNIOR: {Stage.JUNIOR, Stage.NINE_YEAR},
    Stage.SENIOR: {Stage.SENIOR},
    Stage.NINE_YEAR: {Stage.PRIMARY, Stage.JUNIOR, Stage.NINE_YEAR},
}


class StageFit(Rule):
    id = "stage_fit"
    zh, en = "学段匹配", "stage fit"
    zh_doc = "小学教师去小学，初中教师去初中，九年一贯制学校两者皆可"
    en_doc = "primary to primary, junior to junior; nine-year schools take both"
    modes = ("hard", "soft", "off")
    settings_keys = ("stage_fit",)
    level = 3
    filters = True
    relax_to = "off"  # offered switched off, not soft, as planners have always been offered it
    relax_rank = 90

    def default_mode(self, settings: Settings) -> str:
        return "hard" if settings.stage_fit else "off"

    def allows_school(self, ctx: Context, teacher: Teacher, school_id: str) -> bool:
        return ctx.case.school(school_id).stage in _FITS[ctx.home(teacher).stage]

    def school_test(self, ctx: Context, teacher: Teacher) -> Callable[[str], bool]:
        stage = ctx.home(teacher).stage
        fitting = ctx.kept((self.id, stage), lambda: frozenset(
            school.school_id for school in ctx.case.schools if school.stage in _FITS[stage]))
        return fitting.__contains__

    def why_not_school(self, ctx: Context, teacher: Teacher, school_id: str) -> Text | None:
        home, host = ctx.home(teacher), ctx.case.school(school_id)
        if host.stage in _FITS[home.stage]:
            return None
        return Text(f"{teacher.name}是{home.stage.zh}教师，{host.name}是{host.stage.zh}",
                    f"{teacher.name} teaches {home.stage.en}, {host.name} is {host.stage.en}")
