"""Only teachers in the quota's base rotate: on the staff, long enough at the school, not exempt (免交流原因,
or a 在岗状态 other than 在岗), under any age cap, and not back too recently from a placement.

交流间隔年数 = N (`rest_years`, 0 = no rest rule): a teacher whose last placement in 交流记录 ended in one of
the N school years just before the horizon's first school year waits (horizon 2026秋, N = 3: a placement
ending in school year 2023, 2024 or 2025, e.g. 2025秋–2026春, makes the teacher wait). A placement that
has not ended by the horizon's first school year (the teacher is still away) keeps the teacher home too
while N > 0. With N = 0 the history changes nothing here.

`eligible` is the one definition of 符合交流条件: the quota counts its base with it (through
`Context.eligible_by_school`, which caches it) and this rule filters options with the same checks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..domain.enums import Gender
from ..domain.models import Case, Exchange, Teacher
from ..domain.settings import Settings
from ..domain.terms import Term, school_year_label
from .base import NOT_ELIGIBLE, Blocked, Finding, Relaxation, Rule, Text
from .context import Context, register_eligibility

if TYPE_CHECKING:
    from .presolve import PreSolve


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


def host_name(ctx: Context, exchange: Exchange, lang: str = "zh") -> str:
    """The past host as the planner knows it: the 学校 sheet's name, else the record's own name or id."""
    if exchange.host_school_id and ctx.case.has_school(exchange.host_school_id):
        return ctx.case.school(exchange.host_school_id).name
    return exchange.host_school or exchange.host_school_id or ("（学校未记录）" if lang == "zh" else "a school not recorded")


def _span(exchange: Exchange, lang: str) -> str:
    return f"{exchange.from_term.label(lang)}–{exchange.to_term.label(lang)}"


def resting(ctx: Context, teacher: Teacher, rest_years: int | None = None) -> Exchange | None:
    """The past placement that makes the teacher wait under 交流间隔年数 (`rest_years`, the settings' by
    default): the last one, when it ended within that many school years before the horizon (or not yet)."""
    years = ctx.settings.rest_years if rest_years is None else rest_years
    first = ctx.first_school_year
    history = ctx.case.history_of(teacher.teacher_id)
    if years <= 0 or first is None or not history:
        return None
    last = history[-1]
    return last if last.to_term.school_year >= first - years else None


def _rest_text(ctx: Context, teacher: Teacher, last: Exchange) -> Text:
    years, first = ctx.settings.rest_years, ctx.first_school_year
    host_zh, host_en = host_name(ctx, last), host_name(ctx, last, "en")
    ended = last.to_term.school_year
    if first is not None and ended >= first:
        return Text(f"{teacher.name}在{host_zh}的交流（{_span(last, 'zh')}）到规划开始时尚未结束，"
                    f"交流间隔年数为{years}，本次不参加交流",
                    f"{teacher.name}'s placement at {host_en} ({_span(last, 'en')}) has not ended when the "
                    f"horizon starts; with rest_years {years} they do not rotate now")
    again = ended + years + 1
    return Text(f"{teacher.name}上次交流在{host_zh}（{_span(last, 'zh')}），{school_year_label(ended)}结束；"
                f"交流间隔年数为{years}，{school_year_label(again)}起才可再次交流",
                f"{teacher.name} last served at {host_en} ({_span(last, 'en')}), ending in school year "
                f"{school_year_label(ended, 'en')}; with rest_years {years} they may rotate again from "
                f"{school_year_label(again, 'en')}")


def _why_not(ctx: Context, teacher: Teacher) -> Text | None:
    found = _verdict(ctx, teacher)
    return None if found is None else found[1]


def _verdict(ctx: Context, teacher: Teacher) -> tuple[str, Text] | None:
    """Why the teacher does not rotate, as (category of the 未派出 sheet, reason), the first that applies."""
    if teacher.on_staff is False:
        # Exchange applies to 在编在岗 teachers (教师〔2014〕4号): off the staff is no part of the base.
        return "not_eligible", Text(f"{teacher.name}不在编（是否在编：否），不参加交流",
                                    f"{teacher.name} is not on the permanent staff (on_staff: no) and does not rotate")
    least = ctx.settings.min_years
    if teacher.years_at_school < least:
        return "not_eligible", Text(f"{teacher.name}在本校任教{teacher.years_at_school}年，不足{least}年",
                                    f"{teacher.name} has {teacher.years_at_school} years at the school, fewer than {least}")
    if exemption(teacher):
        return "exempt", _exempt_text(teacher)
    cap = age_cap(ctx, teacher)
    years = age(ctx, teacher) if cap is not None else None
    if years is not None and years > cap:
        return "not_eligible", Text(f"{teacher.name}{years}岁，超过年龄上限{cap}岁",
                                    f"{teacher.name} is {years}, above the age cap of {cap}")
    last = resting(ctx, teacher)
    if last is not None:
        return "resting", _rest_text(ctx, teacher, last)
    return None


_CATEGORIES = {"exempt": Text("免交流", "exempt"), "resting": Text("交流间隔未满", "rest years not over"),
               "not_eligible": NOT_ELIGIBLE}


class Eligibility(Rule):
    id = "eligibility"
    zh, en = "交流资格", "eligibility"
    zh_doc = "在编、本校任教满最低年限、无免交流原因且在岗、未超年龄上限、不在交流间隔期内的教师才参加交流"
    en_doc = ("only teachers on the staff, with the minimum years at their school, no exemption, at work, "
              "under any age cap and not resting after a recent placement (rest_years) rotate")
    modes = ("hard", "off")
    settings_keys = ("min_years", "max_age_male", "max_age_female", "rest_years")
    filters = True
    relax_to = None  # who may rotate is policy: never offered as a way out of an infeasible case

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        return _why_not(ctx, teacher)

    def why_unplaced(self, ctx: Context, teacher: Teacher) -> Blocked | None:
        if exemption(teacher) and teacher.on_staff is not False:
            # An exemption is the planner's answer even when the years are short too.
            return Blocked("exempt", _CATEGORIES["exempt"], _exempt_text(teacher))
        found = _verdict(ctx, teacher)
        if found is None:
            return None
        category, reason = found
        return Blocked(category, _CATEGORIES[category], reason)

    # --- 交流间隔年数: before solving, and as a way out ------------------------------------

    def _resting_by_school(self, ctx: Context) -> dict[str, list[Teacher]]:
        """Sending school → its teachers kept home by the rest rule alone."""
        table: dict[str, list[Teacher]] = defaultdict(list)
        if ctx.settings.rest_years <= 0 or not ctx.case.history or self.mode(ctx.settings) != "hard":
            return table
        for teacher in ctx.case.teachers:
            last = resting(ctx, teacher)
            if (last is not None and ctx.case.has_school(teacher.school_id) and ctx.is_sending(ctx.home(teacher))
                    and teacher.teacher_id not in ctx.excluded and _why_not(ctx, teacher) == _rest_text(ctx, teacher, last)):
                table[teacher.school_id].append(teacher)
        return table

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """Each sending school whose teachers wait under 交流间隔年数, named, and what a lower setting frees."""
        ctx = pre.ctx
        years = ctx.settings.rest_years
        findings = []
        for school_id, teachers in sorted(self._resting_by_school(ctx).items()):
            school = ctx.school_name(school_id)
            shown = teachers[:5]
            more_zh = f"等{len(teachers)}人" if len(teachers) > len(shown) else ""
            more_en = f" and {len(teachers) - len(shown)} more" if len(teachers) > len(shown) else ""
            lines_zh = "、".join(f"{t.name}（{host_name(ctx, e)} {_span(e, 'zh')}）"
                                for t in shown if (e := resting(ctx, t)) is not None)
            lines_en = ", ".join(f"{t.name} ({host_name(ctx, e, 'en')} {_span(e, 'en')})"
                                 for t in shown if (e := resting(ctx, t)) is not None)
            # The highest setting that frees one of them: a teacher back in school year e rotates once N ≤ first − e − 1.
            first = ctx.first_school_year or 0
            lower = max(0, max(first - e.to_term.school_year - 1 for t in teachers if (e := resting(ctx, t)) is not None))
            freed = sum(1 for t in teachers if resting(ctx, t, lower) is None)
            relax = Text(f"把交流间隔年数降到{lower}，可多{freed}人参加交流" + ("（0 = 不设间隔）" if lower == 0 else ""),
                         f"lower rest_years to {lower} and {freed} more may rotate" + (" (0 = no rest rule)" if lower == 0 else ""))
            findings.append(Finding(self.id, False, Text(
                f"{school}：{len(teachers)}名教师近{years}个学年内交流过，本次不参加交流：{lines_zh}{more_zh}",
                f"{school}: {len(teachers)} teacher{'s' if len(teachers) != 1 else ''} served within the last "
                f"{years} school years and do not rotate now: {lines_en}{more_en}"),
                school_ids=(school_id,), teacher_ids=tuple(t.teacher_id for t in teachers), relax=relax))
        return findings

    def relaxations(self, case: Case, settings: Settings) -> list[Relaxation]:
        """Who may rotate is policy, so the rule is never switched off; but 交流间隔年数 is a number a
        county chose: a lower one (and none at all) is offered when no plan exists."""
        years = settings.rest_years
        if years <= 0 or not case.history or self.mode(settings) != "hard":
            return []
        ctx = Context(case, settings)
        first = ctx.first_school_year
        # Each value that frees someone more: a teacher back in school year e rotates once N ≤ first − e − 1.
        ends = {e.to_term.school_year for t in case.teachers if (e := resting(ctx, t)) is not None}
        lower = sorted({min(years - 1, max(0, first - end - 1)) for end in ends} if first is not None else set(),
                       reverse=True)[:3]
        return [Relaxation(self.id, Text(
            f"把交流间隔年数从{years}降到{n}：" + (f"交流结束后已间隔{n}个学年的教师即可再次交流" if n else
                                                 "刚交流回来的教师也可再次交流（不设间隔）"),
            f"lower rest_years from {years} to {n}: " + (f"teachers back for {n} full school years may rotate "
                                                        f"again" if n else "teachers just back may rotate again "
                                                                           "(no rest rule)")),
            settings.model_copy(update={"rest_years": n})) for n in lower]


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
