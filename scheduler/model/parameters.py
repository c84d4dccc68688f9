"""CP-SAT parameters, chosen by measurement (tmp study on the Datong sample, 2 cores):

- the assignment model's LP relaxation is nearly integral, so the workers that lean on the LP
  (`max_lp`, `default_lp`) prove levels that the default 2-worker portfolio (which has no
  max_lp worker) leaves at a huge gap: Datong level 2 was proven in 0.5 s instead of a
  -120 % gap after 30 s;
- probing and repeated presolve cost seconds on large models and bought nothing here.

Determinism: with one worker (the default, `workers` = 1: a single search with
`linearization_level` 2, i.e. the max_lp worker alone), a fixed `random_seed` and no level cut by
the time limit, every run gives the same plan. (The searches around a large part's LP solution are
cut by CP-SAT's deterministic time, `solve.RING_WORK_PER_S`, not by the clock; a part too large to
load, searched in rings only until its time is up, is not.) With two or more workers a proven-optimal level
still has the same value every run, but CP-SAT's parallel portfolio may return a different plan
among equally good ones (measured on small random cases: 2 workers gave up to 5 different plans
in 15 runs); `interleave_search` makes the portfolio reproducible but was 5–10× slower on the
samples, so it is set only for two or more workers. One worker was as fast as two
(Datong ≈ 3–4 s, tests/test_solve_samples.py).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..domain.settings import Settings


def configure(solver: cp_model.CpSolver, settings: Settings, time_limit: float) -> None:
    parameters = solver.parameters
    parameters.max_time_in_seconds = time_limit
    parameters.num_workers = settings.workers
    parameters.random_seed = settings.seed
    if settings.workers >= 2:
        parameters.subsolvers.extend(["max_lp", "default_lp"])
        # Only a portfolio needs interleaving to be reproducible; one worker already is, and
        # interleaving it made the samples 10–20× slower (Lüeyang 0.3 → 6 s, Datong 3 → 19 s).
        parameters.interleave_search = True
    else:
        parameters.linearization_level = 2
    parameters.cp_model_probing_level = 0
    parameters.max_presolve_iterations = 1
