"""Command line: `python -m scheduler <command>`. Messages are Chinese unless --lang en."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import difflib
import json
import math
import os
import sys
import tempfile
import time
import tomllib
import traceback
from pathlib import Path
from typing import Callable, Iterator

from pydantic import ValidationError

from ..audit import AuditReport, audit
from .explain import run_explain
from ..explain import explain_infeasible
from ..domain.models import Case
from ..domain.settings import Settings, settings_from
from ..export import headline, plan_summary, read_plan, unplaced_ahead, write_plan_workbook
from ..export.audit_text import audit_lines
from ..export.plan_reader import recorded_differences
from ..export.progress_words import distance_words, progress_line, status_sentence, step_name
from ..export.safe_paths import (GENERATED_PROPERTY, input_problem, os_error_words, output_problem,
                                 write_atomically)
from ..export.terminal_text import EscapingStream
from ..rules import Text
from ..model import Progress, solve
from ..config.overrides import OverrideError, override_entries
from ..config.rules_file import Columns, load_rules
from ..plan import Plan
from ..samples import generate_case, registry_layout
from ..workbook.schema import SHEET_BY_KEY
from ..workbook.setting_checks import Entry, SettingsClash, check_entry, settings_of
from ..workbook import Loaded, read_files, write_case, write_template


def _say(text: Text, lang: str) -> None:
    print(text.get(lang), file=sys.stderr)


def _inputs_ok(paths: list[Path], lang: str, what: tuple[str, str] = ("文件", "file")) -> bool:
    """Every input is a readable file; otherwise each one that is not is named."""
    problems = [problem for problem in (input_problem(path, what) for path in paths) if problem is not None]
    for problem in problems:
        _say(problem, lang)
    return not problems


def _output_ok(args: argparse.Namespace, path: Path, kind: str, inputs: list[Path],
               others: list[tuple[str, Path]] = (), option: str = "--out") -> bool:
    problem = output_problem(path, kind, inputs, others, force=getattr(args, "force", False), option=option)
    if problem is not None:
        _say(problem, args.lang)
    return problem is None


def _written(path: Path, write: Callable[[Path], None], lang: str) -> bool:
    """Write `path` in one step; False (after saying why) when the system refuses."""
    try:
        write_atomically(path, write)
    except OSError as error:  # a full disk, a file opened in Excel on Windows, a lost network drive
        _say(Text(f"无法写出“{path}”：{os_error_words(error, 'zh')}", f"cannot write {path}: {os_error_words(error, 'en')}"),
             lang)
        return False
    return True


def _check(args: argparse.Namespace) -> int:
    rules = _rules(args)
    if rules is None:
        return 2
    if not _inputs_ok(args.files, args.lang):
        return 2
    loaded = _read(args.files, rules[1])
    print(loaded.report.text(args.lang, limit=args.limit))
    _print_unmatched(loaded, args.lang)
    if loaded.case is not None:
        case = loaded.case
        counts = (len(case.teachers), len(case.schools), len(case.links), len(case.demands), len(case.pins))
        print(("教师 {} 名，学校 {} 所，结对 {} 条，需求 {} 行，锁定 {} 条" if args.lang == "zh"
               else "{} teachers, {} schools, {} links, {} need rows, {} pins").format(*counts))
    return 0 if loaded.report.ok else 1


def _solve_as_written(case: Case) -> Plan:
    """A seed that is a later year (`[previous]`) starts from the earlier year's plan, solved with its own 设置."""
    return solve(case, settings_from(case.settings))


def _generate(args: argparse.Namespace) -> int:
    if not _inputs_ok([args.seed], args.lang, ("种子文件", "seed file")):
        return 2
    if not _output_ok(args, args.out, "generated", [args.seed]):
        return 2
    if args.scale < 1:
        _say(Text("--scale 应为正整数", "--scale must be a positive whole number"), args.lang)
        return 2
    try:
        case = generate_case(args.seed, scale=args.scale, solve_previous=_solve_as_written)
    except (tomllib.TOMLDecodeError, ValidationError, ValueError, OSError, UnicodeDecodeError) as error:
        _say(Text(f"种子文件“{args.seed}”无效：{error}", f"the seed file {args.seed} is invalid: {error}"), args.lang)
        return 2
    # A seed may ask for the roster as the registry exports it (花名册): the sample is written that way.
    registry = registry_layout(args.seed)
    if not _written(args.out, lambda path: write_case(case, path, lang=args.lang, registry=registry,
                                                      properties={GENERATED_PROPERTY: args.seed.name}), args.lang):
        return 2
    counts = (len(case.teachers), len(case.schools), len(case.links), len(case.demands), len(case.pins))
    print(f"{args.out}: " + ("教师 {} 名，学校 {} 所，结对 {} 条，需求 {} 行，锁定 {} 条" if args.lang == "zh"
                             else "{} teachers, {} schools, {} links, {} need rows, {} pins").format(*counts))
    return 0


def _template(args: argparse.Namespace) -> int:
    if not _output_ok(args, args.out, "template", []):
        return 2
    if not _written(args.out, lambda path: write_template(path, layout=args.layout), args.lang):
        return 2
    print(args.out)
    return 0


def _rules(args: argparse.Namespace) -> tuple[list[Entry], Columns] | None:
    """The --rules file's settings and column mapping, checked; ([], {}) without one, None (after
    saying why) when the file is missing or has any problem: half a county's rules are worse than none."""
    path = getattr(args, "rules", None)
    if path is None:
        return [], {}
    if not _inputs_ok([path], args.lang, ("规则文件", "rules file")):
        return None
    try:
        found = load_rules(path.read_bytes())
    except OSError as error:
        _say(Text(f"无法读取规则文件“{path}”：{os_error_words(error, 'zh')}",
                  f"cannot read the rules file {path}: {os_error_words(error, 'en')}"), args.lang)
        return None
    if found.problems:
        _say(Text(f"规则文件“{path}”未采用，请修正：", f"the rules file {path} was not used; fix these:"), args.lang)
        for problem in found.problems:
            print("  - " + problem.get(args.lang), file=sys.stderr)
        return None
    return found.entries, found.columns


def _read(files: list[Path], columns: Columns) -> Loaded:
    """The files read, their headers mapped by the rules file's columns first (the file is only read)."""
    return read_files([(path.name, path.read_bytes()) for path in files], columns=columns or None)


def _print_unmatched(loaded: Loaded, lang: str) -> None:
    """For each sheet whose required columns were not found: the fields, the closest header, and
    how a rules file maps them, so the next read finds them."""
    unmatched = getattr(loaded, "unmatched", None) or {}
    if not unmatched:
        return
    zh = lang == "zh"
    print("以下字段未找到对应的列；可在规则文件的“columns”部分写明对应的表头，再用 --rules 读取：" if zh
          else "these fields have no column; name their headers in a rules file's \"columns\" and read with --rules:")
    mapping: dict[str, dict[str, str]] = {}
    for key, sheet in unmatched.items():
        schema = SHEET_BY_KEY[key]
        for field_key in sheet.missing:
            column = schema.known_column(field_key) or schema.column(field_key)
            suggested = sheet.suggestions.get(field_key)
            mapping.setdefault(key, {})[field_key] = suggested or ""
            closest = (f"，最接近的表头“{suggested}”" if zh else f", closest header {suggested!r}") if suggested else ""
            print(f"  - “{schema.zh}”表“{column.zh}”（{field_key}）{closest}" if zh
                  else f"  - {key}.{field_key} ({column.zh}){closest}")
    print('  "columns": ' + json.dumps(mapping, ensure_ascii=False))


def _overrides(args: argparse.Namespace, rules: list[Entry] = ()) -> list[Entry] | None:
    """The rules file's settings, then the --set and --time-limit overrides on top, checked and
    parsed; None (after saying why) when one is invalid."""
    try:
        overrides = list(rules) + override_entries(args.set or [])
    except OverrideError as error:
        print(("无效的 --set：" if args.lang == "zh" else "invalid --set: ") + error.text.get(args.lang),
              file=sys.stderr)
        return None
    if getattr(args, "time_limit", None) is not None:
        if not (args.time_limit > 0 and math.isfinite(args.time_limit)):
            print("--time-limit 应为正数（秒）" if args.lang == "zh" else "--time-limit must be a positive number of seconds",
                  file=sys.stderr)
            return None
        entry = check_entry("time_limit_s", str(args.time_limit))
        if entry.code is not None:  # beyond the setting's own bound (a day)
            print("--time-limit: " + entry.text.get(args.lang), file=sys.stderr)
            return None
        overrides.append(entry)
    return overrides


def _load(files: list[Path], lang: str, columns: Columns) -> Loaded | None:
    """What was read, or None after printing the workbook's problems; warnings are printed either way."""
    loaded = _read(files, columns)
    if loaded.report.problems:
        print(loaded.report.text(lang, limit=50))
    _print_unmatched(loaded, lang)
    return loaded if loaded.case is not None else None


def _settings(loaded: Loaded, overrides: list[Entry], lang: str) -> Settings | None:
    """The workbook's settings with --set on top; None (after saying why) when they clash together."""
    # Each value was checked alone; the workbook's and the command line's may still clash together.
    try:
        return settings_of(overrides, loaded.settings)
    except SettingsClash as clash:
        print(("设置无效：" if lang == "zh" else "invalid settings: ") + clash.text.get(lang), file=sys.stderr)
        return None


def _case_and_settings(files: list[Path], lang: str, columns: Columns,
                       overrides: list[Entry]) -> tuple[Case, Settings] | int:
    """The case read from `files` and its settings with `overrides` on top, or the exit status
    (after saying why): 1 when the files have errors, 2 when the settings clash. Only the two are
    kept: the sheets as read (`Loaded.frames`, hundreds of MiB at province scale) go before the solve."""
    loaded = _load(files, lang, columns)
    if loaded is None:
        return 1
    settings = _settings(loaded, overrides, lang)
    return 2 if settings is None else (loaded.case, settings)


class _ProgressLines:
    """A line when a step starts, at its first plan, then at most one a second while it improves, and
    the step's last word before the next step starts (a step proven within the second after its last
    line printed otherwise still read "至多差 35%")."""

    def __init__(self, lang: str):
        self.lang = lang
        self.last = 0.0
        self.first = True
        self.unsaid: Progress | None = None

    def __call__(self, event: Progress) -> None:
        now = time.perf_counter()
        if event.message == "start":
            if self.unsaid is not None:
                print(progress_line(self.unsaid, self.lang), flush=True)
            self.first = True
        elif self.first or now - self.last >= 1.0:
            self.first = False
        else:
            self.unsaid = event
            return
        self.unsaid = None
        print(progress_line(event, self.lang), flush=True)
        self.last = now


def _plan_lines(case: Case, settings: Settings, plan: Plan, report: AuditReport, lang: str) -> list[str]:
    """How good the plan is, step by step in planners' words, the headline figures and the audit's count."""
    zh = lang == "zh"
    first = status_sentence(plan, lang)
    if "total" in plan.times:
        first += f"（用时 {plan.times['total']:.1f} 秒）" if zh else f" ({plan.times['total']:.1f} s)"
    lines = [first]
    for number, level in enumerate(plan.levels, start=1):
        step = step_name(level.key, lang, level.zh if zh else level.en)
        lines.append(f"  第{number}步 {step}：{distance_words(level.gap, lang)}" if zh
                     else f"  step {number}, {step}: {distance_words(level.gap, lang)}")
    ctx = report.context_for(case, settings)
    quota, need = report.quota_and_need(ctx, plan)
    lines += headline(case, settings, plan, ctx, quota=quota, need=need).lines(lang)
    lines.append(("审核：" if zh else "audit: ") + report.summary(lang))
    return lines


def _solve(args: argparse.Namespace) -> int:
    rules = _rules(args)
    overrides = None if rules is None else _overrides(args, rules[0])
    if overrides is None:
        return 2
    if not _inputs_ok(args.files, args.lang):
        return 2
    # Both outputs are checked before the solve, so a refusal never throws a long solve away.
    if not _output_ok(args, args.out, "plan", args.files, [("--json", args.json)] if args.json else []):
        return 2
    if args.json is not None and not _output_ok(args, args.json, "summary", args.files, option="--json"):
        return 2
    read = _case_and_settings(args.files, args.lang, rules[1], overrides)
    if isinstance(read, int):
        return read
    case, settings = read
    plan = solve(case, settings, progress=_ProgressLines(args.lang))
    if plan.status == "infeasible":
        print("无可行方案：硬规则互相矛盾。" if args.lang == "zh" else "infeasible: the hard rules contradict each other.")
        print("\n".join(explain_infeasible(case, settings).lines(args.lang)))
        return 1
    # The biggest sheet is begun on the other core while this process audits and writes the rest.
    unplaced = unplaced_ahead(case, settings, plan, args.lang)
    try:
        report = audit(case, settings, plan)
        print("\n".join(_plan_lines(case, settings, plan, report, args.lang)))
        if report.hard:  # the solver's plan passes its own rules; a line here is a bug to report
            for line in audit_lines(case, report, args.lang)[:args.limit]:
                print("  " + line)
        # The summary too is made while the child works; it is written after the workbook, as before.
        summary = (None if args.json is None
                   else json.dumps(plan_summary(case, settings, plan, report), ensure_ascii=False, indent=1))
        if not _written(args.out, lambda path: write_plan_workbook(case, settings, plan, path, lang=args.lang,
                                                                   report=report, unplaced=unplaced), args.lang):
            return 2
    finally:
        if unplaced is not None:
            unplaced.cancel()
    written = [str(args.out)]
    if summary is not None:
        if not _written(args.json, lambda path: path.write_text(summary, encoding="utf-8"), args.lang):
            return 2
        written.append(str(args.json))
    print(("已写出 " if args.lang == "zh" else "written: ") + ("、" if args.lang == "zh" else ", ").join(written))
    return 0 if report.ok else 1


def _audit(args: argparse.Namespace) -> int:
    rules = _rules(args)
    overrides = None if rules is None else _overrides(args, rules[0])
    if overrides is None:
        return 2
    if not _inputs_ok([args.workbook], args.lang) or not _inputs_ok([args.plan], args.lang, ("方案工作簿", "plan workbook")):
        return 2
    # The planning workbook's rules (and --set) judge the plan; the plan's own 规则设置 sheet is
    # only compared, or a hand-edited plan could switch a rule off for its own audit.
    read = _case_and_settings([args.workbook], args.lang, rules[1], overrides)
    if isinstance(read, int):
        return read
    case, settings = read
    plan, problems = read_plan(case, args.plan, settings)
    if problems.problems:
        print(problems.text(args.lang, limit=args.limit))
    _print_differences(plan, settings, args.lang)
    report = audit(case, settings, plan)
    lines = audit_lines(case, report, args.lang)
    print("\n".join(lines[:args.limit]))
    if len(lines) > args.limit:
        print(f"……另有 {len(lines) - args.limit} 条" if args.lang == "zh" else f"... and {len(lines) - args.limit} more")
    print("\n".join(headline(case, settings, plan, report.context_for(case, settings)).lines(args.lang)))
    print(("审核：" if args.lang == "zh" else "audit: ") + report.summary(args.lang))
    return 0 if report.ok and problems.ok else 1


def _print_differences(plan: Plan, settings: Settings, lang: str) -> None:
    differences = recorded_differences(plan.stats.get("settings") or {}, settings)
    if not differences:
        return
    print("方案工作簿“规则设置”表记录的设置与规划工作簿不同，以下按规划工作簿（及 --set）审核：" if lang == "zh"
          else "the plan workbook's settings_used sheet differs from the planning workbook; the audit uses the "
               "planning workbook (and --set):")
    for difference in differences:
        print("  - " + difference.line(lang))


def _unknown_id(kind: str, given: str, choices: dict[str, str], lang: str) -> Text:
    """`given` is no teacher (school) id: say so and offer the ids and names closest to it."""
    folded = given.casefold()
    close = [id_ for id_, name in choices.items() if folded in (id_.casefold(), name.casefold())]
    close += [id_ for id_, name in choices.items() if folded in id_.casefold() or folded in name.casefold()][:5]
    close += difflib.get_close_matches(given, list(choices), n=3, cutoff=0.6)
    by_name: dict[str, list[str]] = {}
    for id_, name in choices.items():
        by_name.setdefault(name, []).append(id_)
    for name in difflib.get_close_matches(given, list(by_name), n=3, cutoff=0.5):
        close += by_name[name]
    close = list(dict.fromkeys(close))
    offered = [f"{id_}（{choices[id_]}）" for id_ in close[:5]]
    offered_en = [f"{id_} ({choices[id_]})" for id_ in close[:5]]
    zh_kind, en_kind = ("教师编号", "teacher id") if kind == "teacher" else ("学校编号", "school id")
    where = ("名册", "the roster") if kind == "teacher" else ("学校表", "the schools sheet")
    zh = f"{zh_kind}“{given}”不在{where[0]}中" + (f"；是否指：{'、'.join(offered)}" if offered else "")
    en = f"{en_kind} {given!r} is not in {where[1]}" + (f"; did you mean {', '.join(offered_en)}?" if offered_en else "")
    return Text(zh, en)


def _explain(args: argparse.Namespace) -> int:
    rules = _rules(args)
    overrides = None if rules is None else _overrides(args, rules[0])
    if overrides is None:
        return 2
    if not _inputs_ok([args.workbook], args.lang):
        return 2
    if args.plan is not None and not _inputs_ok([args.plan], args.lang, ("方案工作簿", "plan workbook")):
        return 2
    loaded = _load([args.workbook], args.lang, rules[1])
    if loaded is None:
        return 1
    case = loaded.case
    # Before the solve: a typo in an id should not cost a minute of solving.
    if args.teacher is not None and not case.has_teacher(args.teacher):
        _say(_unknown_id("teacher", args.teacher, {t.teacher_id: t.name for t in case.teachers}, args.lang), args.lang)
        return 2
    if args.school is not None and not case.has_school(args.school):
        _say(_unknown_id("school", args.school, {s.school_id: s.name for s in case.schools}, args.lang), args.lang)
        return 2
    settings = _settings(loaded, overrides, args.lang)
    if settings is None:
        return 2
    return run_explain(args, case, settings)


def _add_lang(command: argparse.ArgumentParser) -> None:
    # SUPPRESS: given after the command it wins, left out it keeps the one given before the command.
    command.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                         help="language of messages and sheets (default zh)")


def _add_force(command: argparse.ArgumentParser) -> None:
    command.add_argument("--force", action="store_true",
                         help="overwrite an existing file that is not a previous output of this command")


def _add_set(command: argparse.ArgumentParser) -> None:
    command.add_argument("--set", action="append", metavar="KEY=VALUE",
                         help="override a setting (Chinese or English key), or rule:<id>=hard/soft/off; repeatable")
    _add_rules(command)


def _add_rules(command: argparse.ArgumentParser) -> None:
    command.add_argument("--rules", type=Path, metavar="FILE",
                         help="a rules file (the planner's 规划规则.json): its settings under --set, its column "
                              "mapping for reading")


#: commands kept in modules of their own (`workspace`), each adding itself here when imported
#: (scheduler.cli imports them), so this module needs no import of theirs
MORE_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m scheduler", description="教师交流轮岗规划 · teacher-exchange planner")
    main.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default zh)")
    commands = main.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate a workbook or per-sheet CSV files")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--limit", type=int, default=200, help="most problems printed (default 200)")
    _add_rules(check)
    check.set_defaults(run=_check)

    generate = commands.add_parser("generate", help="expand a seed scenario (TOML) into a workbook")
    generate.add_argument("seed", type=Path)
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--scale", type=int, default=1, help="replicate the counties N times")
    _add_force(generate)
    generate.set_defaults(run=_generate)

    template = commands.add_parser("template", help="write the blank template workbook")
    template.add_argument("--out", type=Path, required=True)
    template.add_argument("--layout", choices=("contract", "registry"), default="contract",
                          help="contract: the template's own headers; registry: a 花名册 as the registry exports it")
    _add_force(template)
    template.set_defaults(run=_template)

    solve_command = commands.add_parser("solve", help="plan the exchange and write the assignment workbook")
    solve_command.add_argument("files", nargs="+", type=Path, metavar="WORKBOOK",
                               help="the planning workbook (or its per-sheet CSV files)")
    solve_command.add_argument("--out", type=Path, required=True, help="the assignment workbook to write (.xlsx)")
    solve_command.add_argument("--json", type=Path, help="also write the JSON summary here")
    solve_command.add_argument("--time-limit", type=float, metavar="S", help="time limit in seconds")
    _add_force(solve_command)
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
    for add in MORE_COMMANDS:
        add(commands)
    return main


@contextlib.contextmanager
def _escaped_output() -> Iterator[None]:
    """Every line the command prints goes through the escaping of control characters (cell values
    can hold terminal escape sequences); restored afterwards, so a caller's capture still works."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(out), EscapingStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def main(argv: list[str] | None = None) -> int:
    """Run one command; an unexpected error propagates (tests see it), `entry` turns it into a message."""
    with _escaped_output():
        args = parser().parse_args(argv)
        return args.run(args)


def _log_folder() -> Path:
    return Path(os.environ.get("SCHEDULER_LOG_DIR") or Path(tempfile.gettempdir()) / "scheduler-logs")


def guarded(run: Callable[[], int], lang: str) -> int:
    """`run()`, with an unexpected error told in a few words and its traceback kept in a log file (exit 3).

    SCHEDULER_TRACEBACK=1 lets the error through, for a developer's debugger.
    """
    try:
        return run()
    except KeyboardInterrupt:
        print("已中断" if lang == "zh" else "interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `... | head` closed the pipe: the reader has all it wants, nothing went wrong. Point stdout
        # at devnull so the interpreter's final flush does not raise again (Python's advice).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:
        if os.environ.get("SCHEDULER_TRACEBACK") == "1":
            raise
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            folder = _log_folder()
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / f"error-{stamp}-{os.getpid()}.log"
            log.write_text(f"{' '.join(sys.argv)}\n\n{traceback.format_exc()}", encoding="utf-8")
            where = Text(f"详细信息已写入 {log}，请把它和所用的文件一起发给维护人员。",
                         f"the details are in {log}; please send it with the files you used to the maintainers.")
        except OSError:
            where = Text("（无法写出日志文件）", "(the log file could not be written)")
        summary = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300]
        with _escaped_output():
            print(Text(f"内部错误，命令未完成：{summary}", f"internal error, the command did not finish: {summary}"
                       ).get(lang), file=sys.stderr)
            print(where.get(lang), file=sys.stderr)
        return 3


def entry(argv: list[str] | None = None) -> int:
    """`python -m scheduler`: `main` guarded against tracebacks."""
    argv = sys.argv[1:] if argv is None else argv
    return guarded(lambda: main(argv), _lang_of(argv))


def _lang_of(argv: list[str]) -> str:
    """The --lang the arguments ask for (the last one wins, as in the parser), before parsing them."""
    lang = "zh"
    for position, word in enumerate(argv):
        if word == "--lang" and position + 1 < len(argv):
            lang = argv[position + 1]
        elif word.startswith("--lang="):
            lang = word.split("=", 1)[1]
    return "en" if lang == "en" else "zh"


if __name__ == "__main__":
    sys.exit(entry())
