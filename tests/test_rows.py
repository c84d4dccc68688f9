"""A model's rows read once (scheduler/model/rows.py) are the model: read again after a level added
rows, they are the rows read whole, and as an LP they are what `translate` reads from the model, so
the split, the LP guide and the rings all see the model as it is."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from scheduler.domain import settings_from
from scheduler.model.linear import add_row, translate
from scheduler.model.rows import Rows
from scheduler.workbook import read_paths

solve_module = importlib.import_module("scheduler.model.solve")
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def built():
    case = read_paths([SAMPLES / "lueyang_county.xlsx"]).case
    _, model = solve_module.build(case, settings_from(case.settings, pairing_mode="prefer"))
    return model


def test_rows_read_again_after_a_level_are_the_rows_read_whole(built):
    # Between levels a part's model gains rows (its level held, what the LP's prices hold); the rings
    # read only those. What they read must be the model as it is, or a ring searches a stale model.
    part = solve_module.whole(built)
    part.model = part.model.clone()  # the module's model stays as built for the next test
    before = Rows.of(part.model)
    part.hold_level(2, 10_000)
    options = [var.index for var in built.x]
    add_row(part.model, options[:5], [1, 2, 3, 4, 5], 0, 7)
    grown, whole = before.grown(part.model), Rows.of(part.model)
    assert len(grown.limits) == len(before.limits) + 2
    np.testing.assert_array_equal(grown.starts, whole.starts)
    np.testing.assert_array_equal(grown.columns, whole.columns)
    np.testing.assert_array_equal(grown.coefficients, whole.coefficients)
    assert grown.limits == whole.limits
    # a model with another variable is read whole
    part.model.new_int_var(0, 1, "")
    assert len(before.grown(part.model).proto.variables) == len(before.proto.variables) + 1


def test_the_rows_as_an_lp_are_the_model_translated(built):
    model = built.model.clone()
    add_row(model, [built.x[0].index, built.x[1].index], [2, -3], -4, 9)  # a row with a negative term
    lp, translated = Rows.of(model).linear_program(), translate(model)
    for name in ("lower", "upper", "starts", "columns", "values", "row_lower", "row_upper"):
        np.testing.assert_array_equal(getattr(lp, name), getattr(translated, name), err_msg=name)
    assert lp.num_rows == len(model.proto.constraints) and lp.num_columns == len(model.proto.variables)
