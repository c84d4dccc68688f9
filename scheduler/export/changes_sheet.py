"""The 变更 sheet of a re-plan and its `changes` in the JSON summary: what became of each teacher
of the published plan and of the new one (rules/changes.py), with the reason.

The sheet lists every teacher, the changes first (取消, 调整, 新增) and then the kept (保留), so a
change notice can be cut from its top rows; the JSON `changes` holds only the teachers whose
placement was added, dropped or altered (WORKBOOK.md, "Re-planning after publication"). Cells go
through `personal_data.write_table` (text guarded against formulas, ID numbers masked).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..workbook.table_book import TableBook

from ..domain.subjects import subject_label
from ..plan import Placement
from ..rules.changes import KIND_LABEL, Change
from ..rules.context import Context
from .personal_data import write_table

CHANGES = ("变更", "changes")

_COLUMNS = [("类别", "change"), ("教师编号", "teacher_id"), ("姓名", "name"), ("原单位", "home_school"),
            ("原接收学校编号", "before_school_id"), ("原接收学校", "before_school"), ("原学科", "before_subject"),
            ("原开始学期", "before_start"), ("原学期数", "before_terms"),
            ("现接收学校编号", "after_school_id"), ("现接收学校", "after_school"), ("现学科", "after_subject"),
            ("现开始学期", "after_start"), ("现学期数", "after_terms"), ("原因", "reason"), ("说明", "detail")]

#: Change.reason → the 原因 column's words
REASON_LABEL = {"withdrawn": ("退出交流", "withdrawn"), "forbidden": ("禁止去该校", "school forbidden"),
                "need_changed": ("需求变化", "need changed"), "pinned": ("锁定", "pinned"),
                "not_allowed": ("规则不再允许", "no longer allowed"),
                "higher_priority": ("优先级更高的规则", "a higher rule"),
                "unknown_teacher": ("名册中已无此人", "not in the roster"),
                "school_gone": ("学校已不在学校表", "school gone"),
                "refill": ("接替空出的岗位", "refills a seat"), "fill_need": ("填补需求", "fills a need"),
                "quota": ("交流比例", "quota"), "": ("", "")}


def _side(ctx: Context, placement: Placement | None, lang: str) -> list[Any]:
    if placement is None:
        return ["", "", "", "", None]
    return [placement.school_id, ctx.school_name(placement.school_id), subject_label(placement.subject, lang),
            placement.start, placement.terms]


def change_row(ctx: Context, change: Change, lang: str) -> list[Any]:
    known = ctx.case.has_teacher(change.teacher_id)
    teacher = ctx.case.teacher(change.teacher_id) if known else None
    home = ctx.school_name(teacher.school_id) if teacher else ""
    return [KIND_LABEL[change.kind].get(lang), change.teacher_id, teacher.name if teacher else "", home,
            *_side(ctx, change.before, lang), *_side(ctx, change.after, lang),
            REASON_LABEL.get(change.reason, (change.reason, change.reason))[lang != "zh"], change.text.get(lang)]


def write_changes(workbook: TableBook, ctx: Context, changes: Sequence[Change], lang: str) -> None:
    write_table(workbook, CHANGES[lang != "zh"], [zh if lang == "zh" else en for zh, en in _COLUMNS],
                (change_row(ctx, change, lang) for change in changes), lang=lang)


def _placement_record(ctx: Context, placement: Placement | None) -> dict[str, Any] | None:
    if placement is None:
        return None
    return {"school_id": placement.school_id, "school_name": ctx.school_name(placement.school_id),
            "start_term": placement.start.label("zh"), "subject": placement.subject, "terms": placement.terms}


def change_records(ctx: Context, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The JSON `changes`: one per teacher whose placement was added, dropped or altered (not masked
    here: `summary.plan_summary` masks the whole summary)."""
    return [{"teacher_id": c.teacher_id,
             "teacher_name": ctx.teacher_name(c.teacher_id) if ctx.case.has_teacher(c.teacher_id) else None,
             "kind": c.kind, "before": _placement_record(ctx, c.before), "after": _placement_record(ctx, c.after),
             "reason": c.reason, "zh": c.text.zh, "en": c.text.en}
            for c in changes if c.changed]
