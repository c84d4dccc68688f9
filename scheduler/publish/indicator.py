"""The county summary for the quality-balance inspection, indicator 2.11: per sending school and
school year, 符合交流条件教师总数 (the quota's base, as the eligibility rule counts it), 实际交流轮岗教师数
(teachers of the school whose placement starts in that school year), 实际交流骨干教师数 (of them, those
the 骨干 column names: 县级及以上骨干教师), and the two shares against the county's own figures
(交流比例, 骨干比例; 10 % and 20 % by default)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..domain.models import Case
from ..domain.settings import Settings, required_settings
from ..domain.terms import school_year_label
from ..rules.context import Context
from .roster import Row

COLUMNS = ("序号", "学校名称", "区县", "学年", "符合交流条件教师总数", "实际交流轮岗教师数", "实际交流骨干教师数",
           "交流轮岗比例", "骨干教师占比", "是否达标")


@dataclass(frozen=True)
class SchoolLine:
    school_id: str
    school: str
    county: str
    school_year: int
    eligible: int
    rotated: int
    backbone: int

    def shares(self) -> tuple[float | None, float | None]:
        return (self.rotated / self.eligible if self.eligible else None,
                self.backbone / self.rotated if self.rotated else None)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def summary_lines(case: Case, settings: Settings, rows: list[Row]) -> list[SchoolLine]:
    """One line per sending school (the 派出学校类型 schools, and any school a teacher was sent from)
    and school year of the plan."""
    ctx = Context(case, required_settings(settings))
    years = sorted({r.start.school_year for r in rows})
    if not years and ctx.school_years:
        years = [ctx.school_years[0]]
    rotated: dict[tuple[str, int], int] = defaultdict(int)
    backbone: dict[tuple[str, int], int] = defaultdict(int)
    for row in rows:
        rotated[(row.home_id, row.start.school_year)] += 1
        backbone[(row.home_id, row.start.school_year)] += row.is_backbone
    senders = {s.school_id for s in ctx.sending_schools} | {r.home_id for r in rows}
    lines = []
    for school in case.schools:
        if school.school_id not in senders:
            continue
        for year in years:
            lines.append(SchoolLine(school.school_id, school.name, school.county, year,
                                    ctx.eligible_by_school.get(school.school_id, 0),
                                    rotated[(school.school_id, year)], backbone[(school.school_id, year)]))
    return sorted(lines, key=lambda line: (line.school_year, line.county, line.school_id))


def met_words(line: SchoolLine, settings: Settings) -> str:
    rate, share = line.shares()
    if line.eligible == 0:
        return "无符合条件教师"
    quota_met = (rate or 0) + 1e-9 >= settings.quota_rate
    backbone_met = share is None or share + 1e-9 >= settings.backbone_share
    return "是" if quota_met and backbone_met else "否"


def table_rows(lines: list[SchoolLine], settings: Settings) -> list[list[object]]:
    out: list[list[object]] = []
    for number, line in enumerate(lines, start=1):
        rate, share = line.shares()
        out.append([number, line.school, line.county, school_year_label(line.school_year), line.eligible,
                    line.rotated, line.backbone, _percent(rate), _percent(share), met_words(line, settings)])
    return out


def total_row(lines: list[SchoolLine]) -> list[object]:
    eligible = sum(line.eligible for line in lines)
    rotated = sum(line.rotated for line in lines)
    backbone = sum(line.backbone for line in lines)
    return ["", "合计", "", "", eligible, rotated, backbone, _percent(rotated / eligible if eligible else None),
            _percent(backbone / rotated if rotated else None), ""]
