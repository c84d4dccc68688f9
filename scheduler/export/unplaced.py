"""Why each teacher who is not in the plan stays home, in the words of the rules that decide it.

First the rules that keep a teacher home whatever the plan (`Rule.why_unplaced`: excluded by the
planner, exempt, not eligible, not at a sending school), the planner's own decisions asked
first; then no possible placement (no school needs the subject, no linked school does, stage,
time windows, forbids), and had options but was not chosen. The same hard filter rules that
shape the model give the reasons, so the sheet and the model agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..rules.context import Context
from ..domain.models import Teacher
from ..domain.subjects import subject_label
from ..plan import Plan
from ..model.options import Asked, teacher_options
from ..rules import Rule, Text, active_rules, rule_modes

#: the categories of teachers no rule keeps home (the rules name their own: `Blocked`)
NO_OPTION = Text("无可安排岗位", "no possible placement")
NOT_CHOSEN = Text("有岗位未被选中", "had options, not chosen")


@dataclass(frozen=True)
class Unplaced:
    teacher: Teacher
    category: str
    reason: Text
    label: Text

    def category_label(self, lang: str = "zh") -> str:
        return self.label.get(lang)


def hard_filters(ctx: Context) -> list[Rule]:
    """The filter rules that veto options in the model (as `model.solve.build` picks them)."""
    modes = rule_modes(ctx.settings)
    return [rule for rule in active_rules(ctx.settings) if rule.filters and modes[rule.id] == "hard"]


def unplaced_teachers(ctx: Context, plan: Plan) -> list[Unplaced]:
    """Every teacher of the case without a placement in `plan`, with the reason, in roster order.

    One walk over the teachers not placed, each asked once: first whether a rule keeps them home
    whatever the plan (a filter's `why_unplaced` answers exactly when its `why_not_teacher` vetoes
    every option), then their options as `model.options.enumerate_options` finds them (`teacher_options`).
    The placed teachers' options are never enumerated: at province scale that walk was half the sheet.
    """
    filters = hard_filters(ctx)
    placed = {p.teacher_id for p in plan.placements}
    filled: dict[tuple[str, str, int], int] = defaultdict(int)
    for p in plan.placements:
        for ordinal in p.ordinals:
            filled[(p.school_id, p.subject, ordinal)] += 1

    # The planner's own decisions first: an exclusion is the answer even for a teacher who is not eligible.
    asked = sorted(filters, key=lambda r: not r.planner_decision)
    asked_options = Asked.of(filters)
    result = []
    for teacher in ctx.case.teachers:
        if teacher.teacher_id in placed:
            continue
        blocked = next((b for rule in asked if (b := rule.why_unplaced(ctx, teacher)) is not None), None)
        if blocked is not None:
            result.append(Unplaced(teacher, blocked.category, blocked.reason, blocked.label))
            continue
        options = teacher_options(ctx, asked_options, teacher)
        if options:
            result.append(Unplaced(teacher, "not_chosen", _not_chosen(ctx, teacher, options, filled), NOT_CHOSEN))
        else:
            result.append(Unplaced(teacher, "no_option", _no_option(ctx, teacher, filters), NO_OPTION))
    return result


def _subjects(teacher: Teacher, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(subject_label(s, lang) for s in teacher.subjects)


def _no_option(ctx: Context, teacher: Teacher, filters: list[Rule]) -> Text:
    """The first thing that rules out every placement, from the widest to the narrowest."""
    home = teacher.school_id
    needing = [ctx.schools_needing.get(subject, ()) for subject in teacher.subjects]
    if not any(len(schools) > (home in schools) for schools in needing):
        return Text(f"规划期内没有学校需要{_subjects(teacher, 'zh')}教师",
                    f"no school needs a {_subjects(teacher, 'en')} teacher in the horizon")
    subjects = Text(_subjects(teacher, "zh"), _subjects(teacher, "en"))
    # Narrowed from the first scope (a handful of partners), not from every school needing the
    # subject (thousands at province scale), as in `teacher_options`.
    candidates: set[str] | None = None
    for rule in filters:
        scope = rule.school_scope(ctx, teacher)
        if scope is None:
            continue
        if not scope:
            return rule.scope_reason(ctx, teacher, True, subjects)
        candidates = ({school for school in scope if school != home and any(school in n for n in needing)}
                      if candidates is None else candidates & scope)
        if not candidates:
            return rule.scope_reason(ctx, teacher, False, subjects)
    schools = candidates if candidates is not None else set().union(*needing) - {home}
    reasons: list[Text] = []
    for school in sorted(schools):
        reason = next((r for rule in filters if (r := rule.why_not_school(ctx, teacher, school))), None)
        if reason is None:
            reason = _start_reason(ctx, teacher, school, filters)
        if reason is not None:
            reasons.append(reason)
    if not reasons:  # cannot happen while the enumeration and this walk agree
        return Text("没有符合全部规则的岗位", "no placement passes every rule")
    first = reasons[0]
    if len(schools) == 1:
        return first
    return Text(f"{first.zh}（可考虑的{len(schools)}所学校均不可行）",
                f"{first.en} (none of {len(schools)} candidate schools works)")


def _start_reason(ctx: Context, teacher: Teacher, school: str, filters: list[Rule]) -> Text | None:
    """Why no start term works at `school`, or None when one does."""
    first = None
    for subject in teacher.subjects:
        for start, terms in ctx.spans:
            reason = next((r for rule in filters
                           if (r := rule.why_not_start(ctx, teacher, school, subject, start, terms))), None)
            if reason is None:
                return None
            first = first or reason
    return first


def _not_chosen(ctx: Context, teacher: Teacher, options: list[tuple[str, str, int, int]],
                filled: dict[tuple[str, str, int], int]) -> Text:
    schools = list(dict.fromkeys(school for school, _, _, _ in options))
    names_zh = "、".join(ctx.school_name(s) for s in schools[:3]) + ("等" if len(schools) > 3 else "")
    names_en = ", ".join(ctx.school_name(s) for s in schools[:3]) + (" and others" if len(schools) > 3 else "")
    full = all(any(filled.get((school, subject, o), 0) >= ctx.need.get((school, subject, o), 0)
                   for o in range(start, start + terms))
               for school, subject, start, terms in options)
    if full:
        why_zh, why_en = "这些岗位已由其他教师填满", "those posts are filled by others"
    else:
        why_zh, why_en = ("其余岗位受接收容量、结对上限、夫妻或团队规则限制，或本校交流比例已完成",
                          "the open posts are blocked by host capacity, link caps, couples or teams, "
                          "or the school's quota is already met")
    return Text(f"可去{names_zh}（{len(options)}个可选岗位），未被选中：{why_zh}",
                f"could go to {names_en} ({len(options)} option(s)), not chosen: {why_en}")
