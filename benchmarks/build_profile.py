"""Where model building spends its time: the option enumeration and each rule's `build`.

`scheduler.model.solve.build` times the whole; this repeats its steps in the same order with a
clock around each, so the table can say which rule to make faster. The result is the same
model (tests/test_benchmarks_smoke.py compares the two).
"""

from __future__ import annotations

import time

from scheduler.rules.context import Context
from scheduler.domain.models import Case
from scheduler.domain.settings import Settings
from scheduler.model.builder import PlanModel
from scheduler.model.options import enumerate_options
from scheduler.rules import active_rules, rule_modes


def profile_build(case: Case, settings: Settings) -> tuple[PlanModel, dict[str, float]]:
    """The model `build(case, settings)` makes, and seconds per step ("options", "variables", "rule:<id>")."""
    times: dict[str, float] = {}
    ctx = Context(case, settings)
    rules = active_rules(settings)
    modes = rule_modes(settings)
    filters = [rule for rule in rules if rule.filters and modes[rule.id] == "hard"]
    mark = time.perf_counter()
    options = enumerate_options(ctx, filters)
    times["options"] = time.perf_counter() - mark
    mark = time.perf_counter()
    model = PlanModel(ctx, options, modes)
    times["variables"] = time.perf_counter() - mark
    for rule in rules:
        mark = time.perf_counter()
        rule.build(model)
        times[f"rule:{rule.id}"] = time.perf_counter() - mark
    return model, times
