"""Read uploaded files into a validated `Case`, or a report of everything wrong with them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..domain.models import Case
from ..domain.settings import Settings
from ..runtime import collection_paused
from .build_case import build_case
from .column_mapping import ColumnMapping, UnmatchedSheet
from .reference_checks import check_references
from .report import Report
from .schema import SHEETS
from .school_names import resolve_school_names
from .setting_checks import settings_of
from .sheet_checks import (Columns, check_demand, check_history, check_links, check_pins, check_schools,
                           check_settings, check_teachers)
from .sheet_frame import SheetFrame, frame_table
from .sources import read_sources

# Demand first: its earliest term starts the horizon, which 进本校年月 counts years up to.
_CHECKS = {"demand": check_demand, "schools": check_schools, "links": check_links, "pins": check_pins,
           "history": check_history}


@dataclass
class Loaded:
    """What reading gave: the case (None while there are errors), the report, the sheets as read,
    and the 设置 sheet parsed once into `settings` (None with the case). `case.settings` keeps the
    sheet's text, to be written back as it was."""

    case: Case | None
    report: Report
    frames: dict[str, SheetFrame] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    settings: Settings | None = None
    #: sheets whose required columns were not all found, for the column-mapping page (sheet key →)
    unmatched: dict[str, UnmatchedSheet] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.case is not None


def read_files(files: list[tuple[str, bytes]], columns: ColumnMapping | None = None) -> Loaded:
    """Read a workbook and/or per-sheet CSV files given as (file name, content) pairs.

    `columns` is the planner's column mapping, sheet key → {field key: header as written in the
    file}, applied before the aliases; sheets still missing required columns are in `Loaded.unmatched`.
    """
    with collection_paused():  # a roster's rows become lasting objects, no garbage cycles
        return _read_files(files, columns)


def _read_files(files: list[tuple[str, bytes]], columns: ColumnMapping | None) -> Loaded:
    report = Report()
    raw, unopened = read_sources(files, report)
    frames: dict[str, SheetFrame] = {}
    unmatched: dict[str, UnmatchedSheet] = {}
    for sheet in SHEETS:
        if sheet.key in raw:
            frame = frame_table(raw[sheet.key], report, (columns or {}).get(sheet.key), unmatched)
            if frame is not None:
                frames[sheet.key] = frame
                if sheet.required and frame.text.empty:
                    report.error("empty_sheet", sheet=sheet.key, file=frame.file)
        elif sheet.required and files and not unopened and not any(p.sheet == sheet.key for p in report.problems):
            # A sheet given but unreadable, or any sheet of a workbook that would not open, is not "missing".
            report.error("missing_sheet", sheet=sheet.key, params={"zh": sheet.zh, "en": sheet.key})
    if not files:
        report.error("no_files")

    entries = check_settings(frames["settings"], report) if "settings" in frames else {}
    # The rows refused above are left out, so what remains always makes a Settings.
    settings = settings_of(entries.values())
    resolve_school_names(frames.get("teachers"), frames.get("schools"), report)
    typed: dict[str, Columns] = {key: check(frames[key], report) for key, check in _CHECKS.items() if key in frames}
    if "teachers" in frames:
        typed["teachers"] = check_teachers(frames["teachers"], report, horizon_start(settings, typed.get("demand")))
    check_references(frames, typed, report, settings)
    _name_headers(report, frames)
    names = tuple(name for name, _ in files)
    if not report.ok or any(sheet.required and sheet.key not in frames for sheet in SHEETS):
        return Loaded(None, report, frames, names, unmatched=unmatched)
    text = {key: entry.value for key, entry in entries.items()}
    return Loaded(build_case(frames, typed, text), report, frames, names, settings, unmatched)


def horizon_start(settings: Settings, demand: Columns | None) -> date | None:
    """The first day of the horizon's first term: 规划开始学期, else the earliest need (as
    rules.context takes it); None when neither is known."""
    first = settings.horizon_from
    if first is None and demand is not None:
        first = min((term for term, count in zip(demand["from_term"].tolist(), demand["count"].tolist())
                     if term is not None and count != 0), default=None)
    return first.first_day if first is not None else None


def _name_headers(report: Report, frames: dict[str, SheetFrame]) -> None:
    """Each problem in a column whose header the file writes another way (任教学科 for 学科) names that header too."""
    for position, problem in enumerate(report.problems):
        frame = frames.get(problem.sheet or "")
        if frame is None or not problem.column or problem.header is not None:
            continue
        written = frame.headers.get(problem.column)
        column = frame.sheet.known_column(problem.column)
        if written and column is not None and written.strip() not in (column.zh, column.key):
            report.problems[position] = replace(problem, header=written)


def read_paths(paths: list[str | Path], columns: ColumnMapping | None = None) -> Loaded:
    """Read files from disk; only their bytes are read, the files are never opened for writing."""
    return read_files([(Path(p).name, Path(p).read_bytes()) for p in paths], columns)
