"""School terms: fall Y (秋, from September Y) and spring Y+1 (春) form school year Y."""

from __future__ import annotations

import re
from datetime import date
from functools import total_ordering
from typing import Literal

from pydantic import BaseModel, ConfigDict

Season = Literal["fall", "spring"]

_ZH_SEASON = {"秋": "fall", "春": "spring"}
_EN_SEASON = {"fall": "fall", "autumn": "fall", "spring": "spring"}
# 2026秋, 2026年秋季, 2026秋季学期, 2026-fall, 2026 Fall, 2026_spring
_PATTERN = re.compile(
    r"^\s*(?P<year>\d{4})\s*(?:年)?\s*[-_/ ]?\s*"
    r"(?:(?P<zh>[秋春])(?:季)?(?:学期|學期)?|(?P<en>fall|autumn|spring))\s*$",
    re.IGNORECASE,
)

#: Term.from_ordinal's terms, by ordinal
_BY_ORDINAL: dict[int, "Term"] = {}


@total_ordering
class Term(BaseModel):
    """One term. Ordered in time; `ordinal` counts terms so that consecutive terms differ by one."""

    model_config = ConfigDict(frozen=True)

    year: int
    season: Season

    @classmethod
    def parse(cls, text: str) -> "Term":
        """Read `2026秋`, `2027春`, `2026-fall`, `2027-spring` (and close variants); ValueError otherwise."""
        match = _PATTERN.match(str(text))
        if not match:
            raise ValueError(f"not a term: {text!r}")
        year = int(match["year"])
        if not 1900 <= year <= 2200:
            raise ValueError(f"term year out of range: {year}")
        season = _ZH_SEASON[match["zh"]] if match["zh"] else _EN_SEASON[match["en"].lower()]
        return cls(year=year, season=season)

    @classmethod
    def from_ordinal(cls, ordinal: int) -> "Term":
        """The term of an ordinal; one object per term, made once (terms are frozen): building a
        pydantic model each time was a tenth of writing a province's plan workbook."""
        if cls is Term and ordinal in _BY_ORDINAL:
            return _BY_ORDINAL[ordinal]
        school_year, spring = divmod(ordinal, 2)
        term = cls(year=school_year + spring, season="spring" if spring else "fall")
        if cls is Term:
            _BY_ORDINAL[ordinal] = term
        return term

    @property
    def school_year(self) -> int:
        """The school year the term belongs to: spring 2027 is in school year 2026."""
        return self.year if self.season == "fall" else self.year - 1

    @property
    def ordinal(self) -> int:
        return 2 * self.school_year + (1 if self.season == "spring" else 0)

    @property
    def first_day(self) -> date:
        """The day the term starts, as years and ages are counted: fall Y on 1 September Y (WORKBOOK.md),
        spring Y on 20 February Y (as rules.context counts ages)."""
        return date(self.year, 9, 1) if self.season == "fall" else date(self.year, 2, 20)

    def shift(self, terms: int) -> "Term":
        return Term.from_ordinal(self.ordinal + terms)

    def label(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"{self.year}{'秋' if self.season == 'fall' else '春'}"
        return f"{self.year}-{self.season}"

    def __str__(self) -> str:
        return self.label("zh")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return self.ordinal < other.ordinal


def school_year_label(school_year: int, lang: str = "zh") -> str:
    return f"{school_year}-{school_year + 1}学年" if lang == "zh" else f"{school_year}/{school_year + 1}"


def term_range(first: Term, last: Term) -> list[Term]:
    return [Term.from_ordinal(o) for o in range(first.ordinal, last.ordinal + 1)]
