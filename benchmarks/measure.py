"""One benchmark run of one case, meant to run in a fresh process so peak memory is its own.

First the planner as a planner runs it, file in to sheets out: read and validate the workbook,
`solve` (build, greedy hint, the levels), audit, write the assignment workbook. Peak RSS is
read right after, before anything else is loaded. Then, on the same case and settings: the
model's size, a per-rule build profile and its structure (independent parts, interchangeable
teachers), and the baselines: the greedy plan, HiGHS on the
same model as a MIP, and the LP relaxation's bound.
"""

from __future__ import annotations

import hashlib
import os
import resource
import tempfile
import time
from pathlib import Path

from scheduler.audit import audit
from scheduler.domain.settings import settings_from
from scheduler.export import unplaced_ahead, write_plan_workbook
from scheduler.model.builder import PlanModel
from scheduler.model.greedy import greedy_plan
from scheduler.model.solve import solve
from scheduler.workbook import read_paths

from .build_profile import profile_build
from .greedy_score import score_choice
from .highs_baseline import lp_bounds, solve_mip
from scheduler.model.linear import LinearProgram, translate
from .objectives import LevelObjective, level_objectives
from .structure import components, teacher_classes
from .timeline import Timeline


SCHEDULER = Path(__file__).resolve().parents[1] / "scheduler"


def source_fingerprint() -> str:
    """A short hash of scheduler/'s sources: runs with different fingerprints measured different code."""
    digest = hashlib.sha1()
    for path in sorted(SCHEDULER.rglob("*.py")):
        digest.update(path.relative_to(SCHEDULER).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(workbook: str, time_limit: float, overrides: dict[str, str], baselines: bool) -> dict:
    """The row of one run (JSON-ready). `overrides` are settings as `--set` takes them."""
    load_before = os.getloadavg()[0]
    fingerprint = source_fingerprint()
    started = time.perf_counter()
    loaded = read_paths([workbook])
    read_s = time.perf_counter() - started
    if loaded.case is None:
        raise ValueError(f"{workbook} does not validate: {loaded.report.text('en', limit=5)}")
    case = loaded.case
    settings = settings_from(case.settings, **{**overrides, "time_limit_s": str(time_limit)})

    timeline = Timeline()
    cpu = _cpu_s()
    plan = solve(case, settings, progress=timeline)
    solve_cpu = _cpu_s() - cpu
    timeline.finish(plan)
    mark = time.perf_counter()
    unplaced = unplaced_ahead(case, settings, plan)  # as the command line does: that sheet in a child meanwhile
    report = audit(case, settings, plan)
    with tempfile.TemporaryDirectory() as folder:
        write_plan_workbook(case, settings, plan, Path(folder) / "plan.xlsx", report=report, unplaced=unplaced)
    export_s = time.perf_counter() - mark
    end_to_end = time.perf_counter() - started
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    model, build_times = profile_build(case, settings)
    objectives = level_objectives(model)
    mark = time.perf_counter()
    lp = translate(model.model)
    translate_s = time.perf_counter() - mark
    row = {
        "teachers": len(case.teachers), "schools": len(case.schools), "options": len(model.options),
        "variables": len(model.model.Proto().variables), "constraints": len(model.model.Proto().constraints),
        "settings": {"workers": settings.workers, "time_limit_s": settings.time_limit_s, **overrides},
        "times": {
            "read_validate": read_s, **{k: v for k, v in plan.times.items() if k != "total"},
            "solve": plan.times.get("total"), "export": export_s, "end_to_end": end_to_end,
            "first_plan": timeline.first_plan_s, "within_1pct": timeline.within_target_s(len(objectives)),
        },
        "build_profile": build_times, "translate_s": translate_s,
        "structure": {**components(lp), **teacher_classes(model)},
        "status": plan.status, "audit_hard": len(report.hard),
        "levels": [{**vars(level), "gap": level.gap} for level in timeline.levels],
        "level_count": len(objectives),
        "solve_cpu_s": solve_cpu, "peak_rss_mb": peak_rss_mb,
        # the 未派出教师 sheet's child: its pages are the parent's until it writes them, so this overstates it
        "sheet_child_peak_rss_mb": unplaced.peak_rss_mb if unplaced is not None else None,
        "load_before": load_before, "load_after": os.getloadavg()[0], "scheduler_source": fingerprint,
    }
    if baselines:
        row["baselines"] = run_baselines(model, objectives, lp, time_limit,
                                         plan.levels[0].value if plan.levels else None)
    return row


def run_baselines(model: PlanModel, objectives: list[LevelObjective], lp: LinearProgram, time_limit: float,
                  level1_value: float | None) -> dict:
    """Greedy, HiGHS MIP and LP relaxation on `model` (a fresh build: `solve` changes its own)."""
    mark = time.perf_counter()
    chosen = greedy_plan(model)
    greedy_s = time.perf_counter() - mark
    greedy_levels, greedy_feasible = score_choice(model, chosen, objectives)

    mip, _ = solve_mip(lp, objectives, time_limit)
    relaxation = lp_bounds(lp, objectives, level1_value, time_limit)
    return {
        "greedy": {"seconds": greedy_s, "placements": len(chosen), "feasible": greedy_feasible,
                   "levels": [run.as_dict() for run in greedy_levels]},
        "highs": {"seconds": sum(run.seconds for run in mip),
                  "levels": [run.as_dict() for run in mip]},
        "lp": {"seconds": sum(run.seconds for run in relaxation),
               "levels": [run.as_dict() for run in relaxation]},
    }
