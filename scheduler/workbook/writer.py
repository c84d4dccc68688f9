"""Write a `Case` back as a workbook in the contract's format, so reading it again gives the same case.

Columns the contract does not know (the `extra` of each row) are written after the known ones.

A case workbook is the planner's own input, so it is written whole, 身份证号 included: this is the
one place the tool writes an ID number in full (the generated sample rosters carry fictitious
ones). Plan workbooks, JSON summaries, pages and messages never do (`domain.personal`).

`registry=` writes the teacher sheet the way a registry (花名册) exports it instead: a merged
title row and a 填报单位 line above the header, 序号, the registry's header names (工号, 教师姓名,
所在学校 for the school, 任教学科, 现聘专业技术职称, 骨干教师级别), 出生年月 and 进本校年月 typed as
bureaus type them (1985.03, 1985年3月, 2015.09), titles partly written the old way, 进本校年月 instead
of 本校任教年限, and a note block under the table. Reading it gives the same case, except that a
birth date written as a month reads as the first of that month.
"""

from __future__ import annotations

import zlib
from datetime import date
from pathlib import Path
from typing import IO, Any, Protocol, Sequence

from pydantic import BaseModel
from xlsxwriter.workbook import Workbook

from ..domain.enums import BackboneLevel, Stage, Title
from ..domain.models import Case, School, Teacher
from .schema import DEMAND, HISTORY, LINKS, PINS, SCHOOLS, SETTINGS, TEACHERS, Sheet
from .xlsx import MAX_WIDTH, cell_value, neutralised, open_workbook, write_table


class RegistryLayout(Protocol):
    """What the registry layout needs to know (a seed's `[roster]` table has these)."""

    title: str
    unit: str
    notes: Sequence[str]
    old_titles: float


def _value(item: BaseModel, key: str) -> Any:
    if isinstance(item, Teacher) and key == "backbone":
        return item.backbone_level if item.backbone_level is not None else item.backbone
    return getattr(item, key)


def _write_items(workbook, sheet: Sheet, items: list[BaseModel], lang: str, name: str | None = None) -> None:
    extras = list(dict.fromkeys(name for item in items for name in item.extra))
    headers = [c.label(lang) for c in sheet.columns] + extras
    rows = ([_value(item, c.key) for c in sheet.columns] + [item.extra.get(name, "") for name in extras]
            for item in items)
    write_table(workbook, name or sheet.label(lang), headers, rows, lang=lang)


def write_case(case: Case, target: str | Path | IO[bytes], lang: str = "zh",
               properties: dict[str, str] | None = None, registry: RegistryLayout | None = None) -> None:
    """Write every sheet of `case` (Chinese sheet names and headers, or English with lang="en").

    `properties` become custom document properties (`generate` marks its workbooks with one).
    `registry` writes the teachers as a registry exports them (Chinese only) and names the
    schools and demand sheets as registries do (学校信息, 岗位需求).
    """
    workbook = open_workbook(target)
    for name, value in (properties or {}).items():
        workbook.set_custom_property(name, value)
    if registry is not None:
        write_registry_teachers(workbook, case, registry)
        _write_items(workbook, SCHOOLS, case.schools, "zh", "学校信息")
    else:
        _write_items(workbook, TEACHERS, case.teachers, lang)
        _write_items(workbook, SCHOOLS, case.schools, lang)
    _write_items(workbook, LINKS, case.links, lang)
    _write_items(workbook, DEMAND, case.demands, lang, "岗位需求" if registry is not None else None)
    _write_items(workbook, PINS, case.pins, lang)
    write_table(workbook, SETTINGS.label(lang), [c.label(lang) for c in SETTINGS.columns],
                ([key, value] for key, value in case.settings.items()), lang=lang)
    _write_items(workbook, HISTORY, case.history, lang)
    workbook.close()


# --- the registry layout ------------------------------------------------------------------

REGISTRY_SHEET = "花名册"

#: (header as the registry writes it, how a teacher's cell is made); 序号 comes first
REGISTRY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("工号", "teacher_id"), ("教师姓名", "name"), ("性别", "gender"), ("身份证号", "id_number"),
    ("出生年月", "birth_date"), ("所在学校", "school_name"), ("任教学科", "subject"), ("兼任学科", "other_subjects"),
    ("现聘专业技术职称", "title"), ("骨干教师级别", "backbone"), ("进本校年月", "joined_school"),
    ("参加工作年月", "started_work"), ("在岗状态", "status"), ("是否在编", "on_staff"), ("职务", "post"),
    ("免交流原因", "exemption"), ("可交流开始学期", "available_from"), ("可交流结束学期", "available_to"),
    ("志愿学校", "preferences"), ("配偶编号", "spouse_id"), ("团队编号", "team_id"),
    ("拟申报高级职称", "seeking_promotion"),
)

# Titles before the 2015 reform: secondary and primary teachers had series of their own.
_OLD_SECONDARY = {Title.FULL_SENIOR: "正高级教师", Title.SENIOR: "中学高级教师", Title.FIRST: "中学一级教师",
                  Title.SECOND: "中学二级教师", Title.THIRD: "中学三级教师"}
_OLD_PRIMARY = {Title.FULL_SENIOR: "正高级教师", Title.SENIOR: "中小学高级教师", Title.FIRST: "小学高级教师",
                Title.SECOND: "小学一级教师", Title.THIRD: "小学二级教师"}
_UNIFIED = {Title.FULL_SENIOR: "正高级教师", Title.SENIOR: "中小学高级教师", Title.FIRST: "中小学一级教师",
            Title.SECOND: "中小学二级教师", Title.THIRD: "中小学三级教师"}
_SECONDARY = (Stage.JUNIOR, Stage.SENIOR, Stage.NINE_YEAR)
_BACKBONE_WORDS = {BackboneLevel.COUNTY: "县级骨干教师", BackboneLevel.CITY: "市级骨干教师",
                   BackboneLevel.PROVINCE: "省级骨干教师", BackboneLevel.MASTER: "学科带头人"}


def _draw(teacher: Teacher, salt: str) -> float:
    """A fixed number in [0, 1) per teacher and purpose: hand-typed variety that is the same every run."""
    return zlib.crc32(f"{salt}:{teacher.teacher_id}".encode()) / 2**32


def _month_text(day: date | None, teacher: Teacher, salt: str) -> Any:
    """A month as bureaus type it: 1985.03 (a number, when it cannot be misread), 1985.03, 1985年3月, 1985-03.

    A number is never written for October: 1985.10 typed into a cell becomes 1985.1, which the
    reader rightly refuses (January or October?).
    """
    if day is None:
        return None
    style = int(_draw(teacher, salt) * 4)
    if style == 0 and day.month != 10:
        return float(f"{day.year}.{day.month:02d}")
    if style == 2:
        return f"{day.year}年{day.month}月"
    if style == 3:
        return f"{day:%Y-%m}"
    return f"{day.year}.{day.month:02d}"


def _title_text(teacher: Teacher, school: School | None, old_share: float) -> str | None:
    if teacher.title is None:
        return "未定级"
    if _draw(teacher, "title") < old_share:
        series = _OLD_SECONDARY if school is not None and school.stage in _SECONDARY else _OLD_PRIMARY
        return series[teacher.title]
    return _UNIFIED[teacher.title]


def _backbone_text(teacher: Teacher) -> str:
    if teacher.backbone_level is not None:
        return _BACKBONE_WORDS[teacher.backbone_level]
    return "是" if teacher.backbone else "无"


def registry_row(case: Case, teacher: Teacher, layout: RegistryLayout) -> list[Any]:
    """The cells of one teacher in the registry layout, 序号 not included."""
    school = case.school(teacher.school_id) if case.has_school(teacher.school_id) else None
    cells: dict[str, Any] = {
        "school_name": school.name if school is not None else teacher.school_id,
        "birth_date": _month_text(teacher.birth_date, teacher, "birth"),
        "joined_school": _month_text(teacher.joined_school, teacher, "joined"),
        "started_work": _month_text(teacher.started_work, teacher, "started"),
        "title": _title_text(teacher, school, layout.old_titles),
        "backbone": _backbone_text(teacher),
        "status": teacher.status or "在岗",
        "on_staff": teacher.on_staff is not False,
    }
    return [cells[key] if key in cells else getattr(teacher, key) for _, key in REGISTRY_COLUMNS]


def write_registry_teachers(workbook: Workbook, case: Case, layout: RegistryLayout) -> None:
    """The 花名册 sheet: title rows, the table with 序号, then the notes."""
    sheet = workbook.add_worksheet(REGISTRY_SHEET)
    extras = list(dict.fromkeys(name for t in case.teachers for name in t.extra))
    headers = ["序号", *(zh for zh, _ in REGISTRY_COLUMNS), *extras]
    last_column = len(headers) - 1
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    plain = workbook.add_format({"align": "left"})
    header = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                  "text_wrap": True, "bg_color": "#F2F2F2"})
    cell = workbook.add_format({"border": 1})
    sheet.merge_range(0, 0, 0, last_column, neutralised(layout.title), title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last_column, neutralised(layout.unit), plain)
    sheet.write_row(2, 0, [neutralised(h) for h in headers], header)
    widths = [max(6, len(h) * 2 + 2) for h in headers]
    row = 2
    for number, teacher in enumerate(case.teachers, start=1):
        row += 1
        values = [number, *registry_row(case, teacher, layout), *(teacher.extra.get(e, "") for e in extras)]
        for column, value in enumerate(values):
            value = cell_value(value)
            if value is None or value == "":
                sheet.write_blank(row, column, None, cell)
            elif isinstance(value, str):
                sheet.write_string(row, column, neutralised(value), cell)
                widths[column] = max(widths[column], _text_width(value))
            else:
                sheet.write_number(row, column, value, cell)
    if layout.notes:
        # One merged block under an empty row, its first line beginning with 注, as bureaus write it.
        notes = workbook.add_format({"align": "left", "valign": "top", "text_wrap": True})
        first = row + 2
        sheet.merge_range(first, 0, first + len(layout.notes) - 1, last_column,
                          neutralised("\n".join(layout.notes)), notes)
    sheet.freeze_panes(3, 3)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width, MAX_WIDTH))


def _text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2
