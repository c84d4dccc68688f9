"""Uploaded files to raw tables: one `RawTable` per sheet, cells still as written.

Accepts one workbook (.xlsx and what calamine reads) and/or per-sheet CSV files named after
the sheet. Only reads the bytes handed in: the planner's file is never touched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from .file_kind import refuse_unreadable
from .isolated_read import ChildRead, ChildReader, read_in_child
from .limits import READ_MEMORY_BYTES, size_text
from .report import Report
from .schema import SHEETS, Sheet, sheet_for_name

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
#: Tab names the child reads (as `sheet_for_name` compares them); it skips the rest unread.
_WANTED_SHEETS = {name.casefold() for sheet in SHEETS for name in (sheet.key, sheet.zh, *sheet.aliases)}


@dataclass
class RawTable:
    sheet: Sheet
    source: str  # "roster.xlsx:教师" or "教师.csv": where the planner should look
    file: str
    cells: pd.DataFrame  # header=None: row 0 is the sheet's first row
    #: Positions of the columns whose cells are text already as a planner sees it (`cells.texts`)
    clean: frozenset[int] = frozenset()


def read_sources(files: list[tuple[str, bytes]], report: Report) -> tuple[dict[str, RawTable], set[str]]:
    """Raw tables by sheet key, from (file name, content) pairs, and the workbooks that could not
    be opened at all (their sheets are unknown, so none of them is "missing"); problems go to `report`."""
    tables: dict[str, RawTable] = {}
    unopened: set[str] = set()
    for name, data in files:
        suffix = PurePath(name).suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            found = _read_workbook(name, data, report)
            if found is None:
                unopened.add(name)
                continue
        elif suffix in (".csv", ".txt"):
            found = _read_csv(name, data, report)
        else:
            report.error("file_type", file=name, value=suffix or name)
            continue
        for table in found:
            if table.sheet.key in tables:
                report.error("duplicate_sheet", file=name, value=table.sheet.label("zh"),
                             params={"first": tables[table.sheet.key].source, "second": table.source})
                continue
            tables[table.sheet.key] = table
    return tables, unopened


def _read_workbook(name: str, data: bytes, report: Report) -> list[RawTable] | None:
    """The template's sheets of a workbook; None when the file as a whole cannot be read."""
    wanted = set(_WANTED_SHEETS)
    child = ChildReader(data, wanted)  # it reads while the scan runs; a refusal stops it
    refusals = refuse_unreadable(data)
    if refusals:
        child.cancel()
    for refusal in refusals:
        sheet = sheet_for_name(refusal.sheet_name) if refusal.sheet_name is not None else None
        if sheet is None:
            report.error(refusal.code, file=name, params=refusal.params)
            return None
        report.error(refusal.code, file=name, sheet=sheet.key, params=refusal.params)
        wanted.discard(str(refusal.sheet_name).strip().casefold())
    result = read_in_child(data, wanted) if refusals else child.finish()
    if _file_refused(report, name, result):
        return None
    tables = []
    for child_sheet in result.sheets:
        sheet = sheet_for_name(child_sheet.name)
        if sheet is None:
            if child_sheet.name.strip() not in ("说明", "instructions"):
                report.warning("unknown_sheet", file=name, value=child_sheet.name)
            continue
        if child_sheet.name.strip().casefold() not in wanted:
            continue  # refused above
        if child_sheet.error is not None or child_sheet.columns is None:
            _report_reader_error(report, name, sheet.key, child_sheet.error or ("", "no rows"))
            continue
        cells = pd.DataFrame(dict(enumerate(child_sheet.columns)), dtype=object)
        tables.append(RawTable(sheet, f"{name}:{child_sheet.name}", name, cells, child_sheet.clean))
    return tables


def read_workbook_rows(name: str, data: bytes, report: Report) -> dict[str, list[list]] | None:
    """Every sheet of a workbook as rows of cells, read under the same guards as a roster (the
    plan reader needs any sheet: a planner may have renamed the placements sheet); None, after
    reporting why, when the file cannot be read."""
    refusals = refuse_unreadable(data, lambda sheet_name: True)
    for refusal in refusals:
        report.error(refusal.code, file=name, params=refusal.params)
    if refusals:
        return None
    result = read_in_child(data, None)
    if _file_refused(report, name, result):
        return None
    sheets: dict[str, list[list]] = {}
    for child_sheet in result.sheets:
        if child_sheet.error is not None:
            _report_reader_error(report, name, None, child_sheet.error)
            continue
        sheets[child_sheet.name] = [list(row) for row in zip(*(child_sheet.columns or []))]
    return sheets


def _file_refused(report: Report, name: str, result: ChildRead) -> bool:
    """Whether the child could not read the file as a whole (killed by its caps, or the reader
    refused it); the reason goes to `report`."""
    if result.refusal is not None:
        report.error(result.refusal.code, file=name, params=result.refusal.params)
        return True
    if result.error is not None:
        _report_reader_error(report, name, None, result.error)
        return True
    return False


def _report_reader_error(report: Report, name: str, sheet: str | None, error: tuple[str, str]) -> None:
    kind, text = error
    if kind == "PasswordError":
        report.error("file_encrypted", file=name, sheet=sheet)
    elif kind == "MemoryError":
        report.error("read_memory", file=name, sheet=sheet, params={"limit": size_text(READ_MEMORY_BYTES)})
    elif kind == "PanicException":
        report.error("read_crashed", file=name, sheet=sheet, params={"reason": text})
    else:
        report.error("file_unreadable", file=name, sheet=sheet, params={"reason": text})


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes) -> str | None:
    """The text of a CSV: UTF-16 when it says so (Excel's "Unicode text" is UTF-16LE with a BOM),
    else UTF-8 (with or without BOM), then GB18030: GBK first would garble UTF-8 silently."""
    if data.startswith(_UTF16_BOMS):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        # UTF-16 without a BOM: only the right byte order turns its line ends into line ends.
        encodings = ("utf-16-le", "utf-16-be")
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or (encoding in ("utf-16-le", "utf-16-be") and "\n" not in text):
            continue
        return text
    return None


def _read_csv(name: str, data: bytes, report: Report) -> list[RawTable]:
    sheet = sheet_for_name(PurePath(name).stem)
    if sheet is None:
        report.warning("unknown_file", file=name, value=name)
        return []
    text = decode_text(data)
    if text is None:
        binary = b"\x00" in data and not data.startswith(_UTF16_BOMS)
        report.error("csv_binary" if binary else "csv_encoding", file=name, sheet=sheet.key)
        return []
    try:
        delimiter = _delimiter(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        report.error("csv_parse", file=name, sheet=sheet.key, params={"reason": str(error)})
        return []
    # Blank lines and short rows are common in CSV; pandas is deprecating ragged rows, so pad them.
    width = max(map(len, rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    return [RawTable(sheet, name, name, pd.DataFrame(rows, dtype=object))]


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") + first_line.count("，") else ","


