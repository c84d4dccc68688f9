"""The plan workbook planners hand out: placements first (editable and readable back as a plan),
then the school summaries, unmet need, teachers not placed, how the plan was found, the settings
used and the audit. Chinese sheet names and headers, or English with lang="en"."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, Iterator


from ..audit import AuditReport, audit
from ..rules.context import Context
from ..domain.models import Case, Teacher
from ..domain.settings import DEFAULTS, Settings, required_settings, setting_info, setting_names, value_text
from ..domain.subjects import subject_label
from ..plan import Placement, Plan
from ..rules import RULE_BY_ID, RULES
from ..rules.changes import Change
from ..runtime import collection_paused
from ..workbook.forked_table import PendingTable, table_in_child
from ..workbook.table_book import TableBook
from .personal_data import write_table
from .audit_text import violation_text
from .changes_sheet import write_changes
from .headline import Headline, headline, status_label
from .plan_sheet import PLACEMENTS
from .progress_words import distance_words, status_sentence, step_name
from .school_sheets import headers, write_receiving, write_sending, write_unmet
from .summary import link_program, placement_form
from .unplaced import unplaced_teachers

UNPLACED = ("未派出教师", "not_placed")
OVERVIEW = ("求解概要", "overview")
SETTINGS_USED = ("规则设置", "settings_used")
AUDIT = ("审核", "audit")

MODE_LABEL = {"hard": ("硬", "hard"), "soft": ("软", "soft"), "off": ("关", "off")}


def write_plan_workbook(case: Case, settings: Settings, plan: Plan, target: str | Path | IO[bytes],
                        lang: str = "zh", report: AuditReport | None = None,
                        changes: Sequence[Change] | None = None, unplaced: PendingTable | None = None) -> None:
    """The plan workbook of `plan`, found (or edited) under `settings`, the ones it is judged by;
    a re-plan's `changes` (rules/changes.py) follow the placements as the 变更 sheet. `unplaced`: the
    未派出教师 sheet begun in a child by `unplaced_ahead` (made here when it is None or failed)."""
    try:
        with collection_paused():  # a row and its cells' texts per teacher not placed: no garbage cycles
            _write_plan_workbook(case, settings, plan, target, lang, report, changes, unplaced)
    finally:
        if unplaced is not None:
            unplaced.cancel()  # a write that failed before the sheet: the child is stopped, its file removed


def _write_plan_workbook(case: Case, settings: Settings, plan: Plan, target: str | Path | IO[bytes], lang: str,
                         report: AuditReport | None, changes: Sequence[Change] | None,
                         unplaced: PendingTable | None) -> None:
    report = report if report is not None else audit(case, settings, plan)
    ctx = report.context_for(case, settings)
    workbook = TableBook(target)
    write_placements(workbook, ctx, plan, lang)
    if changes is not None:
        write_changes(workbook, ctx, changes, lang)
    quota, need = report.quota_and_need(ctx, plan)  # each computed once, for two sheets and the JSON
    write_sending(workbook, ctx, plan, lang, quota)
    write_receiving(workbook, ctx, plan, lang)
    write_unmet(workbook, ctx, plan, lang, need)
    slot = len(workbook.tables)  # the 未派出教师 sheet's place, filled last when a child makes it
    if unplaced is None:
        write_unplaced(workbook, ctx, plan, lang)
    write_overview(workbook, ctx, plan, report, lang, headline(ctx.case, ctx.settings, plan, ctx, quota=quota, need=need))
    write_settings(workbook, settings, lang)
    write_audit(workbook, ctx, report, lang)
    if unplaced is not None:
        made = unplaced.take()
        if made is None:  # the child failed: made here
            alone = TableBook(os.devnull)
            write_unplaced(alone, ctx, plan, lang)
            (made,) = alone.tables
        workbook.add_made(made, slot)
    workbook.close()


def _wish(teacher: Teacher, school_id: str, lang: str) -> str:
    if not teacher.preferences:
        return ""
    if school_id in teacher.preferences:
        rank = teacher.preferences.index(school_id) + 1
        return f"第{rank}志愿" if lang == "zh" else f"wish {rank}"
    return "志愿外" if lang == "zh" else "not a wish"


def _backbone(teacher: Teacher) -> Any:
    return teacher.backbone_level if teacher.backbone_level is not None else teacher.backbone


def placement_row(ctx: Context, placement: Placement, lang: str, extras: list[str]) -> list[Any]:
    known = ctx.case.has_teacher(placement.teacher_id)
    teacher = ctx.case.teacher(placement.teacher_id) if known else None
    home = teacher.school_id if teacher else ""
    row = [placement.teacher_id, teacher.name if teacher else "", home, ctx.school_name(home) if home else "",
           placement.school_id, ctx.school_name(placement.school_id), subject_label(placement.subject, lang),
           placement.start, placement.end, placement.terms, placement_form(ctx, placement),
           link_program(ctx, placement),
           _backbone(teacher) if teacher else None, teacher.title if teacher else None,
           teacher.years_at_school if teacher else None, _wish(teacher, placement.school_id, lang) if teacher else ""]
    return row + [teacher.extra.get(name, "") if teacher else "" for name in extras]


def _home_order(ctx: Context, placement: Placement) -> tuple:
    home = ctx.case.teacher(placement.teacher_id).school_id if ctx.case.has_teacher(placement.teacher_id) else ""
    return home, placement.start.ordinal, placement.teacher_id


def write_placements(workbook: TableBook, ctx: Context, plan: Plan, lang: str) -> None:
    """The placements, by sending school; the teachers' own extra roster columns follow."""
    extras = list(dict.fromkeys(name for t in ctx.case.teachers for name in t.extra))
    ordered = sorted(plan.placements, key=lambda p: _home_order(ctx, p))
    write_table(workbook, PLACEMENTS.label(lang), [c.label(lang) for c in PLACEMENTS.columns] + extras,
                (placement_row(ctx, p, lang, extras) for p in ordered), lang=lang)


def month_label(day: date | None, lang: str = "zh") -> str:
    """A 进本校年月 / 参加工作年月 as planners write it: 2015年9月, 2015-09."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月" if lang == "zh" else f"{day:%Y-%m}"


def unplaced_ahead(case: Case, settings: Settings, plan: Plan, lang: str = "zh") -> PendingTable | None:
    """The 未派出教师 sheet of `plan` begun in a forked child, for `write_plan_workbook(unplaced=…)`,
    so the audit and the other sheets are made meanwhile; None where a child may not be forked."""
    def make(book: TableBook) -> None:
        with collection_paused():
            write_unplaced(book, Context(case, required_settings(settings)), plan, lang)

    return table_in_child(make)


def write_unplaced(workbook: TableBook, ctx: Context, plan: Plan, lang: str) -> None:
    """Who stays home and why, with what eligibility is decided on: the years at the school and,
    from a registry roster, the date they are counted from, 在岗状态 and 是否在编."""
    teachers = ctx.case.teachers
    columns = [("教师编号", "teacher_id"), ("姓名", "name"), ("学校编号", "school_id"), ("学校名称", "school_name"),
               ("学科", "subject"), ("骨干", "backbone"), ("本校任教年限", "years_at_school")]
    facts: list = []
    if any(t.joined_school for t in teachers):
        columns.append(("进本校年月", "joined_school"))
        facts.append(lambda t: month_label(t.joined_school, lang))
    if any(t.status for t in teachers):
        columns.append(("在岗状态", "status"))
        facts.append(lambda t: t.status)
    if any(t.on_staff is not None for t in teachers):
        columns.append(("是否在编", "on_staff"))
        facts.append(lambda t: t.on_staff)
    columns += [("原因", "reason"), ("说明", "detail")]

    def rows() -> Iterator[list[Any]]:
        for item in unplaced_teachers(ctx, plan):
            t = item.teacher
            yield [t.teacher_id, t.name, t.school_id, ctx.school_name(t.school_id), subject_label(t.subject, lang),
                   _backbone(t), t.years_at_school, *(fact(t) for fact in facts),
                   item.category_label(lang), item.reason.get(lang)]

    write_table(workbook, UNPLACED[lang != "zh"], headers(columns, lang), rows(), lang=lang)


#: plan.times key → the step it measures, in planners' words (the levels are named by progress_words)
_TIME_WORDS = {"build": ("建模", "building the model"), "greedy": ("初始方案", "starting plan"),
               "split": ("拆分为独立片区", "splitting into independent areas"),
               "finish": ("整理方案", "putting the plan together"),
               "levels": ("各步合计", "all steps together"), "total": ("总计", "in all")}


def _time_label(key: str, plan: Plan, lang: str) -> str:
    zh = lang == "zh"
    if key.startswith("level") and key[5:].isdigit():
        number = int(key[5:])
        level = plan.levels[number - 1] if 0 < number <= len(plan.levels) else None
        step = step_name(level.key, lang, level.zh if zh else level.en) if level else ""
        words = f"第{number}步 {step}".strip() if zh else f"step {number} {step}".strip()
    else:
        words = _TIME_WORDS.get(key, (key, key))[not zh]
    return f"用时：{words}" if zh else f"time: {words}"


def write_overview(workbook: TableBook, ctx: Context, plan: Plan, report: AuditReport, lang: str,
                   figures: Headline | None = None) -> None:
    """How good the plan is, step by step, how long each step took, and the headline figures, in
    planners' words: which step, how far from the best possible, whether that is proven."""
    zh = lang == "zh"
    rows: list[list[Any]] = [["状态" if zh else "status", status_label(plan.status, lang), status_sentence(plan, lang)],
                             ["离最好可能" if zh else "from the best possible",
                              round(plan.gap, 6) if plan.gap is not None else "", distance_words(plan.gap, lang)]]
    for number, level in enumerate(plan.levels, start=1):
        step = step_name(level.key, lang, level.zh if zh else level.en)
        best = ("最好可能尚不清楚" if zh else "best possible not known") if level.bound is None else (
            f"最好可能 {level.bound:g}" if zh else f"best possible {level.bound:g}")
        rows.append([f"第{number}步：{step}" if zh else f"step {number}: {step}", distance_words(level.gap, lang),
                     (f"计分 {level.value:g}（越小越好），{best}" if zh else f"score {level.value:g} (lower is better), {best}")])
    for key, seconds in plan.times.items():
        rows.append([_time_label(key, plan, lang), round(seconds, 3), "秒" if zh else "s"])
    figures = figures if figures is not None else headline(ctx.case, ctx.settings, plan, ctx)
    for line in figures.lines(lang):
        rows.append(["概况" if zh else "figures", "", line])
    rows.append(["审核" if zh else "audit", "", report.summary(lang)])
    write_table(workbook, OVERVIEW[not zh], ["项目", "数值", "说明"] if zh else ["item", "value", "detail"], rows,
                lang=lang)


def write_settings(workbook: TableBook, settings: Settings, lang: str) -> None:
    """The settings the plan was made with; the `key` and value columns read back as settings."""
    zh = lang == "zh"
    rows: list[list[Any]] = []
    for name in setting_names():
        info = setting_info(name)
        rows.append([info["zh_key"], name, value_text(getattr(settings, name), lang),
                     value_text(info["default"], lang), info["zh"] if zh else info["en"]])
    for rule in RULES:
        mode, default = rule.mode(settings), rule.default_mode(DEFAULTS)
        rows.append([f"规则:{rule.zh}", f"rule:{rule.id}", MODE_LABEL[mode][not zh], MODE_LABEL[default][not zh],
                     rule.zh_doc if zh else rule.en_doc])
    write_table(workbook, SETTINGS_USED[not zh],
                ["参数", "key", "值", "默认值", "说明"] if zh else ["parameter", "key", "value", "default", "meaning"],
                rows, lang=lang)


def write_audit(workbook: TableBook, ctx: Context, report: AuditReport, lang: str) -> None:
    zh = lang == "zh"
    columns = [("类型", "kind"), ("规则", "rule"), ("说明", "detail"), ("教师", "teachers"), ("学校", "schools")]
    sep = "、" if zh else ", "

    def rows() -> Iterator[list[Any]]:
        for v in sorted(report.violations, key=lambda v: (not v.hard, v.rule)):
            kind = ("违反" if v.hard else "未达到") if zh else ("broken" if v.hard else "short")
            yield [kind, RULE_BY_ID[v.rule].name(lang), violation_text(ctx.case, v, lang),
                   sep.join(ctx.teacher_name(t) for t in v.teacher_ids),
                   sep.join(ctx.school_name(s) for s in v.school_ids if s)]

    write_table(workbook, AUDIT[not zh], headers(columns, lang), rows(), lang=lang)
