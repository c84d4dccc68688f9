"""A raw table with its header found, columns named by contract key and cells as text.

Planners put a title above the header, leave blank rows, add their own columns, or keep the
template's English header row; registry exports (花名册) add up to 10 title rows, a 序号 column,
headers of their own (aliases, see schema) and a note block below the table: all of that is
accepted here. A column mapping chosen by the planner is applied before the aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .cells import PARSERS, date_texts, parse_date_number, parse_each, texts
from .column_mapping import UnmatchedSheet, unmatched_sheet
from .report import Report
from .schema import IGNORED_HEADERS, Column, Kind, Sheet, column_for_header, header_key
from .sources import RawTable

#: Up to 10 title rows above the header (WORKBOOK.md), so the header is one of the first 11 rows.
HEADER_SEARCH_ROWS = 11
#: A row whose first cell starts so, below the table, begins the note block: it and all after it are not data.
NOTE_STARTS = ("注", "说明", "填表说明")


@dataclass
class SheetFrame:
    sheet: Sheet
    file: str
    text: pd.DataFrame  # one column per known column key present, then extra headers; text cells
    rows: np.ndarray  # the Excel row number of each data row
    extra_columns: list[str]
    #: Date columns: which cells were typed as numbers (1992.03 is a year and a month, not a serial day).
    typed_numbers: dict[str, np.ndarray] = field(default_factory=dict)
    #: column key → the header as written in the file (任教学科 for subject)
    headers: dict[str, str] = field(default_factory=dict)
    #: column key → rows whose problems in that column were already told another way (a school
    #: name that matched no school; years counted from 进本校年月): `flag` skips them
    excused: dict[str, np.ndarray] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.text.columns

    def column_text(self, key: str) -> pd.Series:
        if key in self.text.columns:
            return self.text[key]
        return pd.Series([""] * len(self.text), index=self.text.index, dtype=object)

    def flag(self, report: Report, mask: pd.Series | np.ndarray, code: str, column: str | None,
             severity: str = "error", values: pd.Series | None = None, **params: object) -> None:
        """Report `code` on every row where `mask` holds."""
        mask = np.asarray(mask, dtype=bool)
        if column in self.excused:
            mask = mask & ~self.excused[column]
        positions = np.flatnonzero(mask)
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


class HeaderMatcher:
    """Which column a header names: the planner's mapping first, then the schema's names and aliases.
    A field the planner mapped to one header is not also taken by an alias elsewhere."""

    def __init__(self, sheet: Sheet, mapping: dict[str, str] | None = None):
        self.sheet = sheet
        self.mapped: dict[str, Column] = {}
        for key, header in (mapping or {}).items():
            column = sheet.known_column(key)
            if column is not None and header_key(header):
                self.mapped[header_key(header)] = column
        self.mapped_keys = {column.key for column in self.mapped.values()}

    def __call__(self, header: str) -> Column | None:
        key = header_key(header)
        if key in self.mapped:
            return self.mapped[key]
        if key in IGNORED_HEADERS:
            return None
        column = column_for_header(self.sheet, header)
        return None if column is None or column.key in self.mapped_keys else column


def frame_table(raw: RawTable, report: Report, mapping: dict[str, str] | None = None,
                unmatched: dict[str, UnmatchedSheet] | None = None) -> SheetFrame | None:
    """Find the header row and build the text frame; None when the sheet cannot be read.

    `mapping` is the planner's field key → header for this sheet; a sheet whose required columns
    are not all found is described in `unmatched` (when given) for the column-mapping page.
    """
    cells = raw.cells
    sheet = raw.sheet
    if cells.empty or cells.shape[1] == 0:
        if sheet.required:
            report.error("empty_sheet", sheet=sheet.key, file=raw.file)
        return None
    match = HeaderMatcher(sheet, mapping)
    head = cells.head(HEADER_SEARCH_ROWS + 1).apply(texts)
    header_at, header = _best_header(match, head.iloc[:HEADER_SEARCH_ROWS])
    if header_at is None:
        filled_rows = [i for i in range(len(head)) if head.iloc[i].ne("").any()]
        if sheet.required or filled_rows:
            expected = "、".join(c.zh for c in sheet.columns if c.required)
            report.error("no_header", sheet=sheet.key, file=raw.file, params={"expected": expected})
        if unmatched is not None and filled_rows:
            unmatched[sheet.key] = unmatched_sheet(sheet, raw.file, head.iloc[filled_rows[0]].tolist(),
                                                   [c.key for c in sheet.columns if c.required], set(),
                                                   filled_rows[0] + 1)
        return None

    known: dict[str, int] = {}
    written: dict[str, str] = {}
    extras: dict[str, int] = {}
    for position, title in enumerate(header):
        if not title or header_key(title) in IGNORED_HEADERS and header_key(title) not in match.mapped:
            continue  # 序号 counts rows, it is no data
        column = match(title)
        if column is None:
            if title not in extras:
                extras[title] = position
            continue
        if column.key in known:
            report.error("duplicate_column", sheet=sheet.key, row=header_at + 1, column=column.key,
                         value=title, file=raw.file)
            continue
        known[column.key] = position
        written[column.key] = title
    for required, alternative in sheet.satisfied_by:
        # A stand-in (学校名称 for 学校编号) is read only when its column is missing; else it passes through.
        if required in known and alternative in known and sheet.known_column(alternative) in sheet.stand_ins:
            extras.setdefault(written.pop(alternative), known.pop(alternative))
    missing = [column.key for column in sheet.columns if column.required and column.key not in known
               and not any(alt in known for alt in sheet.stand_ins_for(column.key))]
    for key in missing:
        column = sheet.column(key)
        report.error("missing_column", sheet=sheet.key, row=header_at + 1, column=key,
                     params={"zh": column.zh, "en": column.key}, file=raw.file)
    if missing and unmatched is not None:
        unmatched[sheet.key] = unmatched_sheet(sheet, raw.file, header, missing, set(written.values()),
                                               header_at + 1)

    first = header_at + 1
    if first < len(head) and _is_header_row(match, head.iloc[first].tolist()):
        first += 1  # the template's second header row, in the other language
    body = cells.iloc[first:]
    end = _note_start(body, header)
    if end is not None:
        body = body.iloc[:end]
    positions = {**known, **extras}
    columns: dict[str, pd.Series] = {}
    typed: dict[str, np.ndarray] = {}
    for name, pos in positions.items():
        if name in known and sheet.known_column(name).kind is Kind.DATE:
            columns[name], typed[name] = date_texts(body.iloc[:, pos])
        else:
            columns[name] = texts(body.iloc[:, pos], pos in raw.clean)
    text = pd.DataFrame(columns, index=body.index, columns=list(positions))
    filled = _filled_rows(columns.values(), len(text))
    text = text.reset_index(drop=True) if filled.all() else text[filled].reset_index(drop=True)
    rows = (np.arange(first, first + len(body))[filled] + 1).astype(int)
    return SheetFrame(sheet, raw.file, text, rows, list(extras), {k: v[filled] for k, v in typed.items()},
                      written)


def _filled_rows(columns, length: int) -> np.ndarray:
    """Which rows have any cell filled: each column is asked only about the rows still empty (the
    first, a teacher's number, settles nearly all of a roster's rows), not every cell compared."""
    filled = np.zeros(length, bool)
    for column in columns:
        empty = np.flatnonzero(~filled)
        if not len(empty):
            break
        values = column.to_numpy(dtype=object)
        filled[empty] = values[empty] != ""
    return filled


def _note_start(body: pd.DataFrame, header: list[str]) -> int | None:
    """Position in `body` of the row that opens the note block (its first filled cell starts with
    注, 说明 or 填表说明 and at most one more cell is filled), None when there is none."""
    lead = next((i for i, title in enumerate(header) if title), 0) + 1
    if body.empty:
        return None
    firsts = pd.Series([""] * len(body), dtype=object)
    for position in range(min(lead, body.shape[1])):
        cell = texts(body.iloc[:, position]).reset_index(drop=True)
        firsts = firsts.where(firsts != "", cell)
    candidates = np.flatnonzero(firsts.str.startswith(NOTE_STARTS).to_numpy())
    for position in candidates:
        row = texts(body.iloc[position])
        if int(row.ne("").sum()) <= 2:
            return int(position)
    return None


def _best_header(match: HeaderMatcher, head: pd.DataFrame) -> tuple[int | None, list[str]]:
    best, best_count = None, 0
    for position in range(len(head)):
        row = head.iloc[position].tolist()
        count = sum(match(cell) is not None for cell in row if cell)
        if count > best_count:
            best, best_count = position, count
    if best is None:
        return None, []
    return best, head.iloc[best].tolist()


def _is_header_row(match: HeaderMatcher, row: list[str]) -> bool:
    filled = [cell for cell in row if cell and header_key(cell) not in IGNORED_HEADERS]
    return bool(filled) and all(match(cell) is not None for cell in filled)
