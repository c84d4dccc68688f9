"""Checks across sheets: every id a row names must exist where the contract says it lives."""

from __future__ import annotations

import pandas as pd

from ..domain.enums import PairingMode
from ..domain.settings import Settings
from .report import Report
from .sheet_checks import Columns
from .sheet_frame import SheetFrame


def flag_unknown(frame: SheetFrame, report: Report, key: str, known: set[str], code: str) -> None:
    ids = frame.column_text(key)
    frame.flag(report, ((ids != "") & ~ids.isin(known)).to_numpy(), code, key)


def check_references(frames: dict[str, SheetFrame], columns: dict[str, Columns], report: Report,
                     settings: Settings) -> None:
    teachers, schools = frames.get("teachers"), frames.get("schools")
    # A sheet without its id column has been reported once (missing_column); checking other
    # sheets' references against no ids at all would call every one of them unknown.
    school_ids = set(schools.column_text("school_id")) - {""} if schools and schools.has("school_id") else None
    teacher_ids = set(teachers.column_text("teacher_id")) - {""} if teachers and teachers.has("teacher_id") else None

    if school_ids is not None:
        if teachers:
            flag_unknown(teachers, report, "school_id", school_ids, "unknown_school")
            _flag_unknown_preferences(teachers, columns["teachers"]["preferences"], school_ids, report)
        if "links" in frames:
            for key in ("lead_school_id", "member_school_id"):
                flag_unknown(frames["links"], report, key, school_ids, "unknown_school")
        if "demand" in frames:
            flag_unknown(frames["demand"], report, "school_id", school_ids, "unknown_school")
        if "pins" in frames:
            flag_unknown(frames["pins"], report, "school_id", school_ids, "unknown_school")
    if teacher_ids is not None:
        flag_unknown(teachers, report, "spouse_id", teacher_ids, "unknown_teacher")
        _flag_one_sided_spouses(teachers, report)
        if "pins" in frames:
            flag_unknown(frames["pins"], report, "teacher_id", teacher_ids, "unknown_teacher")
        if "history" in frames:
            # People retire or move: a past placement of someone no longer on the roster is only told.
            history = frames["history"]
            ids = history.column_text("teacher_id")
            history.flag(report, ((ids != "") & ~ids.isin(teacher_ids)).to_numpy(), "history_unknown_teacher",
                         "teacher_id", severity="warning")
    if "demand" in frames and schools is not None:
        _warn_unlinked_demand(frames, report, settings)


def _flag_unknown_preferences(teachers: SheetFrame, preferences: pd.Series, school_ids: set[str],
                              report: Report) -> None:
    for position, wanted in enumerate(preferences.tolist()):
        for school_id in wanted or ():
            if school_id not in school_ids:
                report.warning("unknown_preference", sheet="teachers", row=int(teachers.rows[position]),
                               column="preferences", value=school_id, file=teachers.file)


def _flag_one_sided_spouses(teachers: SheetFrame, report: Report) -> None:
    ids, spouses = teachers.column_text("teacher_id"), teachers.column_text("spouse_id")
    spouse_of = dict(zip(ids, spouses))
    named = (spouses != "") & (spouses != ids) & spouses.isin(spouse_of)
    back = spouses.map(spouse_of)
    teachers.flag(report, (named & (back != ids)).to_numpy(), "spouse_not_mutual", "spouse_id", severity="warning")


def _warn_unlinked_demand(frames: dict[str, SheetFrame], report: Report, settings: Settings) -> None:
    if settings.pairing_mode is not PairingMode.STRICT:
        return
    links = frames.get("links")
    linked = set()
    if links is not None:
        linked = set(links.column_text("lead_school_id")) | set(links.column_text("member_school_id"))
    schools = frames["schools"]
    names = dict(zip(schools.column_text("school_id"), schools.column_text("name")))
    demand = frames["demand"]
    seen: set[str] = set()
    for position, school_id in enumerate(demand.column_text("school_id").tolist()):
        if school_id and school_id in names and school_id not in linked and school_id not in seen:
            seen.add(school_id)
            report.warning("demand_no_link", sheet="demand", row=int(demand.rows[position]), column="school_id",
                           value=school_id, params={"name": names[school_id] or school_id}, file=demand.file)
