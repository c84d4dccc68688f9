"""The greedy plan's index of rows by option: what a plain walk over the rules' rows gives."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from scheduler.domain import settings_from
from scheduler.model import build
from scheduler.model.builder import Row
from scheduler.model.greedy import _RowsOf
from scheduler.workbook import read_paths

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _walked(rows: list[Row]) -> dict[int, dict[int, int]]:
    table: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r, row in enumerate(rows):
        for i, coefficient in row.terms:
            table[i][r] += coefficient
    return table


def test_every_option_has_the_rows_it_is_in_with_its_coefficients():
    case = read_paths([SAMPLES / "tianjin_pairing.xlsx"]).case
    _, model = build(case, settings_from(case.settings, pairing_mode="prefer"))
    walked = _walked(model.rows)
    index = _RowsOf(model.rows, len(model.options))
    assert sum(map(len, walked.values())) > 1000
    for i in range(len(model.options)):
        assert dict(index[i]) == dict(walked.get(i, {})), i
        assert [r for r, _ in index[i]] == sorted(r for r, _ in index[i])


def test_an_option_twice_in_a_row_counts_its_coefficients_together():
    rows = [Row.of("a", [(2, 1), (0, 3), (2, 4)], 5), Row.of("b", [], 1), Row.of("c", [(1, -2), (2, 1)], 0)]
    index = _RowsOf(rows, 4)
    assert index[0] == [(0, 3)] and index[1] == [(2, -2)] and index[2] == [(0, 5), (2, 1)] and index[3] == []
    assert _RowsOf([], 2)[1] == []


def test_options_ranked_as_arrays_come_in_the_order_of_their_rank():
    from scheduler.model.greedy import _State

    case = read_paths([SAMPLES / "tianjin_pairing.xlsx"]).case
    _, model = build(case, settings_from(case.settings, pairing_mode="prefer"))
    state = _State(model)
    some = list(range(len(model.options)))[::-3] + [0]  # out of order, the first option as well
    ranked = state.ranked(iter(some))
    assert ranked == sorted(some, key=state.rank)
    assert len({state.rank(i)[:3] for i in ranked}) > 50, "the ranks differ: the order is tested"
    assert state.ranked(iter([])) == []
