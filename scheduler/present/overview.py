"""Supply against need before solving: what a planner checks first.

Supply is the eligible teachers at sending schools by subject (main or other subject), need the
peak number of teachers needed at once by receiving county and subject. Both are plain counts
from the case, no solver.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ..rules.context import Context
from ..domain.models import Case
from ..domain.settings import Settings
from ..domain.subjects import ARTS, subject_label


def supply_need(case: Case, settings: Settings, lang: str = "zh") -> pd.DataFrame:
    """One row per subject: eligible supply, peak need, and whether it is a music/PE/art subject."""
    ctx = Context(case, settings)
    supply: dict[str, int] = defaultdict(int)
    for teacher in case.teachers:
        if ctx.eligible(teacher) and ctx.is_sending(ctx.home(teacher)):
            for subject in teacher.subjects:
                supply[subject] += 1
    need: dict[str, int] = defaultdict(int)
    for (school, subject), total in _peak_need(ctx).items():
        need[subject] += total
    subjects = sorted(set(supply) | set(need), key=lambda s: (-need.get(s, 0), s))
    zh = lang == "zh"
    return pd.DataFrame({
        ("学科" if zh else "subject"): [subject_label(s, lang) for s in subjects],
        ("可交流教师" if zh else "eligible supply"): [supply.get(s, 0) for s in subjects],
        ("需求人数" if zh else "peak need"): [need.get(s, 0) for s in subjects],
        ("音体美" if zh else "music/PE/art"): [s in ARTS for s in subjects],
    })


def need_by_county(case: Case, settings: Settings, lang: str = "zh") -> pd.DataFrame:
    """Peak need per receiving county and subject (long format, for a heatmap)."""
    ctx = Context(case, settings)
    table: dict[tuple[str, str], int] = defaultdict(int)
    for (school, subject), total in _peak_need(ctx).items():
        table[(case.school(school).county, subject)] += total
    zh = lang == "zh"
    return pd.DataFrame([
        {("区县" if zh else "county"): county, ("学科" if zh else "subject"): subject_label(subject, lang),
         ("需求人数" if zh else "peak need"): count, ("音体美" if zh else "music/PE/art"): subject in ARTS}
        for (county, subject), count in sorted(table.items())])


def _peak_need(ctx: Context) -> dict[tuple[str, str], int]:
    peak: dict[tuple[str, str], int] = defaultdict(int)
    for (school, subject, _), count in ctx.need.items():
        peak[(school, subject)] = max(peak[(school, subject)], count)
    return peak
