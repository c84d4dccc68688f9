"""What the backbone share's base costs: each sample workbook solved with 骨干比例基数 = 应交流数 (the
quota's rotations, the old default) and = 交流总数 (everyone rotated, the default since issue #13),
every other setting the sample's own, side by side.

    python -m benchmarks.backbone_base [--sample NAME ...] [--time-limit S]

Per sample and base: the solve status, placements, need filled in 人·学期 (teacher-terms) of the
need, backbone teachers placed (by the sample's 骨干认定), the quota shortfall and the backbone
shortfall (the audit's, on that base), and the solve's seconds. The two backbone shortfalls are each
counted on their own base, so they are not the same measure: the need and placements are what the
stricter base costs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from scheduler.audit import audit
from scheduler.domain.settings import settings_from
from scheduler.export import headline
from scheduler.model import solve
from scheduler.workbook import read_paths

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
BASES = ("应交流数", "交流总数")


def measure(path: Path, base: str, time_limit: float | None) -> dict[str, object]:
    loaded = read_paths([path])
    if not loaded.ok:
        raise SystemExit(f"{path.name}: {loaded.report}")
    overrides = {"backbone_base": base}
    if time_limit is not None:
        overrides["time_limit_s"] = str(time_limit)
    settings = settings_from(loaded.case.settings, **overrides)
    started = time.perf_counter()
    plan = solve(loaded.case, settings)
    seconds = time.perf_counter() - started
    figures = headline(loaded.case, settings, plan)
    report = audit(loaded.case, settings, plan)
    return {"status": plan.status, "placements": figures.placements, "need": f"{figures.need_filled}/{figures.need_total}",
            "need_share": figures.need_share, "backbone": figures.backbone_placed,
            "quota_short": figures.quota_shortfall, "backbone_short": figures.backbone_shortfall,
            "hard_ok": report.ok, "seconds": seconds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="append", help="a workbook name in sample_data/ (default: every one)")
    parser.add_argument("--time-limit", type=float, default=None, help="override each sample's 求解时限秒")
    args = parser.parse_args(argv)
    paths = ([SAMPLES / f"{name.removesuffix('.xlsx')}.xlsx" for name in args.sample] if args.sample
             else sorted(SAMPLES.glob("*.xlsx")))
    header = (f"{'sample':<18} {'base':<6} {'status':<8} {'placed':>6} {'need filled (人·学期)':>22} "
              f"{'backbone':>8} {'quota short':>11} {'bb short':>8} {'s':>6}")
    print(header)
    print("-" * len(header))
    for path in paths:
        rows = {base: measure(path, base, args.time_limit) for base in BASES}
        for base, r in rows.items():
            print(f"{path.stem:<18} {base:<6} {r['status']:<8} {r['placements']:>6} "
                  f"{r['need']:>14} ({r['need_share']:.1%}) {r['backbone']:>8} {r['quota_short']:>11} "
                  f"{r['backbone_short']:>8} {r['seconds']:>6.1f}")
        old, new = rows[BASES[0]], rows[BASES[1]]
        filled = [int(str(r["need"]).split("/")[0]) for r in (old, new)]
        print(f"{'':<18} {'Δ':<6} {'':<8} {new['placements'] - old['placements']:>+6} {filled[1] - filled[0]:>+14}"
              f"{'':>8} {new['backbone'] - old['backbone']:>+8} {new['quota_short'] - old['quota_short']:>+11}")


if __name__ == "__main__":
    main()
