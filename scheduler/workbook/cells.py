"""Cell values: raw spreadsheet cells to text, and text to typed values.

Parsers work on the distinct values of a column and spread the result back, because a
100,000-row roster has few distinct titles, subjects or terms: parse each once.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..domain.enums import (NO_TITLE, NOT_BACKBONE, BackboneLevel, Gender, Locality, PinAction, Stage, Title,
                            Vocabulary, parse_yes_no)
from ..domain.personal import id_number_problem, normalize_id_number
from ..domain.subjects import normalise_subject
from ..domain.terms import Term

LIST_SEPARATORS = re.compile(r"[,，、;；]")
#: What the exporter puts an apostrophe before so a spreadsheet never runs the text as a formula
#: (OWASP CSV injection guidance): = + - @ tab and carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def undo_formula_guard(text: str) -> str:
    """"'=SUM(A1)" → "=SUM(A1)": the exporter's neutralising apostrophe dropped, so an exported
    workbook reads back to the values it was written from."""
    # The exporter guards "'=x" too (as "''=x"), so one apostrophe comes off before any run of them.
    if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_STARTS and text.lstrip("'"):
        return text[1:]
    return text


def cell_text(value: Any) -> str:
    """The text a planner sees in a cell: 1001.0 is "1001", a date cell is "1985-03-12"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return undo_formula_guard(str(value).strip()).strip()


def texts(values: pd.Series, clean: bool = False) -> pd.Series:
    """A column of raw cells as stripped text, converting each distinct value once; a `clean`
    column (the reader found every cell to be text as a planner sees it) is taken as it is."""
    if clean:
        return pd.Series(values.to_numpy(dtype=object), index=values.index, dtype=object)
    cells = values.tolist()
    if set(map(type, cells)) == {str}:
        # All text (names, ids: most of a roster's columns, mostly distinct): strip each, and only
        # an exporter's apostrophe needs `cell_text`'s care.
        stripped = [cell.strip() for cell in cells]
        return pd.Series([cell_text(cell) if cell[:1] == "'" else cell for cell in stripped],
                         index=values.index, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    converted = np.array([cell_text(v) for v in uniques] + [""], dtype=object)
    return pd.Series(converted[codes], index=values.index, dtype=object)


def date_cell_text(value: Any) -> tuple[str, bool]:
    """A date column's cell as text, and whether it was typed as a number.

    1992.03 typed into a date-formatted cell arrives as day 1992 of Excel's calendar (1905-06-14)
    plus a fraction: it is given back as the number typed, so it is read as a year and month.
    """
    if isinstance(value, datetime) and 1900 <= (serial := (value - _EXCEL_EPOCH) / timedelta(days=1)) < 2101:
        return f"{round(serial, 6):.6f}".rstrip("0").rstrip("."), True
    if isinstance(value, date) and not isinstance(value, datetime) and 1900 <= (value - _EXCEL_EPOCH.date()).days < 2101:
        return str((value - _EXCEL_EPOCH.date()).days), True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell_text(value), True
    return cell_text(value), False


def date_texts(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A date column as text (see `date_cell_text`) and the mask of cells typed as numbers."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    converted = [date_cell_text(v) for v in uniques] + [("", False)]
    text = np.array([t for t, _ in converted], dtype=object)[codes]
    typed = np.array([n for _, n in converted], dtype=bool)[codes]
    return pd.Series(text, index=values.index, dtype=object), typed


class Invalid(ValueError):
    """A cell that cannot be read; `code` and `params` pick the message."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


def parse_each(column: pd.Series, parse: Callable[[str], Any]) -> tuple[pd.Series, dict[int, Invalid]]:
    """Parse the non-empty cells of a text column, each distinct text once.

    Returns the parsed values (None where empty) and the failures by row position. The distinct
    texts are found by pandas' hashing, not a Python step per cell (400,000 teachers: 1.1 → 0.3 s).
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = np.empty(len(uniques) + 1, dtype=object)  # the last for a missing cell (code −1)
    failed: dict[int, Invalid] = {}
    for code, text in enumerate(uniques.tolist()):
        if not text:
            continue
        try:
            values[code] = parse(text)  # one by one: a parsed value may be a tuple
        except Invalid as invalid:
            failed[code] = invalid
    failures: dict[int, Invalid] = {}
    if failed:
        for position in np.flatnonzero(np.isin(codes, list(failed))).tolist():
            failures[position] = failed[int(codes[position])]
    return pd.Series(values[codes], index=column.index, dtype=object), failures


def parse_int(text: str) -> int:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise Invalid("bad_int") from None
    if not math.isfinite(number) or not number.is_integer():
        raise Invalid("bad_int")
    if number < 0:
        raise Invalid("negative")
    return int(number)


def parse_float(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise Invalid("bad_float") from None
    if not math.isfinite(number):
        raise Invalid("bad_float")
    return number


# 2015-09-01, 2015/9/1, 2015.09.01, 2015年9月1日; a month alone (出生年月) is its first day:
# 2015-09, 2015/09, 2015.9, 2015年9月. A time after the date (2015-09-01 00:00:00) is dropped.
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:(?:[-/.月]\s*(\d{1,2})\s*[日号]?)|月)?"
                        r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
# Digits only: 20150901 or 201509 (a 7-digit run is 2015-1-11 or 2015-11-1: refused, never guessed).
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})?")


def parse_date(text: str) -> date:
    text = text.strip()
    match = _DATE_TEXT.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
    if match is not None:
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        try:
            parsed = date(year, month, day)
        except ValueError:
            raise Invalid("bad_date") from None
        if 1900 <= parsed.year <= 2100:
            return parsed
        raise Invalid("bad_date")
    # Excel serial day numbers arrive when a date column was formatted as a number.
    if re.fullmatch(r"\d{5}", text) and 10000 < int(text) < 80000:
        return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(text))).date()
    raise Invalid("bad_date")


def parse_date_number(text: str) -> date:
    """A date typed as a number: 1992.03 is March 1992 (year.month, never an Excel serial day).

    Excel keeps no trailing zero, so 1992.1 may have been typed 1992.1 (January) or 1992.10
    (October): refused with both readings rather than guessed. 19920301 and serial days still
    read as dates.
    """
    match = re.fullmatch(r"(\d{4})(?:\.(\d{1,2}))?", text)
    if match is None or not 1900 <= int(match[1]) <= 2100:
        return parse_date(text)
    year, digits = int(match[1]), match[2]
    if digits is None:
        raise Invalid("date_year_only", year=year)
    if digits == "1":
        raise Invalid("ambiguous_month", year=year)
    month = int(digits)
    if not 1 <= month <= 12:
        raise Invalid("bad_date")
    return date(year, month, 1)


def parse_term(text: str) -> Term:
    try:
        return Term.parse(text)
    except ValueError:
        raise Invalid("bad_term") from None


def term_of_month(day: date) -> Term:
    """The term a month falls in: September–January fall (January ends the fall term), February–August spring."""
    if day.month >= 9:
        return Term(year=day.year, season="fall")
    if day.month == 1:
        return Term(year=day.year - 1, season="fall")
    return Term(year=day.year, season="spring")


def parse_term_or_date(text: str) -> Term:
    """A term (2025秋, 2026-spring), or a date or month (2025-09, 2025年9月, 2026-07-15) as its term:
    the registry's 交流轮岗 record keeps 开始年月 / 结束年月, a plan keeps terms."""
    try:
        return Term.parse(text)
    except ValueError:
        pass
    try:
        return term_of_month(parse_date(text))
    except Invalid:
        raise Invalid("bad_term_or_date") from None


def parse_yes(text: str) -> bool:
    try:
        return parse_yes_no(text)
    except ValueError:
        raise Invalid("bad_yes_no") from None


def parse_subject(text: str) -> str:
    from ..domain.subjects import suggest_subject

    subject = normalise_subject(text)
    if subject is None:
        hint = suggest_subject(text)
        raise Invalid("unknown_subject", hint_zh=f"，是否为“{hint}”？" if hint else "",
                      hint_en=f"; did you mean {hint!r}?" if hint else "")
    return subject


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in LIST_SEPARATORS.split(text) if part.strip())


def parse_subjects(text: str) -> tuple[str, ...]:
    subjects = [parse_subject(part) for part in split_list(text)]
    return tuple(dict.fromkeys(subjects))


def parse_vocabulary(vocabulary: type[Vocabulary]) -> Callable[[str], Vocabulary]:
    def parse(text: str) -> Vocabulary:
        try:
            return vocabulary.parse(text)
        except ValueError:
            raise Invalid("bad_choice", choices=vocabulary.choices("zh"),
                          choices_en=vocabulary.choices("en")) from None
    return parse


def parse_title(text: str) -> Title | None:
    """A unified title, an old one mapped onto it (中学高级教师 → 高级), or None for 无/未定级."""
    if text.strip() in NO_TITLE:
        return None
    return _parse_title(text)


_parse_title = parse_vocabulary(Title)


def parse_backbone(text: str) -> tuple[bool, BackboneLevel | None]:
    """是/否 (无 = no), or a level (县级/市级/省级骨干教师, 名师/特级教师/学科带头人/教学能手), which counts as yes."""
    if text.strip() in NOT_BACKBONE:
        return False, None
    try:
        return parse_yes_no(text), None
    except ValueError:
        pass
    try:
        return True, BackboneLevel.parse(text)
    except ValueError:
        raise Invalid("bad_choice", choices="是/否/" + BackboneLevel.choices("zh"),
                      choices_en="yes/no/" + BackboneLevel.choices("en")) from None


_ID_REASONS = {
    "length": ("应为18位", "it must have 18 characters"),
    "characters": ("前17位应为数字、末位为数字或X", "the first 17 must be digits and the last a digit or X"),
    "date": ("第7–14位不是有效的出生日期", "characters 7–14 are not a valid birth date"),
    "check": ("末位校验码不符（GB 11643），可能有数字录错", "the check digit does not match (GB 11643): a digit may be mistyped"),
}


def parse_id_number(text: str) -> str:
    """An 18-character resident ID, its check digit verified; the message never shows it in full."""
    number = normalize_id_number(text)
    problem = id_number_problem(number)
    if problem is not None:
        zh, en = _ID_REASONS[problem]
        raise Invalid("bad_id_number", reason_zh=zh, reason_en=en)
    return number


_ON_STAFF = {"在编": True, "非在编": False, "不在编": False, "编外": False, "聘用": False, "临聘": False,
             "代课": False}


def parse_on_staff(text: str) -> bool:
    """是否在编: yes/no, or 在编 / 非在编 / 编外 / 聘用 as registries write it."""
    key = text.strip()
    if key in _ON_STAFF:
        return _ON_STAFF[key]
    return parse_yes(key)


PARSERS: dict[str, Callable[[str], Any]] = {
    "int": parse_int,
    "float": parse_float,
    "date": parse_date,
    "term": parse_term,
    "term_or_date": parse_term_or_date,
    "yes_no": parse_yes,
    "subject": parse_subject,
    "subjects": parse_subjects,
    "ids": split_list,
    "gender": parse_vocabulary(Gender),
    "title": parse_title,
    "id_number": parse_id_number,
    "on_staff": parse_on_staff,
    "backbone": parse_backbone,
    "locality": parse_vocabulary(Locality),
    "stage": parse_vocabulary(Stage),
    "action": parse_vocabulary(PinAction),
}
