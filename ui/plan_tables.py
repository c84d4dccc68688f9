"""Plan data as the tables and chart frames the Plan page shows (labels in the chosen language)."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from scheduler.rules.context import Context, term_label
from scheduler.domain.subjects import ARTS, subject_label
from scheduler.export.summary import placement_record
from scheduler.plan import Plan
from scheduler.rules import RULE_BY_ID
from scheduler.rules.need import need_rows
from scheduler.rules.quota import quota_rows
from scheduler.domain.terms import school_year_label


def _zh(lang: str) -> bool:
    return lang == "zh"


def placements(ctx: Context, plan: Plan, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    rows = []
    for p in plan.placements:
        r = placement_record(ctx, p)
        home = ctx.case.school(r["from_school_id"]) if r["from_school_id"] else None
        host = ctx.case.school(p.school_id) if ctx.case.has_school(p.school_id) else None
        rows.append({
            ("教师编号" if zh else "teacher id"): r["teacher_id"],
            ("姓名" if zh else "name"): r["teacher_name"],
            ("派出区县" if zh else "from county"): home.county if home else "",
            ("派出学校" if zh else "from school"): r["from_school_name"],
            ("接收区县" if zh else "to county"): host.county if host else "",
            ("接收学校" if zh else "to school"): r["to_school_name"],
            ("学科" if zh else "subject"): subject_label(p.subject, lang),
            ("开始" if zh else "start"): p.start.label(lang),
            ("结束" if zh else "end"): p.end.label(lang),
            ("交流方式" if zh else "form"): r["form"] or "",
            ("骨干" if zh else "backbone"): r["backbone"],
            ("结对项目" if zh else "program"): r["link_program"] or "",
        })
    return pd.DataFrame(rows)


def sending(ctx: Context, plan: Plan, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    return pd.DataFrame([{
        # one row per unit of the quota (比例范围): a sending school, a 学区 or a county
        ("学校" if zh else "school"): r.name(lang),
        ("区县" if zh else "county"): "、".join(sorted({ctx.case.school(s).county for s in r.school_ids})),
        ("学年" if zh else "school year"): school_year_label(r.school_year, lang),
        ("符合条件" if zh else "eligible"): r.eligible,
        ("应交流" if zh else "required"): r.required,
        ("已交流" if zh else "rotated"): r.rotated,
        ("骨干" if zh else "backbone"): r.backbone_rotated,
        ("骨干应有" if zh else "backbone required"): r.backbone_required,
        ("达标" if zh else "met"): r.met,
    } for r in sorted(quota_rows(ctx, plan), key=lambda r: r.met)])


def receiving(ctx: Context, plan: Plan, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    return pd.DataFrame([{
        ("学校" if zh else "school"): ctx.school_name(r.school_id),
        ("区县" if zh else "county"): ctx.case.school(r.school_id).county,
        ("学科" if zh else "subject"): subject_label(r.subject, lang),
        ("学期" if zh else "term"): term_label(r.term, lang),
        ("需求" if zh else "need"): r.need,
        ("已安排" if zh else "filled"): r.filled,
        ("缺口" if zh else "shortfall"): r.shortfall,
        ("音体美" if zh else "arts"): r.subject in ARTS,
    } for r in sorted(need_rows(ctx, plan), key=lambda r: -r.shortfall)])


def flows(ctx: Context, plan: Plan, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    counts = Counter()
    for p in plan.placements:
        if ctx.case.has_teacher(p.teacher_id) and ctx.case.has_school(p.school_id):
            counts[(ctx.home(ctx.case.teacher(p.teacher_id)).county, ctx.case.school(p.school_id).county)] += 1
    return pd.DataFrame([{("派出区县" if zh else "from county"): a, ("接收区县" if zh else "to county"): b,
                          ("人数" if zh else "teachers"): n} for (a, b), n in sorted(counts.items())])


def need_by_subject(ctx: Context, plan: Plan, lang: str, filled: str, unmet: str) -> pd.DataFrame:
    zh = _zh(lang)
    totals: dict[str, list[int]] = {}
    for r in need_rows(ctx, plan):
        pair = totals.setdefault(r.subject, [0, 0])
        pair[0] += r.filled
        pair[1] += r.shortfall
    rows = []
    for subject, (got, missing) in totals.items():
        name = subject_label(subject, lang) + ("（音体美）" if zh and subject in ARTS else " (arts)" if subject in ARTS else "")
        rows.append({("学科" if zh else "subject"): name, ("情况" if zh else "part"): filled, ("人·学期" if zh else "teacher-terms"): got})
        rows.append({("学科" if zh else "subject"): name, ("情况" if zh else "part"): unmet, ("人·学期" if zh else "teacher-terms"): missing})
    return pd.DataFrame(rows)


def quota_chart(ctx: Context, plan: Plan, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    table: dict[str, list[int]] = {}
    for r in quota_rows(ctx, plan):
        pair = table.setdefault(r.name(lang), [0, 0])  # a school, or its 学区 / county (比例范围)
        pair[0] += r.rotated
        pair[1] += r.required
    category = ctx.settings.quota_scope.label("zh" if zh else "en")  # 学校 / 学区 / 区县
    return pd.DataFrame([{category: name, ("已交流" if zh else "rotated"): a,
                          ("应交流" if zh else "required"): b, ("未达标" if zh else "short"): a < b}
                         for name, (a, b) in table.items()])


def shortfalls(ctx: Context, violations: list, lang: str) -> pd.DataFrame:
    """The goals a plan falls short of, one row each: the goal, the schools and teachers it names
    (by name), what is missing and the sentence that says it (a long list scrolls in a grid)."""
    zh = _zh(lang)
    rows = []
    for v in sorted(violations, key=lambda v: (v.rule, -v.amount)):
        rows.append({
            ("目标" if zh else "goal"): RULE_BY_ID[v.rule].name(lang) if v.rule in RULE_BY_ID else v.rule,
            ("学校" if zh else "schools"): "、".join(ctx.school_name(s) for s in v.school_ids),
            ("教师" if zh else "teachers"): "、".join(ctx.teacher_name(t) for t in v.teacher_ids),
            ("缺口" if zh else "missing"): f"{v.amount:g}" if v.amount else "",
            ("说明" if zh else "detail"): v.text.get(lang),
        })
    return pd.DataFrame(rows, columns=["目标", "学校", "教师", "缺口", "说明"] if zh
                        else ["goal", "schools", "teachers", "missing", "detail"])
