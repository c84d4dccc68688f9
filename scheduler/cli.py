"""Command line: `python -m scheduler <command>`. Messages are Chinese unless --lang en."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
