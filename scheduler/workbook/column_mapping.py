"""Column mapping: which header of the planner's file is which field, when the reader cannot tell.

`read_files(files, columns=...)` takes the planner's choice as sheet key → {field key: header as
written in the file}; it is applied before the aliases, so a mapped header wins over any alias.
A sheet whose required columns were still not found comes back in `Loaded.unmatched` as an
`UnmatchedSheet`: the file's headers, the missing field keys and, for each, the header most like
one of that field's names (difflib), for the mapping page to offer.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .schema import Column, Sheet, header_key

#: Mapping as the UI hands it in: sheet key → {field key: header text in the file}.
ColumnMapping = dict[str, dict[str, str]]
#: How alike a header and a field's name must be (difflib ratio) to be suggested.
SUGGEST_CUTOFF = 0.5


@dataclass(frozen=True)
class UnmatchedSheet:
    """A sheet whose required columns were not all found."""

    sheet: str  # sheet key ("teachers")
    file: str
    #: the file's headers as written, in order (empty cells left out); the header row when found,
    #: else the sheet's first non-empty row
    headers: tuple[str, ...]
    #: the required field keys no header matched
    missing: tuple[str, ...]
    #: field key → the file's header most like one of the field's names, or None
    suggestions: dict[str, str | None] = field(default_factory=dict)
    #: the Excel row of `headers` (None when the sheet is empty)
    header_row: int | None = None


def suggest_header(column: Column, headers: list[str], taken: set[str] = frozenset()) -> str | None:
    """The header (as written) most like one of `column`'s names, or None below `SUGGEST_CUTOFF`."""
    best, best_ratio = None, SUGGEST_CUTOFF
    for header in headers:
        key = header_key(header)
        if not key or header in taken:
            continue
        for name in column.names:
            ratio = difflib.SequenceMatcher(None, key, header_key(name)).ratio()
            if ratio > best_ratio or (ratio == best_ratio and best is None):
                best, best_ratio = header, ratio
    return best


def unmatched_sheet(sheet: Sheet, file: str, headers: list[str], missing: list[str], taken: set[str],
                    header_row: int | None) -> UnmatchedSheet:
    filled = [h for h in headers if h]
    suggestions: dict[str, str | None] = {}
    used = set(taken)
    for key in missing:
        column = sheet.known_column(key)
        suggestion = suggest_header(column, filled, used) if column is not None else None
        if suggestion is not None:
            used.add(suggestion)
        suggestions[key] = suggestion
    return UnmatchedSheet(sheet.key, file, tuple(filled), tuple(missing), suggestions, header_row)
