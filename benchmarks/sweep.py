"""The sweep's speed-up: the same grid of scenarios serial, on 2 local processes and on a local Ray.

    python -m benchmarks.sweep [--case lueyang_county:2] [--grid KEY=V1,V2 ...] [--time-limit S]

The case is generated from its seed (deterministic) and written to a workbook once; each runner
then does what `python -m scheduler sweep` does, end to end (read the workbook, solve every
scenario, write its plan and summary, write the table), and its wall seconds are set next to
serial's. Ray's wall includes starting the local Ray, also timed alone. The plans of every runner
are compared with serial's: a speed-up that changes a plan is no speed-up.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from scheduler.cli import main as scheduler_main

from .cases import CaseSpec, prepare

DEFAULT_GRID = ["quota_rate=0.10,0.12,0.15", "pairing_mode=strict,prefer"]
#: (runner, the sweep's options for it)
RUNNERS = (("serial", ["--processes", "1"]), ("2 processes", ["--processes", "2"]),
           ("Ray local, 2 CPUs", ["--ray", "local", "--processes", "2"]))


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m benchmarks.sweep", description=__doc__.splitlines()[0])
    main.add_argument("--case", default="lueyang_county:2", metavar="SEED[:SCALE]",
                      help="the case (default lueyang_county:2, 3,017 teachers)")
    main.add_argument("--grid", action="append", metavar="KEY=V1,V2",
                      help=f"the grid (default {' '.join('--grid ' + g for g in DEFAULT_GRID)})")
    main.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="each scenario's limit (default 60)")
    return main


def _plans(folder: Path) -> dict[str, list]:
    return {p.name: json.loads(p.read_text(encoding="utf-8"))["placements"] for p in sorted(folder.glob("*.json"))}


def _ray_start_seconds() -> float | None:
    try:
        import ray
    except ImportError:
        return None
    started = time.perf_counter()
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    seconds = time.perf_counter() - started
    ray.shutdown()
    return seconds


def run(args: argparse.Namespace) -> list[dict]:
    grid = args.grid or DEFAULT_GRID
    spec = CaseSpec.parse(args.case)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as folder:
        workbook = prepare(spec, folder)["workbook"]
        serial_plans = None
        for name, options in RUNNERS:
            out = Path(folder) / name.split()[0]
            argv = ["sweep", workbook, *(f"--grid={g}" for g in grid), "--out", str(out),
                    "--time-limit", str(args.time_limit), *options]
            printed = io.StringIO()
            started = time.perf_counter()
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                code = scheduler_main(argv)
            wall = time.perf_counter() - started
            plans = _plans(out)
            serial_plans = serial_plans if serial_plans is not None else plans
            differ = sorted(n for n in serial_plans.keys() | plans.keys() if plans.get(n) != serial_plans.get(n))
            rows.append({"runner": name, "exit": code, "wall_s": wall, "scenarios": len(plans),
                         "same_plans": not differ, "differ": differ, "load": os.getloadavg()[0]})
            print(f"{name}: {wall:.1f} s (exit {code})", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    rows = run(args)
    start = _ray_start_seconds()
    serial = rows[0]["wall_s"]
    print(f"case {args.case}, grid {' × '.join(args.grid or DEFAULT_GRID)}, {rows[0]['scenarios']} scenarios, "
          f"{os.cpu_count()} cores")
    print("| runner | wall s | speed-up vs serial | plans as serial | load at end |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['runner']} | {row['wall_s']:.1f} | {serial / row['wall_s']:.2f}× | "
              f"{'yes' if row['same_plans'] else 'NO'} | {row['load']:.1f} |")
    for row in rows:
        if row["differ"]:
            print(f"{row['runner']}: plans not as serial's: {', '.join(row['differ'])}")
    if start is not None:
        print(f"starting a local Ray alone: {start:.1f} s")
    return 0 if all(row["exit"] == 0 and row["same_plans"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
