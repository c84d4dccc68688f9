"""`python -m scheduler replan WORKBOOK PUBLISHED_PLAN.xlsx --out NEW_PLAN.xlsx [--json S.json]`: re-plan a
published plan after the changes written into the workbook (a withdrawal as a 禁止交流 pin or a
免交流原因, a need that changed, a new pin or forbid), changing as little of it as the rules allow.

WORKBOOK.md, "Re-planning after publication": after the hard rules, the quota and backbone share,
then the fewest changes to the published plan (level `moves`, rules/keep_published.py), then need,
links and wishes. The new plan workbook has a 变更 sheet after its placements and the JSON summary a
`changes` list (rules/changes.py: each teacher kept, dropped, added or moved, and why).

Both inputs are only read and --out (or --json) may be neither. A published row naming a teacher or
school the workbook no longer has is reported with its Excel row and comes back as a change (never
dropped in silence); a published plan with rows that cannot be read at all writes nothing (exit 1),
as a planner's mistake with the paths or settings exits 2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..explain import explain_infeasible
from ..export import plan_summary, read_plan, write_plan_workbook
from ..export.audit_text import audit_lines
from ..export.safe_paths import same_file
from ..plan import Placement
from ..rules import Text
from ..present.replan import replan
from ..rules.changes import ADDED, DROPPED, KEPT, MOVED, Change
from ..rules.context import Context
from . import commands
from .commands import (_ProgressLines, _case_and_settings, _inputs_ok, _output_ok, _overrides, _plan_lines,
                       _print_differences, _rules, _say, _written)

#: the published plan's problems a re-plan goes on with: the row is a change of its own
_ACCOUNTED = {"unknown_teacher", "unknown_school"}


def _where(placement: Placement | None, ctx: Context, lang: str) -> str:
    if placement is None:
        return "—"
    school = ctx.school_name(placement.school_id)
    return f"{school}（{placement.start.label('zh')}起）" if lang == "zh" else f"{school} from {placement.start.label('en')}"


def change_lines(ctx: Context, changes: list[Change], lang: str, limit: int) -> list[str]:
    """The counts, then each teacher whose placement changed, with the reason."""
    zh = lang == "zh"
    count = {kind: sum(1 for c in changes if c.kind == kind) for kind in (KEPT, MOVED, DROPPED, ADDED)}
    lines = [f"与已公示方案相比：保留 {count[KEPT]} 人，调整 {count[MOVED]} 人，取消 {count[DROPPED]} 人，新增 {count[ADDED]} 人"
             if zh else f"against the published plan: {count[KEPT]} kept, {count[MOVED]} moved, {count[DROPPED]} dropped, "
                        f"{count[ADDED]} added"]
    changed = [c for c in changes if c.changed]
    words = {DROPPED: ("取消", "dropped"), MOVED: ("调整", "moved"), ADDED: ("新增", "added")}
    for change in changed[:limit]:
        name = ctx.teacher_name(change.teacher_id) if ctx.case.has_teacher(change.teacher_id) else change.teacher_id
        label = words[change.kind][not zh]
        lines.append(f"  [{label}] {name}：{_where(change.before, ctx, lang)} → {_where(change.after, ctx, lang)}："
                     f"{change.text.zh}" if zh else
                     f"  [{label}] {name}: {_where(change.before, ctx, lang)} → {_where(change.after, ctx, lang)}: "
                     f"{change.text.en}")
    if len(changed) > limit:
        lines.append(f"  ……另有 {len(changed) - limit} 处变更，见“变更”表" if zh
                     else f"  ... and {len(changed) - limit} more, see the changes sheet")
    return lines


def _replan(args: argparse.Namespace) -> int:
    lang = args.lang
    rules = _rules(args)
    overrides = None if rules is None else _overrides(args, rules[0])
    if overrides is None:
        return 2
    if not _inputs_ok([args.workbook], lang, ("规划工作簿", "planning workbook")) \
            or not _inputs_ok([args.published], lang, ("已公示方案", "published plan")):
        return 2
    if same_file(args.workbook, args.published):
        _say(Text(f"规划工作簿与已公示方案是同一个文件“{args.workbook}”：请给出规划工作簿和已公示的方案工作簿",
                  f"the planning workbook and the published plan are the same file {args.workbook}: give the "
                  f"planning workbook and the published plan workbook"), lang)
        return 2
    inputs = [args.workbook, args.published]
    if not _output_ok(args, args.out, "plan", inputs, [("--json", args.json)] if args.json else []):
        return 2
    if args.json is not None and not _output_ok(args, args.json, "summary", inputs, option="--json"):
        return 2
    read = _case_and_settings([args.workbook], lang, rules[1], overrides)
    if isinstance(read, int):
        return read
    case, settings = read
    unmatched: list[Placement] = []
    published, problems = read_plan(case, args.published, settings, unmatched)
    if problems.problems:
        print(problems.text(lang, limit=args.limit))
    unreadable = [p for p in problems.errors if p.code not in _ACCOUNTED]
    if unreadable:
        _say(Text("已公示方案有无法读取的行，未重新规划；请先修正这些行（可用 audit 命令检查）",
                  "the published plan has rows that cannot be read; nothing was re-planned. Fix those rows first "
                  "(the audit command checks them)"), lang)
        return 1
    if not published.placements and not unmatched:
        _say(Text(f"已公示方案“{args.published}”中没有派出安排，无可保留；请用 solve 命令从头规划",
                  f"the published plan {args.published} has no placements to keep; plan from scratch with solve"),
             lang)
        return 1
    if unmatched:
        print(f"已公示方案中 {len(unmatched)} 行的教师或学校已不在规划工作簿中，按变更处理（见上文各行与“变更”表）"
              if lang == "zh" else f"{len(unmatched)} published row(s) name a teacher or school the workbook no "
                                   f"longer has; they are changes (rows above, and the changes sheet)")
    _print_differences(published, settings, lang)

    result = replan(case, settings, published, unmatched, progress=_ProgressLines(lang))
    plan, report, changes = result.plan, result.report, result.changes
    if plan.status == "infeasible":
        print("无可行方案：硬规则互相矛盾（与已公示方案无关：保留已公示安排不是硬规则）。" if lang == "zh"
              else "infeasible: the hard rules contradict each other (keeping published placements is not a hard rule).")
        print("\n".join(explain_infeasible(case, settings).lines(lang)))
        return 1
    ctx = result.ctx
    print("\n".join(_plan_lines(case, settings, plan, report, lang)))
    print("\n".join(change_lines(ctx, changes, lang, args.limit)))
    if report.hard:  # the solver's plan passes its own rules; a line here is a bug to report
        for line in audit_lines(case, report, lang)[:args.limit]:
            print("  " + line)
    if not _written(args.out, lambda path: write_plan_workbook(case, settings, plan, path, lang=lang, report=report,
                                                               changes=changes), lang):
        return 2
    written = [str(args.out)]
    if args.json is not None:
        text = json.dumps(plan_summary(case, settings, plan, report, changes=changes), ensure_ascii=False, indent=1)
        if not _written(args.json, lambda path: path.write_text(text, encoding="utf-8"), lang):
            return 2
        written.append(str(args.json))
    print(("已写出 " if lang == "zh" else "written: ") + ("、" if lang == "zh" else ", ").join(written))
    return 0 if report.ok else 1


def add_replan(commands_parser: argparse._SubParsersAction) -> None:
    replan = commands_parser.add_parser(
        "replan", help="re-plan a published plan after changes, keeping as much of it as the rules allow")
    replan.add_argument("workbook", type=Path, help="the planning workbook with the changes written in (only read)")
    replan.add_argument("published", type=Path, help="the published plan workbook (its 派出安排 sheet; only read)")
    replan.add_argument("--out", type=Path, required=True, help="the new plan workbook to write (.xlsx)")
    replan.add_argument("--json", type=Path, help="also write the JSON summary, with its `changes`, here")
    replan.add_argument("--time-limit", type=float, metavar="S", help="time limit in seconds")
    replan.add_argument("--limit", type=int, default=50, help="most change and problem lines printed (default 50)")
    commands._add_force(replan)
    commands._add_set(replan)
    commands._add_lang(replan)
    replan.set_defaults(run=_replan)


commands.MORE_COMMANDS.append(add_replan)
