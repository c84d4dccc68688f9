"""The plan workbook's fast table writer (workbook/table_book.py) makes the sheet xlsxwriter makes.

The same rows go through `xlsx.write_table` (xlsxwriter) and `TableBook.add_table`; read back, every
cell's value (by calamine, the planner's own reader: openpyxl does not undo Excel's _xHHHH_ escapes
in inline strings) and the column widths, frozen header and filter (by openpyxl) must agree. The rows mix what the plan sheets hold: names, numbers, dates, yes/no, lists, formula-like
and ID-number-like text, XML's own characters, control characters, texts longer than Excel keeps,
empty cells and short rows, over more than one batch of rows.
"""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from scheduler.domain.personal import mask_id_number
from scheduler.export.personal_data import masked
from scheduler.workbook import xlsx
from scheduler.workbook.table_book import TableBook

HEADERS = ["姓名", "人数", "比例", "日期", "骨干", "学科", "说明", "身份证号", "备注"]


def _rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for i in range(count):
        rows.append([f"教师{i}", i, i / 7, date(2024, 9, 1 + i % 28), i % 3 == 0, ("语文", "音乐")[: 1 + i % 2],
                     "=SUM(A1)" if i % 50 == 0 else f"说明 {i % 9} a&b<c>", f"11010519850301{i % 10000:04d}",
                     None if i % 4 else " 空格 "])
    rows += [[], ["只有姓名"], [None, 3], ["长" * 20000, 1, 0.5, None, False, (), "x\x01y _x0041_", "", "\t=1"]]
    return rows


def _read_back(path):
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()
    sheet = openpyxl.load_workbook(path)["表"]
    widths = {k: round(d.width, 2) for k, d in sheet.column_dimensions.items() if d.width}
    return cells, widths, sheet.freeze_panes, sheet.auto_filter.ref


@pytest.mark.parametrize("notes", [None, ["备注行"] * len(HEADERS)])
def test_table_book_writes_the_sheet_xlsxwriter_writes(tmp_path, notes):
    rows = _rows(4500)  # more than two batches of rows
    reference = tmp_path / "xlsxwriter.xlsx"
    book = xlsx.open_workbook(reference)
    xlsx.write_table(book, "表", [masked(h) for h in HEADERS],
                     ([masked(xlsx.cell_value(v)) for v in row] for row in rows),
                     notes=notes and [masked(n) for n in notes])
    book.close()
    fast = tmp_path / "table_book.xlsx"
    tables = TableBook(fast)
    tables.add_table("表", HEADERS, iter(rows), notes=notes, text=mask_id_number)
    tables.close()

    expected, got = _read_back(reference), _read_back(fast)
    assert got[0] == expected[0]
    assert got[1:] == expected[1:]  # widths, frozen header, filter
    # what the planner relies on, said plainly: ID numbers masked, formulas neutralised
    values = [v for row in got[0] for v in row if isinstance(v, str)]
    assert "110105********0007" in values and not any(v.startswith("1101051985") for v in values)
    assert "'=SUM(A1)" in values
