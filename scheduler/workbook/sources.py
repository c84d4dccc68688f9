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
from python_calamine import CalamineWorkbook

from .report import Report
from .schema import Sheet, sheet_for_name

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass
class RawTable:
    sheet: Sheet
    source: str  # "roster.xlsx:教师" or "教师.csv": where the planner should look
    file: str
    cells: pd.DataFrame  # header=None: row 0 is the sheet's first row


def read_sources(files: list[tuple[str, bytes]], report: Report) -> dict[str, RawTable]:
    """Raw tables by sheet key, from (file name, content) pairs; problems go to `report`."""
    tables: dict[str, RawTable] = {}
    for name, data in files:
        suffix = PurePath(name).suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            found = _read_workbook(name, data, report)
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
    return tables


def _read_workbook(name: str, data: bytes, report: Report) -> list[RawTable]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = list(workbook.sheet_names)
    except Exception as error:  # calamine raises its own, undocumented error types
        report.error("file_unreadable", file=name, params={"reason": _reason(error)})
        return []
    tables = []
    for sheet_name in sheet_names:
        sheet = sheet_for_name(sheet_name)
        if sheet is None:
            if str(sheet_name).strip() not in ("说明", "instructions"):
                report.warning("unknown_sheet", file=name, value=str(sheet_name))
            continue
        try:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as error:
            report.error("file_unreadable", file=name, sheet=sheet.key, params={"reason": _reason(error)})
            continue
        tables.append(RawTable(sheet, f"{name}:{sheet_name}", name, pd.DataFrame(rows, dtype=object)))
    return tables


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) first, then GB18030: GBK first would garble UTF-8 silently."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(name: str, data: bytes, report: Report) -> list[RawTable]:
    sheet = sheet_for_name(PurePath(name).stem)
    if sheet is None:
        report.warning("unknown_file", file=name, value=name)
        return []
    if b"\x00" in data:
        report.error("csv_binary", file=name, sheet=sheet.key)
        return []
    text = decode_text(data)
    if text is None:
        report.error("csv_encoding", file=name, sheet=sheet.key)
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


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text[:200]
