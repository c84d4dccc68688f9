"""The default solve gives the same plan in separate processes, whatever the hash seed.

Inside one process a second solve may reuse what the first left behind (caches, dict orders that
happen to match); a fresh interpreter with another PYTHONHASHSEED reorders every set of strings,
which is where an order-dependent tie-break would show. Lüeyang takes the whole-model path,
Datong the split one (≈ 6 s for the two processes, run side by side).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import json, sys
from scheduler.domain import settings_from
from scheduler.model import solve
from scheduler.workbook import read_paths
out = {}
for name in ("lueyang_county", "datong_city"):
    case = read_paths([f"sample_data/{name}.xlsx"]).case
    plan = solve(case, settings_from(case.settings))
    out[name] = {"status": plan.status,
                 "levels": [(level.key, level.value, level.bound) for level in plan.levels],
                 "placements": [(p.teacher_id, p.school_id, p.subject, p.start.label(), p.terms)
                                for p in plan.placements]}
json.dump(out, sys.stdout)
"""


def test_two_processes_with_different_hash_seeds_give_the_same_plans():
    runs = [subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("0", "4242")]
    plans = []
    for run in runs:
        out, _ = run.communicate(timeout=300)
        assert run.returncode == 0
        plans.append(json.loads(out))
    first, second = plans
    for name in first:
        assert first[name]["status"] == "optimal"
        assert first[name]["placements"], name
        assert first[name] == second[name], name


def test_a_ring_around_the_lp_solution_is_cut_by_work_done_not_by_the_clock(monkeypatch):
    """A ring's plan is where HiGHS's proof starts, so a ring cut by the clock would make the plan
    depend on how busy the machine was. Each ring's limit in CP-SAT's deterministic time must be
    the same whatever the clock says; a clock running at half speed changes only the caps."""
    import importlib
    import time as clock

    from ortools.sat.python import cp_model

    from scheduler.domain import settings_from
    from scheduler.workbook import read_paths

    solve_module = importlib.import_module("scheduler.model.solve")
    case = read_paths([ROOT / "sample_data" / "lueyang_county.xlsx"]).case
    settings = settings_from(case.settings, pairing_mode="prefer")
    real_solver, real_clock = cp_model.CpSolver, clock.perf_counter

    def limits_seen(speed: float) -> list[tuple[float, float]]:
        seen = []

        class Recording(real_solver):
            def solve(self, model, *args):
                if self.parameters.max_deterministic_time < 1e9:
                    seen.append((round(self.parameters.max_deterministic_time, 9),
                                 self.parameters.max_time_in_seconds))
                return super().solve(model, *args)

        origin = real_clock()
        monkeypatch.setattr(cp_model, "CpSolver", Recording)
        monkeypatch.setattr(solve_module.time, "perf_counter", lambda: origin + (real_clock() - origin) * speed)
        solve_module.solve(case, settings)
        monkeypatch.undo()
        return seen

    normal, slow = limits_seen(1.0), limits_seen(0.5)
    assert normal, "the sample's large part is searched in rings"
    assert [work for work, _ in normal] == [work for work, _ in slow]
    assert [cap for _, cap in normal] != [cap for _, cap in slow], "the clock moved only the caps"
