"""How long `solve`'s path around the solver takes: reading, auditing and writing, step by step.

    python -m benchmarks.io_paths [--scale N] [--plan solve|greedy] [--time-limit S] [--steps ...]

Generates seeds/datong_city.toml at `--scale` (default 7, about 40,000 teachers; 70 is the
province, about 400,000), writes it to an .xlsx and makes a plan once (a `solve` with
`--time-limit`, or the greedy start plan), both kept in benchmarks/results/io_paths/ so later
runs skip them. Then, in this process, does what `python -m scheduler solve` does after the
solver: read and validate the workbook, audit the plan, the lines it prints (headline figures),
the JSON summary and the plan workbook (its 未派出教师 sheet begun in a child before the audit), and
prints each step's seconds (wall, and CPU of this process and of the reader's child together: on a
shared machine the CPU figure swings less; the sheet's child is not counted) with the peak and
current RSS after it. `--steps` runs only some (read always runs: the others need its case).
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import resource
import tempfile
import time
from pathlib import Path

from scheduler.audit import audit
from scheduler.export import headline, plan_summary, unplaced_ahead, write_plan_workbook
from scheduler.samples import generate_case
from scheduler.workbook import read_paths, write_case

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CACHE = Path(__file__).resolve().parent / "results" / "io_paths"
STEPS = ("read", "audit", "lines", "json", "write")


def _rss_mib() -> tuple[float, float]:
    """Peak and current resident memory of this process, MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    return peak, current


def _cpu_s() -> float:
    """CPU seconds used so far by this process and its finished children (the reader's)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _workbook(scale: int) -> Path:
    path = CACHE / f"datong_city_x{scale}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"generating {path.name} …", flush=True)
        write_case(generate_case(SEEDS / "datong_city.toml", scale=scale), path)
    return path


def _plan(scale: int, how: str, time_limit: float, workbook: Path):
    path = CACHE / f"datong_city_x{scale}.{how}.plan.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    loaded = read_paths([workbook])
    settings = loaded.settings.model_copy(update={"time_limit_s": time_limit})
    started = time.perf_counter()
    if how == "greedy":
        from scheduler.model.greedy import greedy_plan
        from scheduler.model.solve import build, placements_of
        from scheduler.plan import Plan
        _, model = build(loaded.case, settings)
        plan = Plan(placements_of(model, greedy_plan(model)), "greedy")
    else:
        from scheduler.model import solve
        plan = solve(loaded.case, settings)
    print(f"plan ({how}) made in {time.perf_counter() - started:.1f} s: {len(plan.placements):,} placements, "
          f"{plan.status}", flush=True)
    path.write_bytes(pickle.dumps(plan))
    return plan


def _lines(case, settings, plan, report) -> list[str]:
    """The headline figures `solve` prints: in the audit's context, from its quota and need rows."""
    if report is None:
        return headline(case, settings, plan).lines("zh")
    ctx = report.context_for(case, settings)
    quota, need = report.quota_and_need(ctx, plan)
    return headline(case, settings, plan, ctx, quota=quota, need=need).lines("zh")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.io_paths", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=7, help="replicate datong_city's counties N times (default 7)")
    parser.add_argument("--plan", choices=("solve", "greedy"), default="solve",
                        help="the plan audited and written: a solve's (default) or the greedy start plan")
    parser.add_argument("--time-limit", type=float, default=600, help="the solve's time limit, s (default 600)")
    parser.add_argument("--steps", nargs="*", choices=STEPS, default=list(STEPS))
    args = parser.parse_args(argv)

    workbook = _workbook(args.scale)
    plan = _plan(args.scale, args.plan, args.time_limit, workbook)
    gc.collect()
    peak, current = _rss_mib()
    print(f"case            datong_city × {args.scale}: {workbook.stat().st_size / 1e6:.1f} MB, "
          f"{len(plan.placements):,} placements ({plan.status}); RSS before {current:.0f} MiB")
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def step(name: str, run):
        started, used = time.perf_counter(), _cpu_s()
        result = run()
        times[name], cpu[name] = time.perf_counter() - started, _cpu_s() - used
        peak, current = _rss_mib()
        print(f"{name:<8} {times[name]:7.2f} s   cpu {cpu[name]:7.2f} s   peak RSS {peak:6.0f} MiB   "
              f"now {current:6.0f} MiB", flush=True)
        return result

    loaded = step("read", lambda: read_paths([workbook]))
    case, settings = loaded.case, loaded.settings
    del loaded  # as the command line does: the sheets as read are not kept
    # As the command line does: the 未派出教师 sheet begun in a child right after the solve (no child
    # with --steps leaving the writing out, nor where forking is unsafe).
    unplaced = unplaced_ahead(case, settings, plan) if "write" in args.steps else None
    report = step("audit", lambda: audit(case, settings, plan)) if "audit" in args.steps else None
    if "lines" in args.steps:
        step("lines", lambda: _lines(case, settings, plan, report))
    with tempfile.TemporaryDirectory() as folder:
        if "json" in args.steps:
            step("json", lambda: (Path(folder) / "plan.json").write_text(
                json.dumps(plan_summary(case, settings, plan, report), ensure_ascii=False, indent=1),
                encoding="utf-8"))
        if "write" in args.steps:
            out = Path(folder) / "plan.xlsx"
            step("write", lambda: write_plan_workbook(case, settings, plan, out, report=report, unplaced=unplaced))
            child = (f", 未派出教师 made in a child (peak RSS {unplaced.peak_rss_mb:.0f} MiB)" if unplaced is not None
                     and unplaced.peak_rss_mb is not None else "")
            print(f"         plan workbook {out.stat().st_size / 1e6:.1f} MB{child}")
    print(f"total    {sum(times.values()):7.2f} s   cpu {sum(cpu.values()):7.2f} s   ({', '.join(times)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
