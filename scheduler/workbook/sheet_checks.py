"""Checks within one sheet: typed columns, duplicate ids, ranges and orderings.

Each function parses its sheet's columns (reporting unreadable cells) and returns them typed,
so the cross-sheet checks and the case builder never parse text again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..domain.enums import PinAction
from ..domain.settings import check_setting, rule_key, setting_keys
from .report import Report
from .sheet_frame import SheetFrame

Columns = dict[str, pd.Series]


def parse_all(frame: SheetFrame, report: Report) -> Columns:
    return {column.key: frame.parse(column.key, report) for column in frame.sheet.columns}


def flag_duplicates(frame: SheetFrame, report: Report, key: str) -> None:
    ids = frame.column_text(key)
    filled = ids != ""
    repeated = ids.duplicated(keep="first") & filled
    if not repeated.any():
        return
    first_row = dict(zip(ids[filled].drop_duplicates().tolist(),
                         frame.rows[np.flatnonzero((filled & ~ids.duplicated(keep="first")).to_numpy())]))
    for position in np.flatnonzero(repeated.to_numpy()):
        value = ids.iat[position]
        report.error("duplicate_id", sheet=frame.sheet.key, row=int(frame.rows[position]), column=key,
                     value=value, params={"first_row": int(first_row[value])}, file=frame.file)


def flag_term_order(frame: SheetFrame, report: Report, first: pd.Series, last: pd.Series, column: str) -> None:
    both = first.notna() & last.notna()
    if not both.any():
        return
    late = pd.Series(False, index=first.index)
    late[both] = [a.ordinal > b.ordinal for a, b in zip(first[both], last[both])]
    for position in np.flatnonzero(late.to_numpy()):
        report.error("term_order", sheet=frame.sheet.key, row=int(frame.rows[position]), column=column,
                     value=frame.column_text(column).iat[position],
                     params={"first": first.iat[position].label("zh"), "last": last.iat[position].label("zh")},
                     file=frame.file)


def flag_priority(frame: SheetFrame, report: Report, priority: pd.Series) -> None:
    numbers = pd.to_numeric(priority, errors="coerce")
    frame.flag(report, ((numbers < 1) | (numbers > 5)).to_numpy(), "priority_range", "priority")


def check_teachers(frame: SheetFrame, report: Report) -> Columns:
    columns = parse_all(frame, report)
    flag_duplicates(frame, report, "teacher_id")
    flag_term_order(frame, report, columns["available_from"], columns["available_to"], "available_from")
    spouse, ids = frame.column_text("spouse_id"), frame.column_text("teacher_id")
    frame.flag(report, ((spouse != "") & (spouse == ids)).to_numpy(), "spouse_self", "spouse_id")
    return columns


def check_schools(frame: SheetFrame, report: Report) -> Columns:
    columns = parse_all(frame, report)
    flag_duplicates(frame, report, "school_id")
    flag_priority(frame, report, columns["priority"])
    return columns


def check_links(frame: SheetFrame, report: Report) -> Columns:
    columns = parse_all(frame, report)
    lead, member = frame.column_text("lead_school_id"), frame.column_text("member_school_id")
    frame.flag(report, ((lead != "") & (lead == member)).to_numpy(), "link_self", "member_school_id")
    low, high = columns["min_per_year"], columns["max_per_year"]
    both = low.notna() & high.notna()
    crossed = both & (pd.to_numeric(low, errors="coerce") > pd.to_numeric(high, errors="coerce"))
    for position in np.flatnonzero(crossed.to_numpy()):
        report.error("min_gt_max", sheet="links", row=int(frame.rows[position]), column="min_per_year",
                     value=str(low.iat[position]),
                     params={"low": low.iat[position], "high": high.iat[position]}, file=frame.file)
    pair = frame.column_text("program") + "\x1f" + lead + "\x1f" + member
    again = pair.duplicated(keep="first") & (lead != "") & (member != "")
    if again.any():
        first_row = {p: int(r) for p, r in zip(pair.tolist()[::-1], frame.rows[::-1])}
        for position in np.flatnonzero(again.to_numpy()):
            report.warning("duplicate_link", sheet="links", row=int(frame.rows[position]),
                           column="member_school_id", value=member.iat[position],
                           params={"first_row": first_row[pair.iat[position]]}, file=frame.file)
    return columns


def check_demand(frame: SheetFrame, report: Report) -> Columns:
    columns = parse_all(frame, report)
    flag_term_order(frame, report, columns["from_term"], columns["to_term"], "from_term")
    flag_priority(frame, report, columns["priority"])
    frame.flag(report, (columns["count"] == 0).to_numpy(), "zero_count", "count", severity="warning")
    return columns


def check_pins(frame: SheetFrame, report: Report) -> Columns:
    columns = parse_all(frame, report)
    action, school = columns["action"], frame.column_text("school_id")
    for needs_school in (PinAction.PIN, PinAction.FORBID):
        frame.flag(report, ((action == needs_school) & (school == "")).to_numpy(), "pin_needs_school",
                   "school_id", action=needs_school.zh, action_en=needs_school.en)
    return columns


def check_settings(frame: SheetFrame, report: Report) -> dict[str, str]:
    """The settings sheet as English key → text; unknown keys warn, invalid values are errors."""
    keys = setting_keys()
    values: dict[str, str] = {}
    first_row: dict[str, int] = {}
    texts = frame.column_text("value")
    for position, raw_key in enumerate(frame.column_text("key").tolist()):
        row = int(frame.rows[position])
        value = texts.iat[position]
        key = keys.get(raw_key.strip().casefold()) or keys.get(raw_key.strip())
        if key is None and rule_key(raw_key):
            key = "rule:" + rule_key(raw_key)
        if not raw_key:
            report.error("required_empty", sheet="settings", row=row, column="key", file=frame.file)
            continue
        if key is None:
            report.warning("unknown_setting", sheet="settings", row=row, column="key", value=raw_key, file=frame.file)
            continue
        if key in first_row:
            report.warning("duplicate_setting", sheet="settings", row=row, column="key", value=raw_key,
                           params={"first_row": first_row[key]}, file=frame.file)
        reason = check_setting(key, value) if value else None
        if reason:
            report.error("bad_setting", sheet="settings", row=row, column="value", value=value,
                         params={"key": raw_key, "reason": reason}, file=frame.file)
            continue
        first_row.setdefault(key, row)
        values[key] = value
    return values
