"""Solving independent parts one by one gives the same optimum as one model (the split is exact)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from scheduler.audit import audit
from scheduler.domain import settings_from
from scheduler.model import solve
from scheduler.workbook import read_paths

# The package exports the function `solve`, which hides the module of the same name.
solve_module = importlib.import_module("scheduler.model.solve")
parts = importlib.import_module("scheduler.model.parts")
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.mark.parametrize("name", ["lueyang_county", "tianjin_pairing"])
def test_every_component_alone_gives_the_whole_models_levels(name, monkeypatch):
    case = read_paths([SAMPLES / f"{name}.xlsx"]).case
    monkeypatch.setattr(solve_module, "split", lambda model: None)
    settings = settings_from(case.settings)
    whole = solve(case, settings)
    monkeypatch.undo()
    monkeypatch.setattr(parts, "BIN_VARIABLES", 1)  # no packing: one CP-SAT model per component
    split = solve(case, settings)
    assert split.stats["parts"] >= 5
    assert split.status == whole.status == "optimal"
    assert [(level.key, level.value) for level in split.levels] == [(level.key, level.value) for level in whole.levels]
    assert audit(case, settings, split).ok
