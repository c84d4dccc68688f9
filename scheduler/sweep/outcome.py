"""One scenario solved: what a worker does and what it sends back.

A worker gets the parsed case (not the workbook's path: on a cluster the file is on the planner's
machine) and the scenario's settings, and returns the plan workbook and JSON summary as bytes for
the driver to write, so no worker needs the output folder either. The parsed case is the cheaper
payload, measured on the samples (2 cores): reading the Lüeyang workbook takes 0.25 s, unpickling
its case 0.03 s (0.32 MB); Datong 0.77 s against 0.09 s (1.2 MB).

Any error in one scenario comes back as that scenario's outcome, in words; the others go on.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass, field
from typing import Any

from ..audit import audit
from ..domain.models import Case
from ..domain.settings import Settings
from ..export import plan_summary, write_plan_workbook
from ..export.progress_words import distance_words
from ..model import solve
from ..rules import Text

#: Outcome.status beyond Plan.status: the scenario's settings clash, the solve raised, or it never ran
CLASH, ERROR, INTERRUPTED = "settings_clash", "error", "interrupted"


@dataclass(frozen=True)
class Job:
    """A scenario as a worker takes it: its place in the grid, its file stem and its settings."""

    index: int
    stem: str
    settings: Settings
    lang: str = "zh"


@dataclass(frozen=True)
class Outcome:
    """A scenario's result: Plan.status (or CLASH / ERROR / INTERRUPTED with `error` in words), each
    level's distance from its bound (None: no bound), the headline figures (`Headline.as_dict()`),
    the solve's seconds, whether the audit passed, and the plan workbook and JSON summary as bytes
    (empty when there is no plan)."""

    index: int
    status: str
    error: Text | None = None
    levels: tuple[tuple[str, float | None], ...] = ()
    headline: dict[str, Any] = field(default_factory=dict)
    solve_seconds: float | None = None
    audit_ok: bool = False
    workbook: bytes = b""
    summary: bytes = b""

    @property
    def ok(self) -> bool:
        return self.error is None and self.audit_ok

    @property
    def proven(self) -> bool:
        return self.status == "optimal"

    def level_words(self, lang: str) -> str:
        """"第1步 已证明最好；第2步 离最好可能至多差 3%" (the solve's own words for each step)."""
        zh = lang == "zh"
        return ("；" if zh else "; ").join(
            (f"第{number}步 " if zh else f"step {number}: ") + distance_words(gap, lang)
            for number, (_, gap) in enumerate(self.levels, start=1))


def failed(index: int, status: str, error: Text) -> Outcome:
    return Outcome(index, status, error)


def solve_scenario(case: Case, job: Job) -> Outcome:
    """Solve, audit and export one scenario; never raises (a worker's error is its scenario's row)."""
    try:
        return _solve(case, job)
    except Exception as error:  # noqa: BLE001 — one scenario's failure must not end the sweep
        summary = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300]
        return failed(job.index, ERROR, Text(f"求解出错：{summary}", f"the solve failed: {summary}"))


def _solve(case: Case, job: Job) -> Outcome:
    started = time.perf_counter()
    plan = solve(case, job.settings)
    seconds = plan.times.get("total", time.perf_counter() - started)
    levels = tuple((level.key, level.gap) for level in plan.levels)
    if plan.status == "infeasible":
        return Outcome(job.index, plan.status, Text("无可行方案：硬规则互相矛盾（可用 explain 命令查看原因）",
                                                    "infeasible: the hard rules contradict each other (the explain "
                                                    "command says why)"), levels, solve_seconds=seconds)
    report = audit(case, job.settings, plan)
    summary = plan_summary(case, job.settings, plan, report)
    workbook = io.BytesIO()
    write_plan_workbook(case, job.settings, plan, workbook, lang=job.lang, report=report)
    return Outcome(job.index, plan.status, None, levels, summary["headline"], seconds, report.ok, workbook.getvalue(),
                   json.dumps(summary, ensure_ascii=False, indent=1).encode("utf-8"))
