"""Small planning workbooks for the reader tests: a clean minimal case, then the one cell a test breaks.

Sheets are plain lists of rows, the first row being the header, so a test reads like the
spreadsheet a planner would open. Excel row numbers are used throughout: row 1 is the header,
row 2 the first data row.
"""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

from openpyxl import Workbook

from scheduler.workbook import Loaded, read_files

Sheets = dict[str, list[list[Any]]]

MINIMAL: Sheets = {
    "教师": [
        ["教师编号", "姓名", "性别", "出生日期", "学校编号", "学科", "兼教学科", "本校任教年限",
         "可交流开始学期", "可交流结束学期", "配偶编号"],
        ["T1", "张伟", "男", "1985-03-12", "S1", "语文", "", 8, "", "", ""],
        ["T2", "王芳", "女", "1990-07-01", "S1", "数学", "", 7, "", "", ""],
    ],
    "学校": [
        ["学校编号", "学校名称", "区县", "城乡类型", "学段"],
        ["S1", "城关小学", "略阳县", "城区", "小学"],
        ["S2", "白水江小学", "略阳县", "乡村", "小学"],
    ],
    "结对": [
        ["项目", "牵头学校", "成员学校"],
        ["学区", "S1", "S2"],
    ],
    "需求": [
        ["学校编号", "学科", "人数", "开始学期", "结束学期"],
        ["S2", "语文", 1, "2026秋", "2027春"],
    ],
}

ENGLISH_SHEETS = {"教师": "teachers", "学校": "schools", "结对": "links", "需求": "demand", "设置": "settings"}
ENGLISH_HEADERS = {
    "教师编号": "teacher_id", "姓名": "name", "性别": "gender", "出生日期": "birth_date", "学校编号": "school_id",
    "学科": "subject", "兼教学科": "other_subjects", "本校任教年限": "years_at_school",
    "可交流开始学期": "available_from", "可交流结束学期": "available_to", "配偶编号": "spouse_id",
    "学校名称": "name", "区县": "county", "城乡类型": "locality", "学段": "stage",
    "项目": "program", "牵头学校": "lead_school_id", "成员学校": "member_school_id",
    "人数": "count", "开始学期": "from_term", "结束学期": "to_term", "参数": "key", "值": "value",
}


def minimal() -> Sheets:
    """A fresh copy of the clean minimal workbook, for a test to change."""
    return copy.deepcopy(MINIMAL)


def set_cell(sheets: Sheets, sheet: str, row: int, header: str, value: Any) -> None:
    """Put `value` in Excel row `row` (header = row 1) under the column headed `header`."""
    rows = sheets[sheet]
    rows[row - 1][rows[0].index(header)] = value


def drop_column(sheets: Sheets, sheet: str, header: str) -> None:
    position = sheets[sheet][0].index(header)
    for row in sheets[sheet]:
        del row[position]


def in_english(sheets: Sheets) -> Sheets:
    """The same workbook with English sheet names and headers."""
    return {ENGLISH_SHEETS[name]: [[ENGLISH_HEADERS[h] for h in rows[0]], *copy.deepcopy(rows[1:])]
            for name, rows in sheets.items()}


def xlsx_bytes(sheets: Sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        page = workbook.create_sheet(name)
        for row in rows:
            page.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def read_sheets(sheets: Sheets, name: str = "roster.xlsx") -> Loaded:
    return read_files([(name, xlsx_bytes(sheets))])


def located(loaded: Loaded) -> list[tuple[str, str, str | None, int | None, str | None, str]]:
    """Each problem as (severity, code, sheet, row, column, value): what a planner needs to find the cell."""
    return [(p.severity, p.code, p.sheet, p.row, p.column, p.value) for p in loaded.report.problems]
