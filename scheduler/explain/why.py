"""Why a placement is in the plan: the need it fills, the link it uses, the quota it serves,
the teacher's own wish; and a teacher's details, the facts eligibility is decided on. Every
sentence names the teacher, the schools and the figures; an ID number only masked."""

from __future__ import annotations

from datetime import date

from ..domain.models import Teacher
from ..domain.personal import mask_id_number
from ..rules.context import Context, term_label
from ..domain.subjects import ARTS, subject_label
from ..domain.terms import school_year_label
from ..plan import Placement, Plan
from ..rules.base import Text
from ..rules.eligibility import host_name, resting
from ..rules.wishes import rural_service
from ..rules.quota import QuotaRow, counts_as_backbone, quota_rows


def why_placed(ctx: Context, plan: Plan, placement: Placement) -> list[Text]:
    teacher = ctx.case.teacher(placement.teacher_id)
    home, host = ctx.home(teacher), ctx.case.school(placement.school_id)
    span_zh = placement.start.label() + (f"至{placement.end.label()}" if placement.terms > 1 else "")
    span_en = placement.start.label("en") + (f" to {placement.end.label('en')}" if placement.terms > 1 else "")
    lines: list[Text] = []
    need = max((ctx.need.get((host.school_id, placement.subject, o), 0) for o in placement.ordinals), default=0)
    arts_zh = "（音体美，加权）" if placement.subject in ARTS else ""
    arts_en = " (music/PE/art, weighted extra)" if placement.subject in ARTS else ""
    lines.append(Text(
        f"填补{host.name}{span_zh}的{placement.subject}需求（需要{need}人，学校优先级{host.priority}/5）{arts_zh}",
        f"fills {host.name}'s {subject_label(placement.subject, 'en')} need {span_en} (needs {need}, "
        f"school priority {host.priority}/5){arts_en}"))
    program = ctx.link_program.get(frozenset((home.school_id, host.school_id)))
    if program:
        lines.append(Text(f"{home.name}与{host.name}同属“{program}”结对", f"{home.name} and {host.name} are linked ({program})"))
    else:
        lines.append(Text(f"{home.name}与{host.name}没有结对关系（结对模式允许）",
                          f"{home.name} and {host.name} are not linked (the pairing mode allows it)"))
    row = next((r for r in quota_rows(ctx, plan) if home.school_id in r.school_ids
                and r.school_year == placement.start.school_year), None)
    if row is not None:
        # 骨干认定: the teacher counts for the share as the settings define it (骨干, 名师, a title)
        counts = counts_as_backbone(ctx.settings, teacher)
        backbone_zh = f"，计入骨干比例（骨干{row.backbone_rotated}人，应有{row.backbone_required}人）" if counts else ""
        backbone_en = (f"; counts for the backbone share ({row.backbone_rotated} backbone of "
                       f"{row.backbone_required} required)") if counts else ""
        lines.append(Text(
            f"计入{row.name('zh')}的交流比例：应交流{row.required}人，已交流{row.rotated}人{backbone_zh}",
            f"counts for {row.name('en')}'s quota: {row.required} required, {row.rotated} rotated{backbone_en}"))
    if teacher.preferences:
        if host.school_id in teacher.preferences:
            rank = teacher.preferences.index(host.school_id) + 1
            lines.append(Text(f"{teacher.name}的第{rank}志愿", f"{teacher.name}'s wish number {rank}"))
        else:
            lines.append(Text(f"不在{teacher.name}的志愿中", f"not among {teacher.name}'s wishes"))
    if teacher.seeking_promotion:
        lines.append(promotion_line(ctx, teacher))
    lines.append(years_line(ctx, teacher))
    return lines


def promotion_line(ctx: Context, teacher: Teacher) -> Text:
    """拟申报高级职称: first in the wishes level, unless the 交流记录 already shows rural service."""
    served = rural_service(ctx, teacher)
    if served is None:
        return Text(f"{teacher.name}拟申报高级职称，需要交流经历", f"{teacher.name} seeks promotion and needs the rural year")
    host = host_name(ctx, served)
    return Text(f"{teacher.name}拟申报高级职称，交流记录中已有乡村交流经历（{host} {served.from_term.label()}–"
                f"{served.to_term.label()}），不再优先安排",
                f"{teacher.name} seeks promotion but already served at {host_name(ctx, served, 'en')} "
                f"({served.from_term.label('en')}–"
                f"{served.to_term.label('en')}): no longer put first")


def history_lines(ctx: Context, teacher: Teacher) -> list[Text]:
    """The teacher's 交流记录, earliest first: host school, from–to, form; and whether it makes them wait."""
    lines = []
    for exchange in ctx.case.history_of(teacher.teacher_id):
        host = host_name(ctx, exchange)
        form_zh = f"，{exchange.form}" if exchange.form else ""
        form_en = f", {exchange.form}" if exchange.form else ""
        lines.append(Text(f"交流记录 {exchange.from_term.label()}–{exchange.to_term.label()} {host}{form_zh}",
                          f"past placement {exchange.from_term.label('en')}–{exchange.to_term.label('en')} at "
                          f"{host_name(ctx, exchange, 'en')}{form_en}"))
    last = resting(ctx, teacher)
    if last is not None:
        years = ctx.settings.rest_years
        lines.append(Text(f"交流间隔年数为{years}：上次交流{last.to_term.label()}结束，本次不参加交流",
                          f"rest_years {years}: the last placement ended {last.to_term.label('en')}, "
                          f"so no rotation now"))
    if teacher.seeking_promotion:
        lines.append(promotion_line(ctx, teacher))
    return lines


def _month(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月" if lang == "zh" else f"{day:%Y-%m}"


def years_line(ctx: Context, teacher: Teacher) -> Text:
    """本校任教年限, and the 进本校年月 it is counted from when the roster gives one."""
    years = teacher.years_at_school
    if teacher.joined_school is None:
        return Text(f"{teacher.name}在本校任教{years}年", f"{teacher.name} has {years} years at the school")
    start = ctx.reference_date
    return Text(
        f"{teacher.name}{_month(teacher.joined_school, 'zh')}进本校，至{start.year}年{start.month}月{start.day}日"
        f"（规划首学期）在本校任教{years}年",
        f"{teacher.name} came to the school in {_month(teacher.joined_school, 'en')}: {years} years there by "
        f"{start:%Y-%m-%d} (the horizon's first term)")


def teacher_details(ctx: Context, teacher: Teacher) -> list[Text]:
    """Who the teacher is and what decides whether they rotate: school, subjects, title, backbone,
    the years at the school and their date, 在岗状态, 是否在编, exemption, 职务, the 交流记录 (and the
    rest years and promotion priority it decides); 身份证号 masked."""
    home = ctx.school_name(teacher.school_id)
    subjects_zh = "、".join(teacher.subjects)
    subjects_en = ", ".join(subject_label(s, "en") for s in teacher.subjects)
    lines = [Text(f"{teacher.name}（{teacher.teacher_id}），{home}，{subjects_zh}",
                  f"{teacher.name} ({teacher.teacher_id}), {home}, {subjects_en}")]
    if teacher.id_number:
        masked = mask_id_number(teacher.id_number)
        lines.append(Text(f"身份证号 {masked}", f"ID number {masked}"))
    if teacher.title is not None or teacher.backbone:
        title = teacher.title
        level = teacher.backbone_level
        backbone_zh = (f"，骨干（{level.label('zh')}）" if level else "，骨干教师") if teacher.backbone else ""
        backbone_en = (f"; backbone ({level.label('en')})" if level else "; backbone teacher") if teacher.backbone else ""
        lines.append(Text(f"职称 {title.label('zh') if title else '未定级'}{backbone_zh}",
                          f"title {title.label('en') if title else 'none'}{backbone_en}"))
    if teacher.post:
        lines.append(Text(f"职务 {teacher.post}", f"post {teacher.post}"))
    rules = ctx.settings
    met = teacher.years_at_school >= rules.min_years
    line = years_line(ctx, teacher)
    lines.append(Text(f"{line.zh}（最低{rules.min_years}年，{'已满' if met else '未满'}）",
                      f"{line.en} (at least {rules.min_years}: {'met' if met else 'not met'})"))
    if teacher.started_work is not None:
        lines.append(Text(f"参加工作 {_month(teacher.started_work, 'zh')}", f"started work {_month(teacher.started_work, 'en')}"))
    if teacher.leave:
        lines.append(Text(f"在岗状态 {teacher.leave}：本次不交流", f"status {teacher.leave}: does not rotate now"))
    elif teacher.status:
        lines.append(Text(f"在岗状态 {teacher.status}", f"status {teacher.status}"))
    if teacher.on_staff is False:
        lines.append(Text("非在编：不参加交流（交流面向在编在岗教师）",
                          "not on the permanent staff: does not rotate (rotation is for staff teachers at work)"))
    if teacher.exemption:
        lines.append(Text(f"免交流原因 {teacher.exemption}", f"exempt: {teacher.exemption}"))
    lines += history_lines(ctx, teacher)
    eligible = ctx.eligible(teacher)
    lines.append(Text("符合交流条件" if eligible else "不符合交流条件",
                      "eligible to rotate" if eligible else "not eligible to rotate"))
    # A county may use ID numbers as 教师编号: nothing here shows one whole.
    return [Text(mask_id_number(line.zh), mask_id_number(line.en)) for line in lines]


def quota_state(row: QuotaRow) -> Text:
    """达标, or what is missing: rotations, backbone teachers, or both."""
    if row.met:
        return Text("达标", "met")
    missing_zh, missing_en = [], []
    if row.shortfall:
        missing_zh.append(f"缺{row.shortfall}人")
        missing_en.append(f"{row.shortfall} short")
    if row.backbone_shortfall:
        missing_zh.append(f"骨干缺{row.backbone_shortfall}人")
        missing_en.append(f"{row.backbone_shortfall} backbone short")
    return Text("未达标：" + "，".join(missing_zh), "not met: " + ", ".join(missing_en))


def school_story(ctx: Context, plan: Plan, school_id: str) -> list[Text]:
    """Who leaves and who arrives at a school, and its quota, in a few sentences."""
    school = ctx.case.school(school_id)
    lines: list[Text] = []
    for row in quota_rows(ctx, plan):
        if school_id in row.school_ids:
            state = quota_state(row)
            # counted with the other schools of its 学区 or county (比例范围): say whose figures these are
            unit = row.unit
            unit_zh = "" if row.school_ids == (school_id,) else f"（{unit.scope.zh}“{unit.label}”合计）"
            unit_en = "" if row.school_ids == (school_id,) else f" ({unit.scope.en} {unit.label} together)"
            lines.append(Text(
                f"{school_year_label(row.school_year)}{unit_zh}：符合条件{row.eligible}人，应交流{row.required}人，交流{row.rotated}人"
                f"（骨干{row.backbone_rotated}人，应有{row.backbone_required}人），{state.zh}",
                f"{school_year_label(row.school_year, 'en')}{unit_en}: {row.eligible} eligible, {row.required} required, "
                f"{row.rotated} rotated ({row.backbone_rotated} backbone of {row.backbone_required} required), {state.en}"))
    for p in plan.placements:
        if not ctx.case.has_teacher(p.teacher_id):
            continue
        teacher = ctx.case.teacher(p.teacher_id)
        if teacher.school_id == school_id:
            lines.append(Text(f"{teacher.name}（{p.subject}）{p.start.label()}起去{ctx.school_name(p.school_id)}",
                              f"{teacher.name} ({p.subject}) goes to {ctx.school_name(p.school_id)} from {p.start.label('en')}"))
        if p.school_id == school_id:
            lines.append(Text(f"{teacher.name}（{p.subject}）{p.start.label()}起从{ctx.school_name(teacher.school_id)}来",
                              f"{teacher.name} ({p.subject}) comes from {ctx.school_name(teacher.school_id)} from {p.start.label('en')}"))
    need = [(k, v) for k, v in ctx.need.items() if k[0] == school_id]
    for (_, subject, ordinal), count in sorted(need, key=lambda kv: (kv[0][1], kv[0][2])):
        filled = sum(1 for p in plan.placements if p.school_id == school_id and p.subject == subject and ordinal in p.ordinals)
        if filled < count:
            lines.append(Text(f"{term_label(ordinal)}{subject}需要{count}人，安排{filled}人",
                              f"{term_label(ordinal, 'en')}: {subject} needs {count}, {filled} placed"))
    if not lines:
        lines.append(Text(f"{school.name}在本方案中没有派出或接收", f"{school.name} neither sends nor receives in this plan"))
    return lines
