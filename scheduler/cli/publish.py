"""`python -m scheduler publish WORKBOOK PLAN.xlsx --out DIR [--date 2027-06-01] [--template T.docx]`:
the published documents of a plan (scheduler.publish) written into DIR.

The plan is read as `audit` reads it (its 派出安排 sheet, hand edits included), by the planning
workbook's settings and --set (发文单位, 公示天数 among them); a plan with errors writes nothing
(exit 1). No document is written over an input, and an existing file is replaced only when an
earlier `publish` wrote it (else --force). The template is checked before anything is written.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from ..export import read_plan
from ..publish import FontMissing, TemplateProblem, load_template, planned_files, publish, rows_of
from ..publish.outputs import output_problems
from ..rules import Text
from . import commands
from .commands import _case_and_settings, _inputs_ok, _overrides, _rules, _say


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a date such as 2027-06-01, not {text!r}") from error


def _publish(args: argparse.Namespace) -> int:
    lang = args.lang
    rules = _rules(args)
    overrides = None if rules is None else _overrides(args, rules[0])
    if overrides is None:
        return 2
    inputs = [args.workbook, args.plan] + ([args.template] if args.template else [])
    if not _inputs_ok([args.workbook], lang, ("规划工作簿", "planning workbook")) \
            or not _inputs_ok([args.plan], lang, ("方案工作簿", "plan workbook")) \
            or (args.template and not _inputs_ok([args.template], lang, ("通知书模板", "notice template"))):
        return 2
    if args.template:
        try:
            load_template(args.template)
        except TemplateProblem as problem:
            _say(problem.text, lang)
            return 2
    read = _case_and_settings([args.workbook], lang, rules[1], overrides)
    if isinstance(read, int):
        return read
    case, settings = read
    plan, problems = read_plan(case, args.plan, settings)
    if problems.problems:
        print(problems.text(lang, limit=args.limit))
    if not problems.ok:
        _say(Text("方案工作簿有错误，未发布；请先修正方案（可用 audit 命令检查）",
                  "the plan workbook has errors, nothing was published; fix the plan first (the audit command "
                  "checks it)"), lang)
        return 1
    rows = rows_of(case, settings, plan)
    if not rows:
        _say(Text(f"方案工作簿“{args.plan}”中没有派出安排，无可发布", f"the plan workbook {args.plan} has no "
                  f"placements; nothing to publish"), lang)
        return 1
    refused = output_problems(args.out, planned_files(args.out, rows), inputs, args.force)
    for problem in refused:
        _say(problem, lang)
    if refused:
        return 2
    day = args.date or datetime.date.today()
    try:
        result = publish(case, settings, plan, args.out, day, args.template)
    except (FontMissing, TemplateProblem) as problem:
        _say(problem.text, lang)
        return 2
    except OSError as error:
        _say(Text(f"无法写出到“{args.out}”：{error.strerror or error}", f"cannot write into {args.out}: "
                  f"{error.strerror or error}"), lang)
        return 2
    for zh, en in result.warnings:
        print(("注意：" if lang == "zh" else "note: ") + (zh if lang == "zh" else en), flush=True)
    print(f"{args.out}：已为 {result.placed} 名派出教师写出 {len(result.files)} 个文件" if lang == "zh"
          else f"{args.out}: {len(result.files)} file(s) written for {result.placed} placed teacher(s)")
    for path in result.files:
        print(f"  {path}")
    return 0


def add_publish(commands_parser: argparse._SubParsersAction) -> None:
    command = commands_parser.add_parser(
        "publish", help="the published documents of a plan: 公示名单, 接收名单, 派遣通知书, indicator 2.11, national record")
    command.add_argument("workbook", type=Path, help="the planning workbook (only read)")
    command.add_argument("plan", type=Path, help="the plan workbook (its 派出安排 / placements sheet)")
    command.add_argument("--out", type=Path, required=True, help="the folder the documents are written into")
    command.add_argument("--date", type=_date, help="publication date, e.g. 2027-06-01 (default today): the 公示 "
                                                   "period starts on it, the notices carry it")
    command.add_argument("--template", type=Path, help="a .docx notice template with fields such as {姓名} "
                                                       "(default: the shipped one)")
    command.add_argument("--limit", type=int, default=50, help="most plan problems printed (default 50)")
    commands._add_force(command)
    commands._add_set(command)
    commands._add_lang(command)
    command.set_defaults(run=_publish)


commands.MORE_COMMANDS.append(add_publish)
