"""Read uploaded files into a validated `Case`, or a report of everything wrong with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..domain.models import Case
from ..domain.settings import Settings
from .build_case import build_case
from .reference_checks import check_references
from .report import Report
from .schema import SHEETS
from .setting_checks import settings_of
from .sheet_checks import (Columns, check_demand, check_links, check_pins, check_schools, check_settings,
                           check_teachers)
from .sheet_frame import SheetFrame, frame_table
from .sources import read_sources

_CHECKS = {"teachers": check_teachers, "schools": check_schools, "links": check_links,
           "demand": check_demand, "pins": check_pins}


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

    @property
    def ok(self) -> bool:
        return self.case is not None


def read_files(files: list[tuple[str, bytes]]) -> Loaded:
    """Read a workbook and/or per-sheet CSV files given as (file name, content) pairs."""
    report = Report()
    raw, unopened = read_sources(files, report)
    frames: dict[str, SheetFrame] = {}
    for sheet in SHEETS:
        if sheet.key in raw:
            frame = frame_table(raw[sheet.key], report)
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
    columns: dict[str, Columns] = {key: check(frames[key], report) for key, check in _CHECKS.items()
                                   if key in frames}
    check_references(frames, columns, report, settings)
    names = tuple(name for name, _ in files)
    if not report.ok or any(sheet.required and sheet.key not in frames for sheet in SHEETS):
        return Loaded(None, report, frames, names)
    text = {key: entry.value for key, entry in entries.items()}
    return Loaded(build_case(frames, columns, text), report, frames, names, settings)


def read_paths(paths: list[str | Path]) -> Loaded:
    """Read files from disk; only their bytes are read, the files are never opened for writing."""
    return read_files([(Path(p).name, Path(p).read_bytes()) for p in paths])
