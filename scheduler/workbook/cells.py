"""Cell values: raw spreadsheet cells to text, and text to typed values.

Parsers work on the distinct values of a column and spread the result back, because a
100,000-row roster has few distinct titles, subjects or terms: parse each once.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..domain.enums import (BackboneLevel, Gender, Locality, PinAction, Stage, Title,
                            Vocabulary, parse_yes_no)
from ..domain.subjects import normalise_subject
from ..domain.terms import Term

LIST_SEPARATORS = re.compile(r"[,，、;；]")


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
    return str(value).strip()


def texts(values: pd.Series) -> pd.Series:
    """A column of raw cells as stripped text, converting each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    converted = np.array([cell_text(v) for v in uniques] + [""], dtype=object)
    return pd.Series(converted[codes], index=values.index, dtype=object)


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


def parse_date(text: str) -> date:
    for fmt in _DATE_FORMATS:
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
