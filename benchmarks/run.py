"""Benchmark the planner at county, city and province scale, next to greedy, HiGHS and the LP bound.

    python -m benchmarks.run [--scale county|city|province|all] [--time-limit S] [--repeat N] [--out DIR]

Each case is generated from a seed scenario (deterministic) and written to a workbook once;
every run then reads that workbook in a fresh process (so peak RSS is the run's own), solves,
writes the assignment sheets, and, on the first run, solves the same model with the baselines.
Writes <out>/bench-<time>.md and .json, copies them to <out>/latest.md and .json, and prints
the Markdown. Needs the `bench` extra (highspy): `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shlex
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scheduler.config.overrides import OverrideError, parse_overrides

from .cases import SCALES, CaseSpec, prepare
from .measure import measure
from .report import markdown

RESULTS = Path(__file__).resolve().parent / "results"


def _in_fresh_process(function, *args):
    """Run `function(*args)` in a new interpreter and return its result."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1) as pool:
        return pool.submit(function, *args).result()


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    main.add_argument("--scale", choices=(*SCALES, "all"), action="append",
                      help="scale to run (repeatable; default county; all = county, city and province)")
    main.add_argument("--case", action="append", default=[], metavar="SEED[:SCALE]",
                      help="an extra case, e.g. lueyang_county:1 (repeatable)")
    main.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="solver time limit (default 60)")
    main.add_argument("--repeat", type=int, default=1, metavar="N", help="runs per case; times are medians")
    main.add_argument("--baselines", choices=("first", "all", "none"), default="first",
                      help="run greedy/HiGHS/LP on the first run only (default), every run, or never")
    main.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                      help="override a setting for every case, as `python -m scheduler solve --set` (e.g. workers=2)")
    main.add_argument("--out", type=Path, default=RESULTS, help=f"results folder (default {RESULTS})")
    return main


def cases_of(args: argparse.Namespace) -> list[tuple[str, CaseSpec]]:
    scales = args.scale or ([] if args.case else ["county"])
    if "all" in scales:
        scales = list(SCALES)
    chosen = [(scale, spec) for scale in dict.fromkeys(scales) for spec in SCALES[scale]]
    return chosen + [("custom", CaseSpec.parse(text)) for text in args.case]


def run(args: argparse.Namespace) -> list[dict]:
    overrides = parse_overrides(args.set)
    entries = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        for group, spec in cases_of(args):
            _say(f"[{spec.label}] generating and writing the workbook")
            prepared = _in_fresh_process(prepare, spec, folder)
            _say(f"[{spec.label}] {prepared['teachers']:,} teachers, written in {prepared['write_s']:.1f} s")
            entry = {"label": spec.label, "group": group, "seed": spec.seed, "scale": spec.scale,
                     "prepare": prepared, "runs": []}
            for index in range(args.repeat):
                with_baselines = args.baselines == "all" or (args.baselines == "first" and index == 0)
                _say(f"[{spec.label}] run {index + 1}/{args.repeat}" + (" with baselines" if with_baselines else ""))
                row = _in_fresh_process(measure, prepared["workbook"], args.time_limit, overrides, with_baselines)
                times = row["times"]
                _say(f"[{spec.label}]   {row['status']}, file → sheets {times['end_to_end']:.1f} s, "
                     f"first plan {times['first_plan'] or float('nan'):.1f} s, peak RSS {row['peak_rss_mb']:.0f} MiB")
                entry["runs"].append(row)
            Path(prepared["workbook"]).unlink()
            entries.append(entry)
    return entries


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.repeat < 1 or args.time_limit <= 0:
        parser().error("--repeat must be ≥ 1 and --time-limit > 0")
    try:
        cases_of(args)
        parse_overrides(args.set)
    except (ValueError, OverrideError) as error:
        parser().error(str(error))
    started = time.strftime("%Y-%m-%d %H:%M")
    entries = run(args)
    meta = {
        "when": started,
        "command": "python -m benchmarks.run " + shlex.join(sys.argv[1:] if argv is None else argv),
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "time_limit": args.time_limit, "repeat": args.repeat,
        "notes": ["load = 1-minute load average when a run started: above the core count, other work shared "
                  "the machine and times are inflated"],
    }
    text = markdown(entries, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}"
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps({"meta": meta, "cases": entries}, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    for suffix in (".md", ".json"):
        shutil.copyfile(stem.with_suffix(suffix), (args.out / "latest").with_suffix(suffix))
    print(text)
    _say(f"written: {stem}.md, {stem}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
