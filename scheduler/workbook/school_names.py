"""学校编号 from a school name: registry rosters name the teacher's school (现任教学校, 单位名称)
instead of giving its code. Used only when the teachers sheet has no code column.

Each name is matched to 学校.学校名称 (spaces and full-width brackets ignored). A name that
matches no school, or two schools, is one message for all the teachers who wrote it, with the
closest names suggested; those rows are not told again as an empty or unknown 学校编号.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

import numpy as np
import pandas as pd

from .report import Report
from .schema import header_key
from .sheet_frame import SheetFrame

#: rows listed in one message before "…"
SHOWN_ROWS = 5


def _rows_text(rows: np.ndarray) -> str:
    shown = "、".join(str(int(r)) for r in rows[:SHOWN_ROWS])
    return shown + ("…" if len(rows) > SHOWN_ROWS else "")


def resolve_school_names(teachers: SheetFrame | None, schools: SheetFrame | None, report: Report) -> None:
    """Fill the teachers' 学校编号 from their school names, when the sheet has names and no codes."""
    if teachers is None or teachers.has("school_id") or not teachers.has("school_name"):
        return
    names = teachers.column_text("school_name")
    ids = pd.Series([""] * len(names), index=names.index, dtype=object)
    settled = np.zeros(len(names), dtype=bool)
    teachers.headers["school_id"] = teachers.headers.get("school_name", "学校名称")
    if schools is None or not schools.has("school_id") or not schools.has("name"):
        # The schools sheet's own problem has been told; nothing to match against.
        teachers.text["school_id"] = ids
        teachers.excused["school_id"] = ~(names == "").to_numpy()
        return
    by_name: dict[str, list[str]] = defaultdict(list)
    written: dict[str, str] = {}
    for school_id, name in zip(schools.column_text("school_id").tolist(), schools.column_text("name").tolist()):
        if school_id and name:
            by_name[header_key(name)].append(school_id)
            written.setdefault(header_key(name), name)
    groups = pd.Series(np.arange(len(names))).groupby(names.to_numpy()).indices
    known_names = list(written.values())
    for name, positions in groups.items():
        if not name:
            continue  # an empty cell: the required 学校编号 is empty, told as such
        matches = list(dict.fromkeys(by_name.get(header_key(name), ())))
        if len(matches) == 1:
            ids.iloc[positions] = matches[0]
            continue
        settled[positions] = True
        rows = teachers.rows[np.sort(positions)]
        params = {"count": len(positions), "rows": _rows_text(rows)}
        if not matches:
            close = difflib.get_close_matches(name, known_names, n=3, cutoff=0.4)
            params.update(hint_zh="，最接近的学校：" + "、".join(f"“{c}”" for c in close) if close else "",
                          hint_en="; closest: " + ", ".join(repr(c) for c in close) if close else "")
            report.error("unknown_school_name", sheet="teachers", row=int(rows[0]), column="school_name",
                         value=name, params=params, file=teachers.file)
        else:
            params.update(count=len(matches), ids="、".join(matches))
            report.error("ambiguous_school_name", sheet="teachers", row=int(rows[0]), column="school_name",
                         value=name, params=params, file=teachers.file)
    teachers.text["school_id"] = ids
    teachers.excused["school_id"] = settled
