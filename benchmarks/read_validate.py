"""How long reading and validating a city-sized roster takes.

    python -m benchmarks.read_validate [--scale N] [--repeat K]

Generates seeds/datong_city.toml at `--scale` (default 18, about 100,000 teachers), writes it to
a temporary .xlsx, then reads and validates it `--repeat` times (default 3) and prints the median.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from scheduler.samples import generate_case
from scheduler.workbook import read_paths, write_case

SEED = Path(__file__).resolve().parents[1] / "seeds" / "datong_city.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.read_validate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=18, help="replicate the seed's counties N times (default 18)")
    parser.add_argument("--repeat", type=int, default=3, help="reads to take the median of (default 3)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    case = generate_case(SEED, scale=args.scale)
    generated = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        started = time.perf_counter()
        write_case(case, path)
        written = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        reads = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            loaded = read_paths([path])
            reads.append(time.perf_counter() - started)
    same = loaded.case == case

    print(f"seed            {SEED.name} × {args.scale}")
    print(f"teachers        {len(case.teachers):,} ({len(case.schools):,} schools, {len(case.demands):,} need rows)")
    print(f"generate        {generated:.2f} s")
    print(f"write xlsx      {written:.2f} s ({size_mb:.1f} MB)")
    print(f"read+validate   {statistics.median(reads):.2f} s median of {args.repeat} "
          f"({', '.join(f'{r:.2f}' for r in reads)})")
    print(f"problems        {len(loaded.report.problems)} "
          f"({len(loaded.report.errors)} errors, {len(loaded.report.warnings)} warnings)")
    print(f"round trip      {'same case' if same else 'CASE DIFFERS'}")
    return 0 if same and loaded.report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
