"""A sending school keeps at least N teachers of each of its subjects at home in every term
(学科最少保留, `keep_per_subject`; 0 = no floor, today's plans).

Teachers are counted by their main subject (`Teacher.subject`, 主教学科): a school's music
teachers are its teachers whose main subject is music, whatever else they can teach, and a
teacher away counts against their main subject whichever subject they teach at the host. Every
teacher on the school's roster counts toward the floor (an exempt or ineligible teacher at home
keeps the subject taught), so per school, main subject and term:

    teachers of that main subject away that term ≤ teachers of that subject at the school − N

A school with N or fewer teachers of a subject can send none of them: those teachers are
filtered out of the options (`why_not_teacher`, which also answers why they stay home and the
pre-solve diagnosis). Otherwise the bound is an `at_most` row, added only where more teachers of
the subject could be away at once than the bound allows, so the greedy plan obeys it too.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import TYPE_CHECKING

from ..domain.models import Teacher
from ..domain.settings import Settings
from ..domain.subjects import subject_label
from .base import Blocked, Explanation, Finding, Relaxation, Rule, Text, Violation
from .context import Context, term_label

if TYPE_CHECKING:
    from ..plan import Plan
    from .builder_api import ModelBuilder
    from .presolve import PreSolve

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

#: Context → (home school, main subject) → teachers on the roster (computed once per context)
_COUNTS: weakref.WeakKeyDictionary[Context, dict[tuple[str, str], int]] = weakref.WeakKeyDictionary()


def _number(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def subject_counts(ctx: Context) -> dict[tuple[str, str], int]:
    """(school, main subject) → how many teachers of the roster have that main subject there."""
    counts = _COUNTS.get(ctx)
    if counts is None:
        table: dict[tuple[str, str], int] = defaultdict(int)
        for teacher in ctx.case.teachers:
            table[(teacher.school_id, teacher.subject)] += 1
        counts = _COUNTS[ctx] = dict(table)
    return counts


def may_send(ctx: Context, school_id: str, subject: str) -> int:
    """How many teachers of this main subject the school may have away in one term (never below 0)."""
    return max(0, subject_counts(ctx).get((school_id, subject), 0) - ctx.settings.keep_per_subject)


def _blocked_subjects(ctx: Context) -> dict[tuple[str, str], list[int]]:
    """(sending school, main subject) → positions of its eligible teachers of that subject, where the
    floor lets it send none of them and another school needs the subject (where the floor bites)."""
    table: dict[tuple[str, str], list[int]] = defaultdict(list)
    if ctx.settings.keep_per_subject <= 0:
        return table
    for position, teacher in enumerate(ctx.case.teachers):
        if (ctx.case.has_school(teacher.school_id) and ctx.is_sending(ctx.case.school(teacher.school_id))
                and ctx.eligible(teacher) and may_send(ctx, teacher.school_id, teacher.subject) == 0
                and ctx.schools_needing.get(teacher.subject, set()) - {teacher.school_id}):
            table[(teacher.school_id, teacher.subject)].append(position)
    return table


class KeepPerSubject(Rule):
    id = "keep_per_subject"
    zh, en = "学科最少保留", "keep per subject"
    zh_doc = "派出学校每学期每个学科（按主教学科）至少留校“学科最少保留”名教师"
    en_doc = "a sending school keeps at least keep_per_subject teachers of each (main) subject at home every term"
    modes = ("hard", "off")
    settings_keys = ("keep_per_subject",)
    filters = True  # a school with N or fewer teachers of a subject sends none of them
    relax_rank = 60

    def default_mode(self, settings: Settings) -> str:
        """Off while there is no floor (0, the default: today's plans, untouched), hard once there is one."""
        return "hard" if settings.keep_per_subject > 0 else "off"

    # --- the filter: a subject the school cannot spare at all -----------------------------

    def _blocked(self, ctx: Context, teacher: Teacher) -> Text | None:
        keep = ctx.settings.keep_per_subject
        if keep <= 0 or may_send(ctx, teacher.school_id, teacher.subject) > 0:
            return None
        school = ctx.school_name(teacher.school_id)
        have = subject_counts(ctx).get((teacher.school_id, teacher.subject), 0)
        zh_subject, en_subject = teacher.subject, subject_label(teacher.subject, "en")
        return Text(f"{school}只有{have}名{zh_subject}教师，每学期须留校{keep}人，不能派出{zh_subject}教师"
                    f"（{teacher.name}）",
                    f"{school} has {_number(have)} {en_subject} teacher{'s' if have != 1 else ''}; keeping "
                    f"{_number(keep)} at home, it can send none ({teacher.name})")

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        return self._blocked(ctx, teacher)

    def why_unplaced(self, ctx: Context, teacher: Teacher) -> Blocked | None:
        reason = self._blocked(ctx, teacher)
        if reason is None:
            return None
        return Blocked("kept_for_subject", Text("学科最少保留", "kept home for the subject"), reason)

    # --- the rows -------------------------------------------------------------------------

    def build(self, model: ModelBuilder) -> None:
        ctx = model.ctx
        if ctx.settings.keep_per_subject <= 0:
            return
        cells: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        for i, option in enumerate(model.options):
            teacher = model.teacher(option)
            for ordinal in model.covered(option):
                cells[(teacher.school_id, teacher.subject, ordinal)].append(i)
        for (school_id, subject, _), indices in cells.items():
            limit = may_send(ctx, school_id, subject)
            # one placement each: a teacher's options count once, so only more teachers than the bound bind
            if len({model.options[i].teacher for i in indices}) > limit:
                model.at_most(self, [(i, 1) for i in indices], limit)

    def _away(self, ctx: Context, plan: Plan) -> dict[tuple[str, str, int], list[str]]:
        """(home school, main subject, term) → the teachers of the plan away then."""
        away: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        for p in plan.placements:
            if not ctx.case.has_teacher(p.teacher_id):
                continue  # the plan reader reports unknown teachers
            teacher = ctx.case.teacher(p.teacher_id)
            for ordinal in p.ordinals:
                if p.teacher_id not in away[(teacher.school_id, teacher.subject, ordinal)]:
                    away[(teacher.school_id, teacher.subject, ordinal)].append(p.teacher_id)
        return away

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        keep = ctx.settings.keep_per_subject
        if keep <= 0:
            return []
        hard = self.mode(ctx.settings) == "hard"
        violations = []
        for (school_id, subject, ordinal), teachers in sorted(self._away(ctx, plan).items()):
            have = subject_counts(ctx).get((school_id, subject), 0)
            limit = max(0, have - keep)
            if len(teachers) <= limit:
                continue
            school = ctx.school_name(school_id)
            en_subject = subject_label(subject, "en")
            names_zh = "、".join(ctx.teacher_name(t) for t in teachers)
            names_en = ", ".join(ctx.teacher_name(t) for t in teachers)
            home = max(0, have - len(teachers))
            violations.append(Violation(self.id, hard, Text(
                f"{school}{term_label(ordinal)}{subject}教师{have}人中{len(teachers)}人外出（{names_zh}），"
                f"留校{home}人，少于学科最少保留{keep}人",
                f"{school} has {len(teachers)} of its {have} {en_subject} teachers away in "
                f"{term_label(ordinal, 'en')} ({names_en}), keeping {home} at home, fewer than {keep}"),
                tuple(teachers), (school_id,), amount=len(teachers) - limit))
        return violations

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        headline = super().explain(ctx, plan).headline
        keep = ctx.settings.keep_per_subject
        if keep <= 0:
            return Explanation(self.id, headline)
        blocked = len(_blocked_subjects(ctx))
        at_floor = {(s, subject) for (s, subject, _), teachers in self._away(ctx, plan).items()
                    if len(teachers) >= may_send(ctx, s, subject)}
        return Explanation(self.id, Text(
            f"{headline.zh}（{keep}人）；{blocked}个有需求的派出学校学科因此不能派出，"
            f"{len(at_floor)}个学校学科某学期派到上限",
            f"{headline.en} ({keep}); {blocked} needed school subjects can send none, {len(at_floor)} reach "
            f"the bound in some term"))

    # --- before solving -------------------------------------------------------------------

    def _blocked_teachers(self, pre: PreSolve) -> dict[tuple[str, str], list[int]]:
        ctx = pre.ctx
        return {} if self.mode(ctx.settings) != "hard" else _blocked_subjects(ctx)

    def stays_home(self, pre: PreSolve) -> set[int]:
        return {p for positions in self._blocked_teachers(pre).values() for p in positions}

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """Each sending school that cannot send a subject at all, where some school needs that subject."""
        ctx = pre.ctx
        keep = ctx.settings.keep_per_subject
        findings = []
        for (school_id, subject), positions in sorted(self._blocked_teachers(pre).items()):
            school = ctx.school_name(school_id)
            have = subject_counts(ctx).get((school_id, subject), 0)
            en_subject = subject_label(subject, "en")
            findings.append(Finding(self.id, False, Text(
                f"{school}只有{have}名{subject}教师；每学期须留校{keep}人，该校不能派出{subject}教师",
                f"{school} has {_number(have)} {en_subject} teacher{'s' if have != 1 else ''}; keeping "
                f"{_number(keep)} at home, it can send none"),
                school_ids=(school_id,),
                teacher_ids=tuple(ctx.case.teachers[p].teacher_id for p in positions),
                relax=Text(f"把学科最少保留降到{have - 1}人，或关闭“{self.zh}”",
                           f"lower keep_per_subject to {have - 1}, or set {self.en} off")))
        return findings

    def relaxation(self, settings: Settings) -> Relaxation | None:
        relaxed = super().relaxation(settings)
        if relaxed is None:
            return None
        return Relaxation(self.id, Text(f"关闭“{self.zh}”：允许派出学校某学科的教师全部同时外出",
                                        f"set {self.en} off: a sending school may send all teachers of a subject "
                                        f"at once"), relaxed.settings)
