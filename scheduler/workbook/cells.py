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

from ..domain.enums import (BackboneLevel, Gender, Locality, PinAction, Stage, Title,
                            Vocabulary, parse_yes_no)
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


def texts(values: pd.Series) -> pd.Series:
    """A column of raw cells as stripped text, converting each distinct value once."""
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

    Returns the parsed values (None where empty) and the failures by row position.
    """
    values: list[Any] = [None] * len(column)
    failures: dict[int, Invalid] = {}
    cache: dict[str, Any] = {}
    for position, text in enumerate(column.tolist()):
        if not text:
            continue
        if text not in cache:
            try:
                cache[text] = parse(text)
            except Invalid as invalid:
                cache[text] = invalid
        result = cache[text]
        if isinstance(result, Invalid):
            failures[position] = result
        else:
            values[position] = result
    return pd.Series(values, index=column.index, dtype=object), failures


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


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M:%S")
# A month alone (出生年月): the first day of that month.
_MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月", "%Y%m")


def parse_date(text: str) -> date:
    for fmt in _DATE_FORMATS + _MONTH_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2100:
            return parsed
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


def parse_backbone(text: str) -> tuple[bool, BackboneLevel | None]:
    """是/否, or a level (县级/市级/省级), which counts as yes."""
    try:
        return parse_yes_no(text), None
    except ValueError:
        pass
    try:
        return True, BackboneLevel.parse(text)
    except ValueError:
        raise Invalid("bad_choice", choices="是/否/" + BackboneLevel.choices("zh"),
                      choices_en="yes/no/" + BackboneLevel.choices("en")) from None


PARSERS: dict[str, Callable[[str], Any]] = {
    "int": parse_int,
    "float": parse_float,
    "date": parse_date,
    "term": parse_term,
    "yes_no": parse_yes,
    "subject": parse_subject,
    "subjects": parse_subjects,
    "ids": split_list,
    "gender": parse_vocabulary(Gender),
    "title": parse_vocabulary(Title),
    "backbone": parse_backbone,
    "locality": parse_vocabulary(Locality),
    "stage": parse_vocabulary(Stage),
    "action": parse_vocabulary(PinAction),
}
