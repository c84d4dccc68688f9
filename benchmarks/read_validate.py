"""How long reading and validating a city-sized roster takes.

    python -m benchmarks.read_validate [--scale N] [--repeat K] [--layout registry]

Generates seeds/datong_city.toml at `--scale` (default 18, about 100,000 teachers), writes it to
a temporary .xlsx, then reads and validates it `--repeat` times (default 3) and prints the median.
`--layout registry` does the same with seeds/registry_county.toml written as the registry exports
it (花名册: title rows, aliases, 身份证号, 进本校年月 dates, 在岗状态); `--scale 90` is about 100,000
teachers. A registry roster gives birth dates by month (出生年月), so its round trip compares the
teachers' ids, years and eligibility, not the whole case.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from scheduler.samples import generate_case, registry_layout
from scheduler.workbook import read_paths, write_case

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.read_validate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=18, help="replicate the seed's counties N times (default 18)")
    parser.add_argument("--repeat", type=int, default=3, help="reads to take the median of (default 3)")
    parser.add_argument("--layout", choices=("contract", "registry"), default="contract",
                        help="the roster's layout (default: the template's own columns)")
    args = parser.parse_args(argv)

    seed = SEEDS / ("registry_county.toml" if args.layout == "registry" else "datong_city.toml")
    registry = registry_layout(seed) if args.layout == "registry" else None
    started = time.perf_counter()
    case = generate_case(seed, scale=args.scale)
    generated = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        started = time.perf_counter()
        write_case(case, path, registry=registry)
        written = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        reads = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            loaded = read_paths([path])
            reads.append(time.perf_counter() - started)
    same = loaded.case == case if registry is None else _same_teachers(loaded.case, case)

    print(f"seed            {seed.name} × {args.scale} ({args.layout} layout)")
    print(f"teachers        {len(case.teachers):,} ({len(case.schools):,} schools, {len(case.demands):,} need rows)")
    print(f"generate        {generated:.2f} s")
    print(f"write xlsx      {written:.2f} s ({size_mb:.1f} MB)")
    print(f"read+validate   {statistics.median(reads):.2f} s median of {args.repeat} "
          f"({', '.join(f'{r:.2f}' for r in reads)})")
    print(f"problems        {len(loaded.report.problems)} "
          f"({len(loaded.report.errors)} errors, {len(loaded.report.warnings)} warnings)")
    print(f"round trip      {'same case' if same else 'CASE DIFFERS'}")
    return 0 if same and loaded.report.ok else 1


def _same_teachers(read, written) -> bool:
    if read is None:
        return False
    key = lambda case: [(t.teacher_id, t.school_id, t.subject, t.years_at_school, t.exemption or t.leave, t.on_staff)
                        for t in case.teachers]
    return key(read) == key(written)


if __name__ == "__main__":
    raise SystemExit(main())
