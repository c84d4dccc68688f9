"""`python -m scheduler explain`: the diagnosis, the score breakdown, why and why-not, in print."""

from __future__ import annotations

import argparse

from ..rules.context import Context
from ..domain.models import Case
from ..domain.settings import Settings
from ..explain import diagnose, explain_infeasible, school_story, score_breakdown, teacher_details, why_placed
from ..explain.why_not import why_not
from ..export import read_plan, unplaced_teachers
from ..model import solve
from ..plan import Plan
from ..rules import active_rules


def explain_lines(case: Case, settings: Settings, plan: Plan, teacher: str | None, school: str | None,
                  lang: str) -> list[str]:
    zh = lang == "zh"
    ctx = Context(case, settings)
    lines = ["== 求解前检查 ==" if zh else "== pre-solve check =="]
    findings = diagnose(case, settings)
    lines += [f"- {f.text.get(lang)}" + (f" → {f.relax.get(lang)}" if f.relax else "") for f in findings] or [
        "- 未发现无法满足的规则" if zh else "- nothing found"]
    lines.append("== 各优先级的缺口构成 ==" if zh else "== score breakdown by level ==")
    lines += [f"- {line.text(ctx, lang)}" for line in score_breakdown(ctx, plan)]
    lines.append("== 各规则的贡献 ==" if zh else "== what each rule did ==")
    lines += [f"- {rule.name(lang)}: {rule.explain(ctx, plan).headline.get(lang)}" for rule in active_rules(settings)
              if rule.applies(ctx)]
    if teacher is not None:
        if not case.has_teacher(teacher):
            return lines + [f"教师编号“{teacher}”不在名册中" if zh else f"teacher {teacher!r} is not in the roster"]
        name = case.teacher(teacher).name
        lines.append(f"== {name} ==")
        lines += [f"- {text.get(lang)}" for text in teacher_details(ctx, case.teacher(teacher))]
        placed = plan.by_teacher().get(teacher)
        if placed is not None and (school is None or placed.school_id == school):
            lines.append(f"== 为什么安排{name} ==" if zh else f"== why {name} ==")
            lines += [f"- {text.get(lang)}" for text in why_placed(ctx, plan, placed)]
        else:
            lines.append(f"== 为什么不安排{name}" + (f"去{ctx.school_name(school)}" if school else "") + " =="
                         if zh else f"== why not {name}" + (f" at {ctx.school_name(school)}" if school else "") + " ==")
            if school is None:
                reason = next((u for u in unplaced_teachers(ctx, plan) if u.teacher.teacher_id == teacher), None)
                if reason is not None:
                    lines.append(f"- {reason.category_label(lang)}: {reason.reason.get(lang)}")
            else:
                lines += [f"- {line}" for line in why_not(case, settings, plan, teacher, school).lines(lang)]
    elif school is not None:
        lines.append(f"== {ctx.school_name(school)} ==")
        lines += [f"- {text.get(lang)}" for text in school_story(ctx, plan, school)]
    return lines


def run_explain(args: argparse.Namespace, case: Case, settings: Settings) -> int:
    if args.plan is not None:
        plan, problems = read_plan(case, args.plan, settings)
        if problems.problems:
            print(problems.text(args.lang, limit=50))
    else:
        plan = solve(case, settings)
    if plan.status == "infeasible":
        print("\n".join(explain_infeasible(case, settings).lines(args.lang)))
        return 1
    print("\n".join(explain_lines(case, settings, plan, args.teacher, args.school, args.lang)))
    return 0
