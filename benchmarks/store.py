"""How long the store takes with a city-sized case: storing a plan version and opening it again.

    python -m benchmarks.store [--scale N] [--repeat K] [--db URL] [--time-limit S]

Generates seeds/datong_city.toml at `--scale` (default 7, about 40,000 teachers), writes it as a
workbook, solves it once, then `--repeat` times (default 5, median printed): stores the workbook
as an upload, makes the version record (headline and audit of the plan), stores the version,
lists the project's versions, loads the version back (the plan rebuilt) and reads the upload back
into the case. Then the UI's own path: opening the project as a page does
(`workspace.open_scenario`: the snapshot, the workbook read and validated into the case, the
scenario's settings and pins, the current plan) the first time on a server and again with the
reading cached in the process (as `ui.state.read_cached` keeps it), and storing a finished solve
as the worker does (`workspace.store_solve`: headline, audit, the version made current). `--db`
is any SQLAlchemy URL; by default a new SQLite file in a temporary folder. Each repeat uses a new
project of its own.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from scheduler.domain.settings import settings_from
from scheduler.model import solve
from scheduler.samples import generate_case
from scheduler.store import open_store, version_record, workspace
from scheduler.store.codec import plan_record
from scheduler.workbook import read_files, write_case

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=7, help="replicate the seed's counties N times (default 7)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats to take the median of (default 5)")
    parser.add_argument("--db", help="the database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--time-limit", type=float, default=30.0,
                        help="time limit of the one solve (default 30; the plan's size, not its quality, matters here)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    case = generate_case(SEEDS / "datong_city.toml", scale=args.scale)
    buffer = io.BytesIO()
    write_case(case, buffer)
    content = buffer.getvalue()
    settings = settings_from(case.settings, time_limit_s=args.time_limit)
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    read_report = read_files([("datong.xlsx", content)]).report  # what an import checks and stores
    imported = time.perf_counter() - started
    started = time.perf_counter()
    plan = solve(case, settings)
    solved = time.perf_counter() - started

    times: dict[str, list[float]] = {}

    def timed(name: str, work):
        begun = time.perf_counter()
        result = work()
        times.setdefault(name, []).append(time.perf_counter() - begun)
        return result

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'planner.db'}"
        store = timed("open store (create, migrate)", lambda: open_store(url))
        with store:
            for repeat in range(args.repeat):
                project = store.create_project(f"大同市×{args.scale} 第{repeat + 1}轮 {time.time():.0f}")
                upload, _ = timed("store the upload", lambda: store.add_upload(
                    project.id, "datong.xlsx", content, read_report))  # noqa: B023
                new = timed("version record (headline, audit)", lambda: version_record(
                    case, settings, plan, upload_ids=[upload.id]))  # noqa: B023
                version = timed("store the version", lambda: store.add_version(project.id, new))  # noqa: B023
                timed("list versions", lambda: store.versions(project.id))  # noqa: B023
                loaded = timed("load the version (plan rebuilt)", lambda: store.version(version.id))  # noqa: B023
                assert loaded.plan.placements == plan.placements
                timed("read the upload back into the case", lambda: read_files(
                    [store.upload_content(upload.id)]).case)  # noqa: B023
                # the UI's path: the page's scenario, opened as a new session opens it
                scenario = workspace.save_scenario(store, project.id, settings, {}, case.pins, [upload.id])
                timed("UI: store a solve (workspace.store_solve)", lambda: workspace.store_solve(
                    store, project.id, case, settings, plan, upload_ids=[upload.id], columns={},  # noqa: B023
                    scenario_id=scenario.id))  # noqa: B023
                cache: dict = {}

                def cached(files, columns):
                    if files not in cache:  # noqa: B023
                        cache[files] = read_files(list(files), columns=columns or None)  # noqa: B023
                    return cache[files]  # noqa: B023

                info = workspace.project_by_id(store, project.id)
                first = timed("UI: open the project, first on a server", lambda: workspace.open_scenario(
                    store, info, cached))  # noqa: B023
                assert first.loaded.case is not None and first.current is not None and not first.problems
                timed("UI: open it again, reading cached", lambda: workspace.open_scenario(
                    store, info, cached))  # noqa: B023
                timed("UI: a page's run, nothing changed", lambda: workspace.changed_since(
                    store, project.id, scenario.updated_at, first.current.info.id))  # noqa: B023
        size = Path(url.removeprefix("sqlite:///")).stat().st_size if url.startswith("sqlite:///") else None

    record_kb = len(str(plan_record(plan)).encode("utf-8")) / 1e3
    print(f"case            datong_city.toml × {args.scale}: {len(case.teachers):,} teachers, "
          f"{len(case.schools):,} schools; workbook {len(content) / 1e6:.1f} MB (generated in {prepared:.1f} s, "
          f"read + validated in {imported:.1f} s)")
    print(f"plan            {len(plan.placements):,} placements, {plan.status}, solved in {solved:.1f} s; "
          f"plan record ≈{record_kb:.0f} kB")
    print(f"database        {url.split('://')[0]}" + (f", {size / 1e6:.1f} MB after {args.repeat} rounds" if size else ""))
    for name, values in times.items():
        spread = ", ".join(f"{v:.3f}" for v in values)
        print(f"{name:<44}{statistics.median(values):7.3f} s median of {len(values)} ({spread})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
