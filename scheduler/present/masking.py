"""What the pages show never holds an ID number in full (居民身份证号码): tables and texts go
through `domain.personal.mask_id_number` on their way to the screen (first 6 and last 4 kept).

Masking works on any text, not on a column name: a county may call the column 身份证号,
公民身份号码 or anything else, and an ID number can sit in a validation message as well.
"""

from __future__ import annotations

import pandas as pd

from ..domain.personal import mask_id_number

#: integers this large can only be identity numbers typed as numbers (15 digits and more)
_ID_SIZED = 10**14


def masked_text(text: object) -> str:
    return mask_id_number(text)


def masked_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every ID number in its cells and headers masked; other cells as they were."""
    shown = frame.copy()
    shown.columns = [masked_text(c) if isinstance(c, str) else c for c in shown.columns]
    for position in range(shown.shape[1]):
        column = shown.iloc[:, position]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            shown.isetitem(position, column.map(lambda v: v if v is None or not isinstance(v, str) else masked_text(v)))
        elif pd.api.types.is_integer_dtype(column.dtype) and len(column) and column.abs().max() >= _ID_SIZED:
            shown.isetitem(position, column.map(masked_text))
    return shown


def unmasking(ids: list[str]) -> dict[str, str]:
    """Masked form → id, for the ids masking changes (a county whose teacher ids are ID numbers),
    so an edit table can show them masked and still read each row back to its teacher. A masked
    form two ids share is left out: such a row is read as typed and the audit names it."""
    forms: dict[str, list[str]] = {}
    for id_ in ids:
        shown = masked_text(id_)
        if shown != id_:
            forms.setdefault(shown, []).append(id_)
    return {shown: found[0] for shown, found in forms.items() if len(found) == 1}
