"""`python -m scheduler sweep WORKBOOK --grid key=v1,v2 [--grid ...] --out DIR`: the workbook solved
once per combination of the grid's settings (the cartesian product), one plan workbook and JSON
summary per scenario in DIR, named for it, and one comparison table (方案比较.xlsx, printed too).

Grid keys and values are the ones `solve --set` takes, checked by the same code, all before anything
runs; `--set` and `--rules` apply to every scenario, under the grid. Scenarios run on a local process
pool (`--processes N`, default one per core; 1 runs them here, one after the other) or on a Ray
cluster (`--ray ADDRESS`, `--ray local`). A scenario that fails is said in its row; the others go on.
Ctrl-C stops the sweep: the plans already written stay, the table marks the rest 已中断 (exit 130).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from ..export.safe_paths import output_problem
from ..rules import Text
from ..sweep import (GridError, Job, Outcome, RayUnavailable, run_jobs, scenarios, sweep_table, table_lines,
                     write_sweep_table)
from ..sweep.outcome import CLASH, failed
from ..workbook.setting_checks import SettingsClash, settings_of
from . import commands
from .commands import _inputs_ok, _load, _overrides, _rules, _say, _written

#: the comparison table's file name in DIR, by language
TABLE_NAME = {"zh": "方案比较.xlsx", "en": "comparison.xlsx"}


def _paths(out: Path, stem: str) -> tuple[Path, Path]:
    return out / f"{stem}.xlsx", out / f"{stem}.json"


def _outputs_ok(args: argparse.Namespace, stems: list[str]) -> bool:
    """Every file the sweep will write may be written (never over the workbook, nothing else replaced
    without --force); every refusal is named, before anything is solved."""
    if args.out.exists() and not args.out.is_dir():
        _say(Text(f"--out “{args.out}”是一个文件；请给出一个文件夹", f"--out {args.out} is a file; give a folder"), args.lang)
        return False
    planned = [(path, kind) for stem in stems for path, kind in zip(_paths(args.out, stem), ("plan", "summary"))]
    planned.append((args.out / TABLE_NAME[args.lang], "comparison"))
    problems = [problem for path, kind in planned
                if (problem := output_problem(path, kind, [args.workbook], force=args.force)) is not None]
    for problem in problems[:20]:
        _say(problem, args.lang)
    if len(problems) > 20:
        _say(Text(f"……另有 {len(problems) - 20} 个文件同样不能写出", f"... and {len(problems) - 20} more files likewise"),
             args.lang)
    return not problems


def _row_line(done: int, total: int, label: str, outcome: Outcome, lang: str) -> str:
    zh = lang == "zh"
    head = f"[{done}/{total}] {label}"
    if outcome.error is not None:
        return f"{head}：{outcome.error.zh}" if zh else f"{head}: {outcome.error.en}"
    placed = outcome.headline.get("placements", 0)
    proven = ("已证明最优" if outcome.proven else "未证明最优") if zh else ("proven" if outcome.proven else "not proven")
    seconds = outcome.solve_seconds or 0.0
    return f"{head}：{proven}，派出 {placed} 人，{seconds:.1f} 秒" if zh else \
        f"{head}: {proven}, {placed} placed, {seconds:.1f} s"


def _sweep(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        grid = scenarios(args.grid or [])
    except GridError as error:
        _say(Text("无效的 --grid，未求解任何方案：", "invalid --grid, nothing was solved:"), lang)
        for problem in error.problems:
            print("  - " + problem.get(lang), file=sys.stderr)
        return 2
    rules = _rules(args)
    overrides = None if rules is None else _overrides(args, rules[0])
    if overrides is None:
        return 2
    if args.processes is not None and args.processes < 1:
        _say(Text("--processes 应为正整数", "--processes must be a positive whole number"), lang)
        return 2
    if not _inputs_ok([args.workbook], lang, ("规划工作簿", "planning workbook")):
        return 2
    if not _outputs_ok(args, [s.stem for s in grid]):
        return 2
    loaded = _load([args.workbook], lang, rules[1])
    if loaded is None:
        return 1
    case = loaded.case

    outcomes: dict[int, Outcome] = {}
    jobs: list[Job] = []
    for scenario in grid:
        try:  # each value was checked alone; a combination (a horizon end before its start) may clash
            settings = settings_of(overrides + list(scenario.entries), loaded.settings)
        except SettingsClash as clash:
            outcomes[scenario.index] = failed(scenario.index, CLASH, clash.text)
            continue
        jobs.append(Job(scenario.index, scenario.stem, settings, lang))
    files: dict[int, str] = {}
    interrupted = False
    try:
        results = run_jobs(case, jobs, args.processes, args.ray) if jobs else iter(())
    except RayUnavailable as error:
        _say(error.text, lang)
        return 2
    print(f"{len(grid)} 个方案，{len(jobs)} 个待求解" if lang == "zh" else f"{len(grid)} scenarios, {len(jobs)} to solve")
    with contextlib.closing(results):
        try:
            for outcome in results:
                scenario = grid[outcome.index]
                outcome = _write(args.out, scenario.stem, outcome, files, lang)
                outcomes[outcome.index] = outcome
                print(_row_line(len(outcomes), len(grid), scenario.label, outcome, lang), flush=True)
        except KeyboardInterrupt:
            interrupted = True  # the iterator is closed on the way out: the workers stop
    table = sweep_table(grid, outcomes, files, lang)
    path = args.out / TABLE_NAME[lang]
    if not _written(path, lambda target: write_sweep_table(table, target, lang), lang):
        return 2
    print("\n".join(table_lines(table, lang)))
    print(f"已写出 {args.out}（{len(files)} 个方案，比较表 {path.name}）" if lang == "zh"
          else f"written: {args.out} ({len(files)} plans, table {path.name})")
    if interrupted:
        _say(Text("已中断：已完成的方案已写出，其余在比较表中记为“已中断”",
                  "interrupted: the plans finished are written, the others are marked interrupted in the table"), lang)
        return 130
    return 0 if len(outcomes) == len(grid) and all(o.ok for o in outcomes.values()) else 1


def _write(out: Path, stem: str, outcome: Outcome, files: dict[int, str], lang: str) -> Outcome:
    """The scenario's plan and summary into `out`; a refusal of the system becomes the row's note."""
    if not outcome.workbook:
        return outcome
    plan, summary = _paths(out, stem)
    if not (_written(plan, lambda target: target.write_bytes(outcome.workbook), lang)
            and _written(summary, lambda target: target.write_bytes(outcome.summary), lang)):
        return Outcome(outcome.index, outcome.status, Text(f"无法写出“{plan}”", f"cannot write {plan}"), outcome.levels,
                       outcome.headline, outcome.solve_seconds, outcome.audit_ok)
    files[outcome.index] = plan.name
    return outcome


def add_sweep(commands_parser: argparse._SubParsersAction) -> None:
    sweep = commands_parser.add_parser(
        "sweep", help="solve one workbook under every combination of a grid of settings, and compare the plans")
    sweep.add_argument("workbook", type=Path, help="the planning workbook (only read)")
    sweep.add_argument("--grid", action="append", metavar="KEY=V1,V2",
                       help="a setting and the values to try (as --set takes them); repeatable, the scenarios are "
                            "every combination")
    sweep.add_argument("--out", type=Path, required=True,
                       help="the folder for one plan workbook and JSON summary per scenario and the comparison table")
    sweep.add_argument("--ray", metavar="ADDRESS",
                       help="run on the Ray cluster at ADDRESS (HEAD:6379 or ray://HEAD:10001); local: start Ray here")
    sweep.add_argument("--processes", type=int, metavar="N",
                       help="local processes (default: one per core; 1: one scenario after the other in this process); "
                            "with --ray local, the CPUs Ray may use")
    sweep.add_argument("--time-limit", type=float, metavar="S", help="time limit of each scenario's solve, in seconds")
    commands._add_force(sweep)
    commands._add_set(sweep)
    commands._add_lang(sweep)
    sweep.set_defaults(run=_sweep)


commands.MORE_COMMANDS.append(add_sweep)
