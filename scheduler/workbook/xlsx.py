"""Writing sheets with xlsxwriter, the same way for case workbooks, templates and plan exports.

Every text is written as a string, never as a formula or link: a cell typed as "=HYPERLINK(...)"
in an upload must come out as that text, not as something Excel runs. A string cell is not enough:
pressing F2 and Enter in Excel, or saving the sheet as CSV and opening that, turns it into a live
formula. So, as OWASP's CSV-injection guidance asks, a text beginning with =, +, -, @, a tab or a
carriage return gets a leading apostrophe ("'=1+2"); the reader takes it off again.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..domain.terms import Term

MAX_WIDTH = 40

# Also a text that already begins with apostrophes before one of those characters gets one more,
# so that the reader, taking one off, gives back exactly what was written ("'=x" stays "'=x").
_FORMULA_START = re.compile("'*[=+\\-@\t\r]")


def neutralised(text: str) -> str:
    """The text as it is safe to put in a cell: a leading apostrophe when a spreadsheet could run it."""
    return "'" + text if _FORMULA_START.match(text) else text


def open_workbook(target: str | Path | IO[bytes]) -> Workbook:
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
               "in_memory": True}
    return xlsxwriter.Workbook(target if not isinstance(target, Path) else str(target), options)


def cell_value(value: Any, lang: str = "zh") -> Any:
    """A domain value as the cell a planner would type."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Term):
        return value.label(lang)
    if isinstance(value, Enum) and hasattr(value, "label"):
        return value.label(lang)
    if isinstance(value, (tuple, list)):
        return ("、" if lang == "zh" else ", ").join(str(cell_value(v, lang)) for v in value)
    return value


def write_table(workbook: Workbook, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                notes: Sequence[str] | None = None, lang: str = "zh") -> Worksheet:
    """A sheet with a bold frozen header (and an optional second header row of notes) and filters."""
    sheet = workbook.add_worksheet(name)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    note_format = workbook.add_format({"italic": True, "font_color": "#595959", "bg_color": "#F2F2F2"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    widths = [_width(h) for h in headers]
    sheet.write_row(0, 0, [neutralised(str(h)) for h in headers], bold)
    first = 1
    if notes:
        sheet.write_row(1, 0, [neutralised(str(n)) for n in notes], note_format)
        first = 2
    last = first - 1
    for last, row in enumerate(rows, start=first):
        for column, value in enumerate(row):
            value = cell_value(value, lang)
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_datetime(last, column, value, date_format)
                widths[column] = max(widths[column], 11)
            elif isinstance(value, str):
                value = neutralised(value)
                sheet.write_string(last, column, value)
                widths[column] = max(widths[column], _width(value))
            else:
                sheet.write_number(last, column, value)
                widths[column] = max(widths[column], len(str(value)) + 1)
    sheet.freeze_panes(first, 0)
    if headers:
        sheet.autofilter(first - 1, 0, last, len(headers) - 1)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width, MAX_WIDTH))
    return sheet


def _width(text: str) -> int:
    # CJK characters take two columns in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text)) + 2
