"""Command line: `python -m scheduler <command>`. Messages are Chinese unless --lang en."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .audit import AuditReport, audit
from .cli_explain import run_explain
from .explain import explain_infeasible
from .domain.models import Case
from .domain.settings import Settings, settings_from
from .export import headline, plan_summary, read_plan, status_label, write_plan_workbook
from .export.audit_text import audit_lines
from .model import Progress, solve
from .overrides import OverrideError, parse_overrides
from .plan import Plan
from .samples import generate_case
from .workbook import read_paths, write_case, write_template


def _check(args: argparse.Namespace) -> int:
    loaded = read_paths(args.files)
    print(loaded.report.text(args.lang, limit=args.limit))
    if loaded.case is not None:
        case = loaded.case
        counts = (len(case.teachers), len(case.schools), len(case.links), len(case.demands), len(case.pins))
        print(("教师 {} 名，学校 {} 所，结对 {} 条，需求 {} 行，锁定 {} 条" if args.lang == "zh"
               else "{} teachers, {} schools, {} links, {} need rows, {} pins").format(*counts))
    return 0 if loaded.report.ok else 1


def _generate(args: argparse.Namespace) -> int:
    case = generate_case(Path(args.seed), scale=args.scale)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_case(case, args.out, lang=args.lang)
    print(f"{args.out}: {len(case.teachers)} teachers, {len(case.schools)} schools, "
          f"{len(case.links)} links, {len(case.demands)} need rows, {len(case.pins)} pins")
    return 0


def _template(args: argparse.Namespace) -> int:
    write_template(args.out)
    print(args.out)
    return 0


def _overrides(args: argparse.Namespace) -> dict[str, str] | None:
    """The --set and --time-limit overrides; None (after saying why) when one is invalid."""
    try:
        overrides = parse_overrides(args.set or [])
    except OverrideError as error:
        print(("无效的 --set：" if args.lang == "zh" else "invalid --set: ") + error.text.get(args.lang),
              file=sys.stderr)
        return None
    if getattr(args, "time_limit", None) is not None:
        if not args.time_limit > 0:
            print("--time-limit 应为正数（秒）" if args.lang == "zh" else "--time-limit must be a positive number of seconds",
                  file=sys.stderr)
            return None
        overrides["time_limit_s"] = str(args.time_limit)
    return overrides


def _load(files: list[Path], lang: str) -> Case | None:
    """The case, or None after printing the workbook's problems; warnings are printed either way."""
    loaded = read_paths(files)
    if loaded.report.problems:
        print(loaded.report.text(lang, limit=50))
    return loaded.case


def _settings(case: Case, overrides: dict[str, str], lang: str) -> Settings | None:
    try:
        return settings_from(case.settings, **overrides)
    except ValueError as error:  # a combination the single checks cannot see
        print(("设置无效：" if lang == "zh" else "invalid settings: ") + str(error), file=sys.stderr)
        return None


class _ProgressLines:
    """A line when a level starts, at its first solution, then at most one a second while it improves."""

    def __init__(self, lang: str):
        self.lang = lang
        self.last = 0.0
        self.first = True

    def __call__(self, event: Progress) -> None:
        now = time.perf_counter()
        head = f"[{event.level_index + 1}/{event.level_count} {event.level.name(self.lang)}]"
        if event.message == "start":
            print(f"{head} {'开始' if self.lang == 'zh' else 'start'} {event.elapsed:.1f}s", flush=True)
            self.first = True
        elif self.first or now - self.last >= 1.0:
            self.first = False
            words = ("目标", "下界", "用时") if self.lang == "zh" else ("objective", "bound", "elapsed")
            print(f"{head} {words[0]} {event.objective:g} {words[1]} {event.bound:g} {words[2]} {event.elapsed:.1f}s",
                  flush=True)
        else:
            return
        self.last = now


def _plan_lines(case: Case, settings: Settings, plan: Plan, report: AuditReport, lang: str) -> list[str]:
    """Status, each level's value, bound and gap, the headline figures and the audit's count."""
    zh = lang == "zh"
    status = status_label(plan.status, lang)
    first = f"状态：{status}，最大差距 {plan.gap:.2%}" if zh else f"status: {status}, largest gap {plan.gap:.2%}"
    if "total" in plan.times:
        first += f"，用时 {plan.times['total']:.1f} 秒" if zh else f", {plan.times['total']:.1f} s"
    lines = [first]
    for number, level in enumerate(plan.levels, start=1):
        if zh:
            lines.append(f"  第{number}级 {level.zh}：{level.value:g}（下界 {level.bound:g}，差距 {level.gap:.2%}）")
        else:
            lines.append(f"  level {number} {level.en}: {level.value:g} (bound {level.bound:g}, gap {level.gap:.2%})")
    lines += headline(case, settings, plan).lines(lang)
    lines.append(("审核：" if zh else "audit: ") + report.summary(lang))
    return lines


def _solve(args: argparse.Namespace) -> int:
    overrides = _overrides(args)
    if overrides is None:
        return 2
    case = _load(args.files, args.lang)
    if case is None:
        return 1
    settings = _settings(case, overrides, args.lang)
    if settings is None:
        return 2
    plan = solve(case, settings, progress=_ProgressLines(args.lang))
    if plan.status == "infeasible":
        print("无可行方案：硬规则互相矛盾。" if args.lang == "zh" else "infeasible: the hard rules contradict each other.")
        print("\n".join(explain_infeasible(case, settings).lines(args.lang)))
        return 1
    report = audit(case, settings, plan)
    print("\n".join(_plan_lines(case, settings, plan, report, args.lang)))
    if report.hard:  # the solver's plan passes its own rules; a line here is a bug to report
        for line in audit_lines(case, report, args.lang)[:args.limit]:
            print("  " + line)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_plan_workbook(case, settings, plan, args.out, lang=args.lang, report=report)
    written = [str(args.out)]
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        summary = plan_summary(case, settings, plan, report)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(str(args.json))
    print(("已写出 " if args.lang == "zh" else "written: ") + ("、" if args.lang == "zh" else ", ").join(written))
    return 0 if report.ok else 1


def _audit(args: argparse.Namespace) -> int:
    overrides = _overrides(args)
    if overrides is None:
        return 2
    case = _load([args.workbook], args.lang)
    if case is None:
        return 1
    plan, problems = read_plan(case, args.plan)
    if problems.problems:
        print(problems.text(args.lang, limit=args.limit))
    recorded = plan.stats.get("settings") or {}
    if recorded:
        print("按方案工作簿“规则设置”表中的设置审核" if args.lang == "zh"
              else "auditing with the settings listed in the plan workbook")
    settings = _settings(case, {**recorded, **overrides}, args.lang)
    if settings is None:
        return 2
    report = audit(case, settings, plan)
    lines = audit_lines(case, report, args.lang)
    print("\n".join(lines[:args.limit]))
    if len(lines) > args.limit:
        print(f"……另有 {len(lines) - args.limit} 条" if args.lang == "zh" else f"... and {len(lines) - args.limit} more")
    print("\n".join(headline(case, settings, plan).lines(args.lang)))
    print(("审核：" if args.lang == "zh" else "audit: ") + report.summary(args.lang))
    return 0 if report.ok and problems.ok else 1


def _explain(args: argparse.Namespace) -> int:
    overrides = _overrides(args)
    if overrides is None:
        return 2
    case = _load([args.workbook], args.lang)
    if case is None:
        return 1
    settings = _settings(case, overrides, args.lang)
    if settings is None:
        return 2
    return run_explain(args, case, settings)


def _add_lang(command: argparse.ArgumentParser) -> None:
    # SUPPRESS: given after the command it wins, left out it keeps the one given before the command.
    command.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                         help="language of messages and sheets (default zh)")


def _add_set(command: argparse.ArgumentParser) -> None:
    command.add_argument("--set", action="append", metavar="KEY=VALUE",
                         help="override a setting (Chinese or English key), or rule:<id>=hard/soft/off; repeatable")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m scheduler", description="教师交流轮岗规划 · teacher-exchange planner")
    main.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default zh)")
    commands = main.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate a workbook or per-sheet CSV files")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--limit", type=int, default=200, help="most problems printed (default 200)")
    check.set_defaults(run=_check)

    generate = commands.add_parser("generate", help="expand a seed scenario (TOML) into a workbook")
    generate.add_argument("seed", type=Path)
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--scale", type=int, default=1, help="replicate the counties N times")
    generate.set_defaults(run=_generate)

    template = commands.add_parser("template", help="write the blank template workbook")
    template.add_argument("--out", type=Path, required=True)
    template.set_defaults(run=_template)

    solve_command = commands.add_parser("solve", help="plan the exchange and write the assignment workbook")
    solve_command.add_argument("files", nargs="+", type=Path, metavar="WORKBOOK",
                               help="the planning workbook (or its per-sheet CSV files)")
    solve_command.add_argument("--out", type=Path, required=True, help="the assignment workbook to write (.xlsx)")
    solve_command.add_argument("--json", type=Path, help="also write the JSON summary here")
    solve_command.add_argument("--time-limit", type=float, metavar="S", help="time limit in seconds")
    _add_set(solve_command)
    solve_command.add_argument("--limit", type=int, default=50, help="most violation lines printed (default 50)")
    _add_lang(solve_command)
    solve_command.set_defaults(run=_solve)

    audit_command = commands.add_parser("audit", help="check a (hand-edited) plan; exit 1 on a broken hard rule")
    audit_command.add_argument("workbook", type=Path, help="the planning workbook")
    audit_command.add_argument("plan", type=Path, help="the plan workbook (its 派出安排 / placements sheet)")
    _add_set(audit_command)
    audit_command.add_argument("--limit", type=int, default=200, help="most lines printed (default 200)")
    _add_lang(audit_command)
    audit_command.set_defaults(run=_audit)

    explain_command = commands.add_parser("explain", help="diagnosis, score breakdown, why and why-not")
    explain_command.add_argument("workbook", type=Path, help="the planning workbook")
    explain_command.add_argument("--plan", type=Path, help="explain this plan workbook instead of solving")
    explain_command.add_argument("--teacher", help="a teacher id: why placed, or why not")
    explain_command.add_argument("--school", help="a school id: its story, or with --teacher why not there")
    explain_command.add_argument("--time-limit", type=float, metavar="S", help="time limit in seconds")
    _add_set(explain_command)
    _add_lang(explain_command)
    explain_command.set_defaults(run=_explain)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
