"""How long a re-plan after one withdrawal takes, and how much it moves, against a solve from scratch.

    python -m benchmarks.replan [--scale N] [--time-limit S] [--only sample|city]

Two cases: the Datong sample (sample_data/datong_city.xlsx) and seeds/datong_city.toml at `--scale`
(default 7, about 40,000 teachers). Each is solved once (the published plan); then the first placed
teacher withdraws (a 禁止交流 pin) and the changed case is solved twice: from scratch, and as a
re-plan of the published plan (`solve(..., published=...)`, what `python -m scheduler replan`
runs). For both: the time, the plan's status, and against the published plan the placements not
kept (moved or dropped, the withdrawn teacher's included), the teachers added, and the levels.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from scheduler.domain import Pin, PinAction
from scheduler.domain.models import Case
from scheduler.domain.settings import Settings, settings_from
from scheduler.model import solve
from scheduler.plan import Plan
from scheduler.rules.changes import ADDED, DROPPED, MOVED, plan_changes
from scheduler.rules.context import Context
from scheduler.samples import generate_case
from scheduler.workbook import read_paths

ROOT = Path(__file__).resolve().parents[1]


def _counts(case: Case, settings: Settings, published: Plan, plan: Plan) -> dict[str, int]:
    changes = plan_changes(Context(case, settings, published), plan)
    return {kind: sum(1 for c in changes if c.kind == kind) for kind in (MOVED, DROPPED, ADDED)}


def _levels(plan: Plan) -> str:
    return " ".join(f"{level.key}={level.value:g}" for level in plan.levels)


def measure(name: str, case: Case, settings: Settings) -> None:
    started = time.perf_counter()
    published = solve(case, settings)
    first = time.perf_counter() - started
    withdrawn = published.placements[0].teacher_id
    changed = case.model_copy(update={"pins": [*case.pins, Pin(teacher_id=withdrawn, action=PinAction.EXCLUDE)]})
    print(f"{name}: {len(case.teachers):,} teachers, published plan {len(published.placements):,} placements "
          f"({published.status}, {first:.1f} s); {withdrawn} withdraws")
    for label, published_arg in (("from scratch", None), ("replan", published)):
        started = time.perf_counter()
        plan = solve(changed, settings, published=published_arg)
        seconds = time.perf_counter() - started
        count = _counts(changed, settings, published, plan)
        print(f"  {label:<13}{seconds:8.1f} s  {plan.status:<9} not kept {count[MOVED] + count[DROPPED]:5,} "
              f"(moved {count[MOVED]:,}, dropped {count[DROPPED]:,}), added {count[ADDED]:,}  {_levels(plan)}",
              flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.replan", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=7, help="replicate the seed's counties N times (default 7)")
    parser.add_argument("--time-limit", type=float, help="time limit of each solve (default: the case's own)")
    parser.add_argument("--only", choices=("sample", "city"), help="measure one of the two cases")
    args = parser.parse_args(argv)
    extra = {} if args.time_limit is None else {"time_limit_s": args.time_limit}
    if args.only in (None, "sample"):
        case = read_paths([ROOT / "sample_data" / "datong_city.xlsx"]).case
        assert case is not None
        measure("datong_city.xlsx", case, settings_from(case.settings, **extra))
    if args.only in (None, "city"):
        case = generate_case(ROOT / "seeds" / "datong_city.toml", scale=args.scale)
        measure(f"datong_city.toml × {args.scale}", case, settings_from(case.settings, **extra))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
