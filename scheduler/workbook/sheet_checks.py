"""Checks within one sheet: typed columns, duplicate ids, ranges and orderings.

Each function parses its sheet's columns (reporting unreadable cells) and returns them typed,
so the cross-sheet checks and the case builder never parse text again.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..domain.enums import PinAction
from ..domain.personal import id_birth_date, id_gender, mask_id_number
from .report import Report
from .setting_checks import Entry, check_entry, horizon_params
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


#: A teacher born before this is past any retirement age (WORKBOOK.md: before 1940 is an error).
EARLIEST_BIRTH = date(1940, 1, 1)
#: Whole years at one school: a working life, no more.
MAX_YEARS_AT_SCHOOL = 60


def flag_birth_dates(frame: SheetFrame, report: Report, births: pd.Series, today: date | None = None,
                     column: pd.Series | None = None) -> None:
    """Birth dates before 1940, or less than 18 years before `today` (the horizon's start; a future
    date among them), are typos. `column` names, per row, the column the date came from."""
    today = today or date.today()
    latest = _years_before(today, 18)
    for position, born in enumerate(births.tolist()):
        if born is not None and not EARLIEST_BIRTH <= born <= latest:
            report.error("birth_date_range", sheet=frame.sheet.key, row=int(frame.rows[position]),
                         column="birth_date" if column is None else column.iat[position],
                         value=born.isoformat(), params={"latest": latest.isoformat()}, file=frame.file)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def whole_years(since: date, on: date) -> int:
    """Whole years from `since` to `on` (a birthday-style count)."""
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def check_teachers(frame: SheetFrame, report: Report, start: date | None = None) -> Columns:
    """The teachers sheet, typed. `start` is the first day of the planning horizon (years at the
    school counted from 进本校年月, ages, the 18-year floor); today when the horizon is unknown."""
    start = start or date.today()
    if frame.has("joined_school"):
        # 进本校年月 gives the years where it is filled: an empty 本校任教年限 there is no problem.
        frame.excused["years_at_school"] = (frame.column_text("joined_school") != "").to_numpy()
    columns = parse_all(frame, report)
    frame.excused.pop("years_at_school", None)  # counted years beyond a working life are still told
    flag_duplicates(frame, report, "teacher_id")
    source = _check_id_numbers(frame, report, columns)
    flag_birth_dates(frame, report, columns["birth_date"], start, source)
    _years_from_joined(frame, report, columns, start)
    years = pd.to_numeric(columns["years_at_school"], errors="coerce")
    frame.flag(report, (years > MAX_YEARS_AT_SCHOOL).to_numpy(), "out_of_range", "years_at_school",
               low=0, high=MAX_YEARS_AT_SCHOOL)
    flag_term_order(frame, report, columns["available_from"], columns["available_to"], "available_from")
    spouse, ids = frame.column_text("spouse_id"), frame.column_text("teacher_id")
    frame.flag(report, ((spouse != "") & (spouse == ids)).to_numpy(), "spouse_self", "spouse_id")
    if frame.has("id_number"):
        # What the pages show of the sheet as read: never an ID number in full.
        frame.text["id_number"] = frame.text["id_number"].map(mask_id_number)
    return columns


def _check_id_numbers(frame: SheetFrame, report: Report, columns: Columns) -> pd.Series | None:
    """Duplicated ID numbers are errors; an ID fills an empty 出生日期 and 性别, and a given one that
    disagrees is a warning. Returns, per row, the column the birth date came from (None: all given)."""
    if not frame.has("id_number"):
        return None
    numbers = columns["id_number"]
    valid = numbers.notna()
    flat = numbers.where(valid, "")
    again = (flat.duplicated(keep="first") & valid).to_numpy()
    if again.any():
        first_row = {n: int(r) for n, r in zip(flat.tolist()[::-1], frame.rows[::-1])}
        for position in np.flatnonzero(again):
            report.error("duplicate_id_number", sheet=frame.sheet.key, row=int(frame.rows[position]),
                         column="id_number", value=flat.iat[position],
                         params={"first_row": first_row[flat.iat[position]]}, file=frame.file)
    # Plain lists, the columns set once: pandas' per-cell .iat writes cost seconds at 100k rows.
    births, genders = columns["birth_date"].tolist(), columns["gender"].tolist()
    birth_empty = (frame.column_text("birth_date") == "").to_numpy()
    gender_empty = (frame.column_text("gender") == "").to_numpy()
    source = ["birth_date"] * len(numbers)
    values, rows = numbers.tolist(), frame.rows
    for position in np.flatnonzero(valid.to_numpy()):
        number, row = values[position], int(rows[position])
        born, given = id_birth_date(number), births[position]
        if given is None:
            if birth_empty[position]:
                births[position] = born
                source[position] = "id_number"
        elif (given.year, given.month) != (born.year, born.month) or (given.day != 1 and given != born):
            # 1985-03 is read as 1985-03-01: a month alone agrees with any day of that month.
            report.warning("id_birth_mismatch", sheet=frame.sheet.key, row=row, column="birth_date",
                           value=given.isoformat(), params={"from_id": born.isoformat()}, file=frame.file)
        sex, said = id_gender(number), genders[position]
        if said is None:
            if gender_empty[position]:
                genders[position] = sex
        elif said is not sex:
            report.warning("id_gender_mismatch", sheet=frame.sheet.key, row=row, column="gender",
                           value=said.zh, params={"from_id": sex.zh, "from_id_en": sex.en}, file=frame.file)
    index = numbers.index
    columns["birth_date"] = pd.Series(births, index=index, dtype=object)
    columns["gender"] = pd.Series(genders, index=index, dtype=object)
    return pd.Series(source, index=index, dtype=object)


def _years_from_joined(frame: SheetFrame, report: Report, columns: Columns, start: date) -> None:
    """本校任教年限 from 进本校年月: whole years to the horizon's first day. Where both are given and
    disagree the date wins, with a warning; a date after the horizon's start is an error."""
    if not frame.has("joined_school"):
        return
    joined, given = columns["joined_school"], columns["years_at_school"]
    dates, said_years, years = joined.tolist(), given.tolist(), given.tolist()
    for position in np.flatnonzero(joined.notna().to_numpy()):
        came, row = dates[position], int(frame.rows[position])
        if came > start:
            report.error("joined_after_horizon", sheet=frame.sheet.key, row=row, column="joined_school",
                         value=came.isoformat(), params={"start": start.isoformat()}, file=frame.file)
            years[position] = None
            continue
        derived, said = whole_years(came, start), said_years[position]
        if said is not None and said != derived:
            report.warning("years_disagree", sheet=frame.sheet.key, row=row, column="years_at_school",
                           value=str(said), params={"joined": came.isoformat(), "derived": derived,
                                                    "start": start.isoformat()}, file=frame.file)
        years[position] = derived
    columns["years_at_school"] = pd.Series(years, index=given.index, dtype=object)


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


def check_history(frame: SheetFrame, report: Report) -> Columns:
    """交流记录, typed: an end before its start is an error; a row with neither 结束学期 nor 学期数 is
    missing its end (学期数 stands in for 结束学期 only where it is given, and counts at least 1)."""
    columns = parse_all(frame, report)
    flag_term_order(frame, report, columns["from_term"], columns["to_term"], "to_term")
    if not frame.has("to_term"):
        terms = frame.column_text("terms")
        frame.flag(report, (terms == "").to_numpy(), "required_empty", "terms")
        frame.flag(report, (columns["terms"] == 0).to_numpy(), "out_of_range", "terms", low=1, high=12)
    return columns


def check_settings(frame: SheetFrame, report: Report) -> dict[str, Entry]:
    """The settings sheet's accepted rows as English key → checked entry (its text and its parsed
    value); unknown keys warn, invalid values are errors and are left out.

    Each row gets the check the command line and the rules file use (setting_checks), so
    `规则:need=硬` is refused here as it is there.
    """
    values: dict[str, Entry] = {}
    first_row: dict[str, int] = {}
    texts = frame.column_text("value")
    for position, written in enumerate(frame.column_text("key").tolist()):
        row = int(frame.rows[position])
        if not written:
            report.error("required_empty", sheet="settings", row=row, column="key", file=frame.file)
            continue
        entry = check_entry(written, texts.iat[position])
        if entry.code == "unknown_setting":
            report.warning("unknown_setting", sheet="settings", row=row, column="key", value=written, file=frame.file)
            continue
        if entry.code is not None:
            column = "key" if entry.code == "unknown_rule" else "value"
            report.error(entry.code, sheet="settings", row=row, column=column, value=str(entry.params.get("value", "")),
                         params={k: v for k, v in entry.params.items() if k != "value"}, file=frame.file)
            continue
        if entry.key in first_row:
            report.warning("duplicate_setting", sheet="settings", row=row, column="key", value=written,
                           params={"first_row": first_row[entry.key]}, file=frame.file)
        first_row.setdefault(entry.key, row)
        values[entry.key] = entry
    horizon = horizon_params({key: entry.parsed for key, entry in values.items()})
    if horizon is not None:
        report.error("horizon_order", sheet="settings", row=first_row["horizon_to"], column="value",
                     value=values["horizon_to"].value, params=horizon, file=frame.file)
        values.pop("horizon_from"), values.pop("horizon_to")
    return values
