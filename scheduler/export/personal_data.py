"""Plan exports never hold an ID number (居民身份证号码) in full.

No sheet of the plan workbook has a 身份证号 column, but a roster's own columns travel with the
teachers (a county may call its ID column 公民身份号码, which is no alias and so an extra column),
and a county may even use ID numbers as 教师编号. So every text that leaves through the plan
workbook or the JSON summary goes through `domain.personal.mask_id_number` (first 6 and last 4
kept: 610799********123X), whatever its column. A teacher id masked this way no longer reads back
as a plan; hiding the number comes first.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..domain.personal import mask_id_number
from ..workbook import xlsx
from ..workbook.table_book import TableBook


def masked(value: Any) -> Any:
    """A cell or JSON value with every ID number in it masked; numbers, dates and None as they are."""
    if isinstance(value, str):
        return mask_id_number(value)
    if isinstance(value, dict):
        return {masked(k): masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v) for v in value]
    return value


def write_table(workbook: Workbook | TableBook, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                notes: Sequence[str] | None = None, lang: str = "zh") -> Worksheet | None:
    """`workbook.xlsx.write_table` (or `TableBook.add_table`), every header and text cell masked on
    its way into the sheet."""
    if isinstance(workbook, TableBook):
        workbook.add_table(name, headers, rows, notes=notes, lang=lang, text=mask_id_number)
        return None
    return xlsx.write_table(workbook, name, [masked(str(h)) for h in headers],
                            ([_cell(v, lang) for v in row] for row in rows),
                            notes=None if notes is None else [masked(str(n)) for n in notes], lang=lang)


def _cell(value: Any, lang: str) -> Any:
    # As the sheet will show it (lists joined, terms and labels written out), then masked.
    return masked(xlsx.cell_value(value, lang))
