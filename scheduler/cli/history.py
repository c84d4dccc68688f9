"""`python -m scheduler history PLAN.xlsx --into WORKBOOK.xlsx --out NEXT.xlsx`: next year's planning
workbook, the input workbook with this plan's placements appended to its 交流记录 (history).

Both inputs are only read; --out may be neither of them. The plan is read as `audit` reads it (its
派出安排 sheet, hand edits included); a plan or workbook with errors writes nothing (exit 1), a
planner's mistake with the paths exits 2 with a message, as the other commands do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..export import read_plan
from ..export.next_year import with_plan_history
from ..export.safe_paths import HISTORY_PROPERTY, same_file
from ..rules import Text
from ..workbook import write_case
from . import commands
from .commands import _inputs_ok, _load, _output_ok, _rules, _say, _written


def _history(args: argparse.Namespace) -> int:
    lang = args.lang
    rules = _rules(args)
    if rules is None:
        return 2
    if not _inputs_ok([args.plan], lang, ("方案工作簿", "plan workbook")) \
            or not _inputs_ok([args.into], lang, ("规划工作簿", "planning workbook")):
        return 2
    if same_file(args.plan, args.into):
        _say(Text(f"方案工作簿与 --into 是同一个文件“{args.plan}”：请给出方案工作簿和本年度的规划工作簿",
                  f"the plan workbook and --into are the same file {args.plan}: give the plan and this year's "
                  f"planning workbook"), lang)
        return 2
    if not _output_ok(args, args.out, "next_year", [args.plan, args.into]):
        return 2
    loaded = _load([args.into], lang, rules[1])
    if loaded is None:
        return 1
    case = loaded.case
    # The workbook's own settings give a placement its length when the plan's sheet has none.
    plan, problems = read_plan(case, args.plan, loaded.settings)
    if problems.problems:
        print(problems.text(lang, limit=args.limit))
    if not problems.ok:
        _say(Text("方案工作簿有错误，未写出下一年度工作簿；请先修正方案（可用 audit 命令检查）",
                  "the plan workbook has errors, nothing was written; fix the plan first (the audit command "
                  "checks it)"), lang)
        return 1
    if not plan.placements:
        _say(Text(f"方案工作簿“{args.plan}”中没有派出安排，交流记录无可追加，未写出",
                  f"the plan workbook {args.plan} has no placements to add to the history; nothing was written"),
             lang)
        return 1
    result = with_plan_history(case, plan, loaded.settings)
    if not _written(args.out, lambda path: write_case(result.case, path, lang=lang,
                                                      properties={HISTORY_PROPERTY: args.plan.name}), lang):
        return 2
    before = len(case.history)
    print(f"{args.out}：交流记录原有 {before} 条，新增 {len(result.added)} 条" if lang == "zh"
          else f"{args.out}: the history had {before} record(s), {len(result.added)} added")
    if result.already:
        print(f"  {result.already} 条安排已在交流记录中，未重复追加" if lang == "zh"
              else f"  {result.already} placement(s) were already in the history and were not added again")
    print("  下一年度请更新“需求”表和规划开始学期；输入的工作簿与方案均未改动" if lang == "zh"
          else "  for next year, update the demand sheet and the horizon; the input workbook and plan are unchanged")
    return 0


def add_history(commands_parser: argparse._SubParsersAction) -> None:
    history = commands_parser.add_parser(
        "history", help="next year's workbook: this workbook with the plan's placements added to 交流记录")
    history.add_argument("plan", type=Path, help="the plan workbook (its 派出安排 / placements sheet)")
    history.add_argument("--into", type=Path, required=True, help="this year's planning workbook (only read)")
    history.add_argument("--out", type=Path, required=True, help="next year's planning workbook to write (.xlsx)")
    history.add_argument("--limit", type=int, default=50, help="most plan problems printed (default 50)")
    commands._add_force(history)
    commands._add_rules(history)
    commands._add_lang(history)
    history.set_defaults(run=_history)


commands.MORE_COMMANDS.append(add_history)
