"""Solving independent parts one by one gives the same optimum as one model (the split is exact)."""

from __future__ import annotations

import importlib
import threading
import time
from pathlib import Path

import pytest

from scheduler.audit import audit
from scheduler.domain import settings_from
from scheduler.model import solve
from scheduler.model.rows import Rows
from scheduler.workbook import read_paths

# The package exports the function `solve`, which hides the module of the same name.
solve_module = importlib.import_module("scheduler.model.solve")
parts = importlib.import_module("scheduler.model.parts")
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.mark.parametrize("name", ["lueyang_county", "tianjin_pairing"])
def test_every_component_alone_gives_the_whole_models_levels(name, monkeypatch):
    case = read_paths([SAMPLES / f"{name}.xlsx"]).case
    monkeypatch.setattr(solve_module, "split", lambda model, read: None)
    settings = settings_from(case.settings)
    whole = solve(case, settings)
    monkeypatch.undo()
    monkeypatch.setattr(parts, "BIN_VARIABLES", 1)  # no packing: one CP-SAT model per component
    split = solve(case, settings)
    assert split.stats["parts"] >= 5
    assert split.status == whole.status == "optimal"
    assert [(level.key, level.value) for level in split.levels] == [(level.key, level.value) for level in whole.levels]
    assert audit(case, settings, split).ok


def _components(model) -> int:
    """How many independent groups of variables a CP-SAT model holds, by union-find over its rows
    (an independent count: not the split's own arrays)."""
    proto = model.proto
    root = list(range(len(proto.variables)))

    def find(v: int) -> int:
        while root[v] != v:
            root[v] = root[root[v]]
            v = root[v]
        return v

    for constraint in proto.constraints:
        row = list(constraint.linear.vars)
        for v in row[1:]:
            root[find(v)] = find(row[0])
    return len({find(v) for v in range(len(root))})


def test_a_bin_packs_at_most_its_number_of_components(monkeypatch):
    """Many small groups in one search close their LP gaps together, which grows far faster than
    their number (Datong ×70: 63 in one bin took 80 s a level): a bin holds at most BIN_COMPONENTS."""
    case = read_paths([SAMPLES / "tianjin_pairing.xlsx"]).case
    settings = settings_from(case.settings)
    _, model = solve_module.build(case, settings)
    loose = parts.split(model, Rows.of(model.model))
    monkeypatch.setattr(parts, "BIN_COMPONENTS", 2)
    _, model = solve_module.build(case, settings)
    capped = parts.split(model, Rows.of(model.model))
    counts = [_components(part.model) for part in capped]
    assert max(_components(part.model) for part in loose) > 2, "the sample packs more than 2 to a bin"
    assert max(counts) <= 2 and len(capped) > len(loose)
    assert sum(counts) == sum(_components(part.model) for part in loose), "every group is in one bin"
    monkeypatch.setattr(solve_module, "split", lambda model, read: None)
    whole = solve(case, settings)
    monkeypatch.undo()
    monkeypatch.setattr(parts, "BIN_COMPONENTS", 2)
    split = solve(case, settings)
    assert [(level.key, level.value) for level in split.levels] == [(level.key, level.value) for level in whole.levels]


def test_small_parts_are_searched_two_at_once_with_the_plan_of_one_at_a_time(monkeypatch):
    """On 2 cores two parts are searched at the same time (CP-SAT lets go of the interpreter while it
    searches), and the plan is the one searching them one after the other gives."""
    case = read_paths([SAMPLES / "tianjin_pairing.xlsx"]).case
    settings = settings_from(case.settings)
    monkeypatch.setattr(parts, "BIN_VARIABLES", 1)  # one part per component: many small parts
    monkeypatch.setenv("PLANNER_PART_THREADS", "1")
    one = solve(case, settings)
    spans: list[tuple[float, float, str]] = []
    searched = solve_module._Search._search

    def timed(self, *args, **kwargs):
        began = time.perf_counter()
        try:
            return searched(self, *args, **kwargs)
        finally:
            spans.append((began, time.perf_counter(), threading.current_thread().name))

    monkeypatch.setattr(solve_module._Search, "_search", timed)
    monkeypatch.setenv("PLANNER_PART_THREADS", "2")
    two = solve(case, settings)
    assert two.stats["parts"] >= 5 and two.status == one.status == "optimal"
    assert [(level.key, level.value) for level in two.levels] == [(level.key, level.value) for level in one.levels]
    assert two.placements == one.placements
    assert len({name for _, _, name in spans if name.startswith("part")}) == 2, "two threads searched"
    spans.sort()
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:])), "two searches overlapped"
