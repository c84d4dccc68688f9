"""The model's option indexes (grouped with numpy) hold what their plain definitions say.

Each index is written here as the loop that defines it; on two samples, in strict pairing and in
优先 (options across links), the model's index must be that dict: the same keys in the same order,
each with the same options in the same order (the rows built from them keep their order, so the
solve stays deterministic).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from scheduler.domain.settings import settings_from
from scheduler.domain.terms import Term
from scheduler.model.solve import build
from scheduler.workbook import read_paths

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def _defined(model) -> dict[str, dict]:
    indexes = {name: defaultdict(list) for name in ("by_teacher", "by_need_cell", "by_host_term", "by_home_year",
                                                    "by_pair_year")}
    for i, option in enumerate(model.options):
        home = model.ctx.case.teachers[option.teacher].school_id
        year = Term.from_ordinal(option.start).school_year
        indexes["by_teacher"][option.teacher].append(i)
        for term in range(option.start, option.start + option.terms):
            indexes["by_need_cell"][(option.school, option.subject, term)].append(i)
            indexes["by_host_term"][(option.school, term)].append(i)
        indexes["by_home_year"][(home, year)].append(i)
        indexes["by_pair_year"][(frozenset((home, option.school)), year)].append(i)
    return {name: dict(table) for name, table in indexes.items()}


@pytest.mark.parametrize("sample", ["lueyang_county.xlsx", "datong_city.xlsx"])
@pytest.mark.parametrize("pairing", ["strict", "prefer"])
def test_option_indexes_are_their_definitions(sample, pairing):
    loaded = read_paths([SAMPLES / sample])
    _, model = build(loaded.case, settings_from(loaded.case.settings, pairing_mode=pairing))
    assert len(model.options) > 100
    for name, expected in _defined(model).items():
        got = getattr(model, name)
        assert list(got.items()) == list(expected.items()), name
