"""Personal data: the resident ID number (居民身份证号码, GB 11643-1999).

An ID number is never shown or written in full: every message, export, JSON summary, log line
and page shows it through `mask_id_number` (first 6 and last 4 characters kept:
``110105********123X``). The check digit is ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import re
from datetime import date

from .enums import Gender

#: A run that looks like an ID number (an 18-character one, an old 15-digit one, or a mistyped one
#: between them), not glued to further digits. Masking errs on the side of hiding.
_ID_RUN = re.compile(r"(?<![0-9])[0-9]{14,17}[0-9Xx](?![0-9Xx])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def _mask_one(match: re.Match[str]) -> str:
    run = match.group(0)
    return run[:6] + "*" * (len(run) - 10) + run[-4:]


def mask_id_number(text: object) -> str:
    """`text` with every ID-number-like run masked (first 6, last 4 kept); other text unchanged.

    Works on a bare number (``"11010519850301123X"`` → ``"110105********123X"``) and on a whole
    message that contains one or more.
    """
    return _ID_RUN.sub(_mask_one, "" if text is None else str(text))


def normalize_id_number(text: str) -> str:
    """The ID as the registry means it: spaces dropped, full-width digits and a lower-case x folded."""
    folded = str(text).translate(_FULL_WIDTH).replace(" ", "").replace("\u3000", "").strip()
    return folded.upper()


_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def id_number_problem(number: str) -> str | None:
    """Why a normalised ID number is not valid ("length", "characters", "date", "check"), or None."""
    if len(number) != 18:
        return "length"
    if not _SHAPE.fullmatch(number):
        return "characters"
    if id_birth_date(number) is None:
        return "date"
    if check_digit(number[:17]) != number[17]:
        return "check"
    return None


def id_birth_date(number: str) -> date | None:
    """The birth date written in characters 7–14 (YYYYMMDD), or None when it is no date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_gender(number: str) -> Gender:
    """Character 17: odd = male, even = female."""
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
