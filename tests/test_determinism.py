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
