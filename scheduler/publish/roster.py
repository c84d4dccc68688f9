"""What the published documents say, without any file format: one `Row` per placed teacher, grouped,
the title, the 公示 period and the words of each column.

Every document (the 公示名单, the 接收名单, the notices, the national record) reads the same rows,
so a teacher's school, title or period is written one way everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain.enums import Stage
from ..domain.models import Case
from ..domain.settings import Settings, required_settings
from ..domain.terms import Term
from ..plan import Placement, Plan
from ..rules.context import Context
from ..export.summary import placement_form

#: the columns of the 公示名单, in order
LIST_COLUMNS = ("序号", "姓名", "性别", "原单位", "交流单位", "学科", "职称", "骨干", "交流方式", "交流期限")
#: the 接收名单 drops 交流单位: it is the school the list is for
RECEIVING_COLUMNS = ("序号", "姓名", "性别", "原单位", "学科", "职称", "骨干", "交流方式", "交流期限")

#: the 交流方式 printed for a need that names none: the periodic exchange of the 2014 national opinion
DEFAULT_FORM = "定期交流"
_COMPULSORY = {Stage.PRIMARY, Stage.JUNIOR, Stage.NINE_YEAR}


@dataclass(frozen=True)
class Row:
    """One placed teacher as the documents print them (the 序号 is given when a list is laid out)."""

    teacher_id: str
    name: str
    gender: str
    home_id: str
    home: str
    host_id: str
    host: str
    subject: str
    title: str
    backbone: str
    is_backbone: bool
    form: str
    start: Term
    end: Term
    id_number: str | None

    def period(self) -> str:
        """交流期限 as the lists print it: 2027.09—2028.07."""
        first, last = start_month(self.start), end_month(self.end)
        return f"{first[0]}.{first[1]:02d}—{last[0]}.{last[1]:02d}"

    def cells(self, number: int, columns: tuple[str, ...] = LIST_COLUMNS) -> list[str]:
        values = {"序号": str(number), "姓名": self.name, "性别": self.gender, "原单位": self.home,
                  "交流单位": self.host, "学科": self.subject, "职称": self.title, "骨干": self.backbone,
                  "交流方式": self.form, "交流期限": self.period()}
        return [values[c] for c in columns]


def start_month(term: Term) -> tuple[int, int]:
    """The (year, month) a term starts: fall Y in September Y, spring Y in February Y."""
    return (term.year, 9) if term.season == "fall" else (term.year, 2)


def end_month(term: Term) -> tuple[int, int]:
    """The (year, month) a term ends: fall Y in January Y+1, spring Y in July Y."""
    return (term.year + 1, 1) if term.season == "fall" else (term.year, 7)


def term_words(term: Term) -> str:
    """2027秋 → 2027年秋季学期 (the notices' words)."""
    return f"{term.year}年{'秋' if term.season == 'fall' else '春'}季学期"


def date_words(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_period(start: date, days: int) -> tuple[date, date]:
    """The 公示 period: `days` working days (Monday to Friday) from `start`, which counts when it
    is one; a weekend start begins on the Monday. Public holidays are not known here: a bureau
    whose period crosses one prints its own dates (the workbook's cells are editable)."""
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    first, counted = day, 1
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return first, day


def _backbone_words(level: object, backbone: bool) -> str:
    if level is not None and hasattr(level, "label"):
        text = level.label("zh")
        return text if text.endswith(("师", "人", "手")) else text + "骨干"
    return "是" if backbone else ""


def rows_of(case: Case, settings: Settings, plan: Plan) -> list[Row]:
    """Every placement of a teacher of the roster, ordered by sending school, then start, then name."""
    ctx = Context(case, required_settings(settings))
    rows = []
    for placement in plan.placements:
        if not case.has_teacher(placement.teacher_id):
            continue  # read_plan has reported it, row by row
        rows.append(_row(ctx, placement))
    return sorted(rows, key=lambda r: (r.home_id, r.start.ordinal, r.host_id, r.teacher_id))


def _row(ctx: Context, placement: Placement) -> Row:
    teacher = ctx.case.teacher(placement.teacher_id)
    return Row(teacher_id=teacher.teacher_id, name=teacher.name,
               gender=teacher.gender.label("zh") if teacher.gender else "",
               home_id=teacher.school_id, home=ctx.school_name(teacher.school_id),
               host_id=placement.school_id, host=ctx.school_name(placement.school_id),
               subject=placement.subject, title=teacher.title.label("zh") if teacher.title else "",
               backbone=_backbone_words(teacher.backbone_level, teacher.backbone), is_backbone=teacher.backbone,
               form=placement_form(ctx, placement) or DEFAULT_FORM, start=placement.start, end=placement.end,
               id_number=teacher.id_number)


def grouped(rows: list[Row], by: str) -> list[tuple[str, list[Row]]]:
    """(school name, its rows) per sending school (`by="home"`) or receiving school (`by="host"`),
    in the order the rows come; two schools of one name stay apart (grouped by id)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows:
        key = row.home_id if by == "home" else row.host_id
        groups[key].append(row)
        names[key] = row.home if by == "home" else row.host
    return [(names[key], members) for key, members in groups.items()]


@dataclass(frozen=True)
class Heading:
    """The words above and below a list: title, issuer, 公示 period, date."""

    region: str
    school_year: int | None
    issuer: str
    published: date
    notice_from: date
    notice_to: date
    notice_days: int
    compulsory: bool
    #: every school year a placement starts in (a plan may start placements in two or more)
    years: tuple[int, ...] = ()

    def list_title(self) -> str:
        year = f"{self.school_year}学年" if self.school_year is not None else ""
        kind = "义务教育学校" if self.compulsory else "中小学"
        return f"{self.region}{year}{kind}教师交流轮岗人员名单（公示）"

    def receiving_title(self, school: str) -> str:
        year = f"{self.school_year}学年" if self.school_year is not None else ""
        return f"{school}{year}接收交流轮岗教师名单"

    def notice_sentence(self) -> str:
        who = self.issuer or "我单位"
        # a year only when every placement starts in it; otherwise the 交流期限 column says when
        year = f"{self.years[0]}学年" if len(self.years) == 1 else ""
        return (f"根据教师交流轮岗工作安排，经个人申报、学校推荐、资格审查，{who}拟定以下教师参加"
                f"{year}交流轮岗，现予公示。"
                f"公示期为{date_words(self.notice_from)}至{date_words(self.notice_to)}"
                f"（{self.notice_days}个工作日）。公示期间如有异议，请以书面形式向{who}反映。")


def heading(case: Case, settings: Settings, rows: list[Row], published: date) -> Heading:
    """The county (or counties) of the sending schools, the school year of the plan's first term."""
    counties: list[str] = []
    for row in rows:
        county = case.school(row.home_id).county if case.has_school(row.home_id) else ""
        if county and county not in counties:
            counties.append(county)
    region = counties[0] if len(counties) == 1 else "、".join(counties) if len(counties) <= 3 \
        else f"{counties[0]}等{len(counties)}个区县"
    stages = {case.school(r.home_id).stage for r in rows if case.has_school(r.home_id)} | \
             {case.school(r.host_id).stage for r in rows if case.has_school(r.host_id)}
    first_term = min((r.start for r in rows), key=lambda t: t.ordinal, default=None)
    start, end = notice_period(published, settings.notice_days)
    return Heading(region=region, school_year=first_term.school_year if first_term else None,
                   issuer=settings.issuer, published=published, notice_from=start, notice_to=end,
                   notice_days=settings.notice_days, compulsory=bool(stages) and stages <= _COMPULSORY,
                   years=tuple(sorted({r.start.school_year for r in rows})))
