"""The per-school sheets of the plan workbook: sending schools against their quota, receiving
schools' need against who arrives, and the need left unmet."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from ..workbook.table_book import TableBook

from ..rules.context import WEIGHT_SCALE, Context, term_label
from ..domain.enums import QuotaScope
from ..domain.subjects import ARTS, subject_label
from ..domain.terms import Term, school_year_label
from ..plan import Placement, Plan
from ..rules.need import NeedRow, need_rows
from ..rules.quota import QuotaRow, quota_rows
from .personal_data import write_table
from .summary import placement_form

SENDING = ("派出学校汇总", "sending_schools")
RECEIVING = ("接收学校汇总", "receiving_schools")
UNMET = ("未满足需求", "unmet_need")


def headers(columns: list[tuple[str, str]], lang: str) -> list[str]:
    return [zh if lang == "zh" else en for zh, en in columns]


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _span(placement: Placement, lang: str) -> str:
    return f"{placement.start.label(lang)}–{placement.end.label(lang)}"


def _who_goes(ctx: Context, placement: Placement, lang: str) -> str:
    name = ctx.case.teacher(placement.teacher_id).name
    where = ctx.school_name(placement.school_id)
    subject = subject_label(placement.subject, lang)
    if lang == "zh":
        return f"{name}→{where}（{subject}，{_span(placement, lang)}）"
    return f"{name} → {where} ({subject}, {_span(placement, lang)})"


def _who_comes(ctx: Context, placement: Placement, lang: str) -> str:
    """Who, from where, for how long (the real start and end) and in which form (需求.交流方式)."""
    teacher = ctx.case.teacher(placement.teacher_id)
    home = ctx.school_name(teacher.school_id)
    form = placement_form(ctx, placement)
    span = _span(placement, lang)
    if lang == "zh":
        return f"{teacher.name}（{home}，{span}{'，' + form if form else ''}）"
    return f"{teacher.name} ({home}, {span}{', ' + form if form else ''})"


def _known(ctx: Context, plan: Plan) -> list[Placement]:
    return [p for p in plan.placements if ctx.case.has_teacher(p.teacher_id)]


def write_sending(workbook: TableBook, ctx: Context, plan: Plan, lang: str,
                  rows: list[QuotaRow] | None = None) -> None:
    """One row per unit of the quota (比例范围: sending school, 学区 or county) and school year: the
    quota, the backbone share, who goes where. Scoped by 学区 or county, a row names the district or
    county and its sending schools (a sending school without a 学区 keeps a row of its own)."""
    going: dict[tuple[str, int], list[Placement]] = defaultdict(list)
    for p in _known(ctx, plan):
        going[(ctx.case.teacher(p.teacher_id).school_id, p.start.school_year)].append(p)
    by_school = ctx.settings.quota_scope is QuotaScope.SCHOOL
    first = ([("学校编号", "school_id"), ("学校名称", "school_name")] if by_school
             else [("范围", "scope"), ("名称", "name"), ("派出学校", "sending schools")])
    columns = first + [("区县", "county"), ("学年", "school_year"),
               ("符合条件教师", "eligible"), ("应交流", "required"), ("实际交流", "rotated"), ("缺口", "shortfall"),
               ("骨干交流", "backbone_rotated"), ("骨干应有", "backbone_required"), ("骨干缺口", "backbone_shortfall"),
               ("达标", "met"), ("交流名单", "who goes where")]

    quota = rows if rows is not None else quota_rows(ctx, plan)

    def table() -> Iterator[list[Any]]:
        for r in quota:
            unit = r.unit
            counties = sorted({ctx.case.school(s).county for s in unit.school_ids})
            if by_school:
                head: list[Any] = [r.school_id, ctx.school_name(r.school_id)]
            else:
                head = [unit.scope.label(lang), unit.label,
                        _sep(lang).join(f"{ctx.school_name(s)}（{s}）" if lang == "zh" else f"{ctx.school_name(s)} ({s})"
                                        for s in unit.school_ids)]
            who = sorted((p for s in unit.school_ids for p in going.get((s, r.school_year), [])),
                         key=lambda p: (p.start.ordinal, p.teacher_id))
            yield [*head, "、".join(counties) if lang == "zh" else ", ".join(counties),
                   school_year_label(r.school_year, lang), r.eligible,
                   r.required, r.rotated, r.shortfall, r.backbone_rotated, r.backbone_required,
                   r.backbone_shortfall, r.met,
                   _sep(lang).join(_who_goes(ctx, p, lang) for p in who)]

    write_table(workbook, SENDING[lang != "zh"], headers(columns, lang), table(), lang=lang)


def write_receiving(workbook: TableBook, ctx: Context, plan: Plan, lang: str) -> None:
    """One row per receiving school, subject and term: need against filled, who is there, who arrives."""
    present: dict[tuple[str, str, int], list[Placement]] = defaultdict(list)
    for p in _known(ctx, plan):
        for ordinal in p.ordinals:
            present[(p.school_id, p.subject, ordinal)].append(p)
    first, last = ctx.horizon
    cells = {cell for cell in ctx.need if first <= cell[2] <= last} | set(present)
    forms: dict[tuple[str, str, int], list[str]] = defaultdict(list)  # the need rows' 交流方式, in sheet order
    for demand in ctx.case.demands:
        for ordinal in range(demand.from_term.ordinal, demand.to_term.ordinal + 1):
            cell = (demand.school_id, demand.subject, ordinal)
            if demand.form and demand.form not in forms[cell]:
                forms[cell].append(demand.form)
    columns = [("学校编号", "school_id"), ("学校名称", "school_name"), ("区县", "county"), ("学科", "subject"),
               ("学期", "term"), ("需求", "need"), ("已安排", "filled"), ("缺口", "shortfall"), ("交流方式", "form"),
               ("在岗交流教师", "exchange teachers there"), ("本学期到岗", "arriving this term")]

    def rows() -> Iterator[list[Any]]:
        for school_id, subject, ordinal in sorted(cells):
            school = ctx.case.school(school_id) if ctx.case.has_school(school_id) else None
            need = ctx.need.get((school_id, subject, ordinal), 0)
            here = sorted(present.get((school_id, subject, ordinal), []), key=lambda p: p.teacher_id)
            arriving = [p for p in here if p.start.ordinal == ordinal]
            yield [school_id, school.name if school else "", school.county if school else "",
                   subject_label(subject, lang), Term.from_ordinal(ordinal), need, len(here),
                   max(0, need - len(here)),
                   ("、" if lang == "zh" else ", ").join(forms.get((school_id, subject, ordinal), ())),
                   _sep(lang).join(_who_comes(ctx, p, lang) for p in here),
                   _sep(lang).join(_who_comes(ctx, p, lang) for p in arriving)]

    write_table(workbook, RECEIVING[lang != "zh"], headers(columns, lang), rows(), lang=lang)


def write_unmet(workbook: TableBook, ctx: Context, plan: Plan, lang: str, rows: list[NeedRow] | None = None) -> None:
    columns = [("学校编号", "school_id"), ("学校名称", "school_name"), ("区县", "county"),
               ("学校优先级", "school_priority"), ("学科", "subject"), ("音体美", "music/PE/art"), ("学期", "term"),
               ("需求", "need"), ("已安排", "filled"), ("缺口", "shortfall"), ("每人·学期权重", "weight per teacher-term")]

    need = rows if rows is not None else need_rows(ctx, plan)

    def table() -> Iterator[list[Any]]:
        for r in need:
            if not r.shortfall:
                continue
            school = ctx.case.school(r.school_id)
            yield [r.school_id, school.name, school.county, school.priority, subject_label(r.subject, lang),
                   r.subject in ARTS, term_label(r.term, lang), r.need, r.filled, r.shortfall,
                   r.weight / WEIGHT_SCALE]

    write_table(workbook, UNMET[lang != "zh"], headers(columns, lang), table(), lang=lang)
