"""A raw table with its header found, columns named by contract key and cells as text.

Planners put a title above the header, leave blank rows, add their own columns, or keep the
template's English header row: all of that is accepted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .cells import PARSERS, date_texts, parse_date_number, parse_each, texts
from .report import Report
from .schema import Column, Kind, Sheet, column_for_header
from .sources import RawTable

HEADER_SEARCH_ROWS = 10


@dataclass
class SheetFrame:
    sheet: Sheet
    file: str
    text: pd.DataFrame  # one column per known column key present, then extra headers; text cells
    rows: np.ndarray  # the Excel row number of each data row
    extra_columns: list[str]
    #: Date columns: which cells were typed as numbers (1992.03 is a year and a month, not a serial day).
    typed_numbers: dict[str, np.ndarray] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.text.columns

    def column_text(self, key: str) -> pd.Series:
        if key in self.text.columns:
            return self.text[key]
        return pd.Series([""] * len(self.text), index=self.text.index, dtype=object)

    def flag(self, report: Report, mask: pd.Series | np.ndarray, code: str, column: str | None,
             severity: str = "error", values: pd.Series | None = None, **params: object) -> None:
        """Report `code` on every row where `mask` holds."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        shown = values if values is not None else (self.column_text(column) if column else None)
        for position in positions:
            value = "" if shown is None else str(shown.iat[position])
            report.add(severity, code, sheet=self.sheet.key, row=int(self.rows[position]),
                       column=column, value=value, params=dict(params), file=self.file)

    def parse(self, key: str, report: Report) -> pd.Series:
        """The typed values of a column (None where empty or invalid); invalid cells are reported."""
        column: Column = self.sheet.column(key)
        text = self.column_text(key)
        if not self.has(key):
            return pd.Series([None] * len(text), index=text.index, dtype=object)  # missing_column said it
        if column.required:
            self.flag(report, (text == "").to_numpy(), "required_empty", key)
        parser = PARSERS.get(column.kind.value)
        if parser is None:
            return text.where(text != "", None)
        typed = self.typed_numbers.get(key)
        if typed is None or not typed.any():
            values, failures = parse_each(text, parser)
        else:
            values, failures = parse_each(text.where(~typed, ""), parser)
            numbers, number_failures = parse_each(text.where(typed, ""), parse_date_number)
            values = values.where(~typed, numbers)
            failures.update(number_failures)
        for position, invalid in failures.items():
            report.error(invalid.code, sheet=self.sheet.key, row=int(self.rows[position]), column=key,
                         value=str(text.iat[position]), params=dict(invalid.params), file=self.file)
        return values


def frame_table(raw: RawTable, report: Report) -> SheetFrame | None:
    """Find the header row and build the text frame; None when the sheet cannot be read."""
    cells = raw.cells
    sheet = raw.sheet
    if cells.empty or cells.shape[1] == 0:
        if sheet.required:
            report.error("empty_sheet", sheet=sheet.key, file=raw.file)
        return None
    head = cells.head(HEADER_SEARCH_ROWS).apply(texts)
    header_at, header = _best_header(sheet, head)
    if header_at is None:
        if sheet.required or head.ne("").any().any():
            expected = "、".join(c.zh for c in sheet.columns if c.required)
            report.error("no_header", sheet=sheet.key, file=raw.file, params={"expected": expected})
        return None

    known: dict[str, int] = {}
    extras: dict[str, int] = {}
    for position, title in enumerate(header):
        column = column_for_header(sheet, title)
        if column is None:
            if title and title not in extras:
                extras[title] = position
            continue
        if column.key in known:
            report.error("duplicate_column", sheet=sheet.key, row=header_at + 1, column=column.key,
                         value=title, file=raw.file)
            continue
        known[column.key] = position
    for column in sheet.columns:
        if column.required and column.key not in known:
            report.error("missing_column", sheet=sheet.key, row=header_at + 1, column=column.key,
                         params={"zh": column.zh, "en": column.key}, file=raw.file)

    first = header_at + 1
    if first < len(head) and _is_header_row(sheet, head.iloc[first].tolist()):
        first += 1  # the template's second header row, in the other language
    body = cells.iloc[first:]
    positions = {**known, **extras}
    columns: dict[str, pd.Series] = {}
    typed: dict[str, np.ndarray] = {}
    for name, pos in positions.items():
        if name in known and sheet.column(name).kind is Kind.DATE:
            columns[name], typed[name] = date_texts(body.iloc[:, pos])
        else:
            columns[name] = texts(body.iloc[:, pos])
    text = pd.DataFrame(columns, index=body.index, columns=list(positions))
    filled = text.ne("").any(axis=1).to_numpy() if len(text.columns) else np.zeros(len(text), bool)
    text = text[filled].reset_index(drop=True)
    rows = (np.arange(first, len(cells))[filled] + 1).astype(int)
    return SheetFrame(sheet, raw.file, text, rows, list(extras), {k: v[filled] for k, v in typed.items()})


def _best_header(sheet: Sheet, head: pd.DataFrame) -> tuple[int | None, list[str]]:
    best, best_count = None, 0
    for position in range(len(head)):
        row = head.iloc[position].tolist()
        count = sum(column_for_header(sheet, cell) is not None for cell in row if cell)
        if count > best_count:
            best, best_count = position, count
    if best is None:
        return None, []
    return best, head.iloc[best].tolist()


def _is_header_row(sheet: Sheet, row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    return bool(filled) and all(column_for_header(sheet, cell) is not None for cell in filled)
