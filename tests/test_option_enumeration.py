"""The options the model offers are exactly the placements every hard filter rule's own reason allows.

The enumeration asks the rules' per-teacher tests (`school_test`, `start_test`), which may leave
out what the enumeration already ensures; here each (teacher, school, subject, span) of the case is
asked the slow way instead, through the `why_not` that the audit and the explanations quote. Both
must give the same options in the same order, and a soft filter must charge exactly the options its
`blocks` objects to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.domain.settings import settings_from
from scheduler.model.solve import build
from scheduler.rules import active_rules
from scheduler.rules.levels import WEIGHT_SCALE
from scheduler.workbook import read_paths

from cases import FALL, SPRING, case, forbid, link, need, rural, settings, teacher, urban

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def _allowed(model) -> list[tuple[int, str, str, int, int]]:
    """Every placement no hard filter objects to, asked one by one, in the enumeration's order."""
    ctx = model.ctx
    hard = [rule for rule in active_rules(ctx.settings) if rule.filters and model.mode(rule) == "hard"]
    needing = {(d.school_id, d.subject) for d in ctx.case.demands}  # the rest would be asked in vain
    found = []
    for position, t in enumerate(ctx.case.teachers):
        for school in sorted(s.school_id for s in ctx.case.schools):
            if school == t.school_id:
                continue
            for subject in t.subjects:
                if (school, subject) not in needing:
                    continue
                for start, terms in ctx.spans:
                    if not any(rule.why_not(ctx, t, school, subject, start, terms) for rule in hard):
                        found.append((position, school, subject, start, terms))
    return found


def _built(c, chosen):
    _, model = build(c, chosen)
    return model


def _mixed_case():
    """Forbids, availability windows, a second subject, stages that do and do not fit, a one-term need."""
    return case(
        urban("城一小"), urban("城一中", "junior"), rural("乡小"), rural("乡中", "junior"), rural("乡九", "nine-year"),
        link("城一小", "乡小"), link("城一中", "乡中"), link("城一中", "乡九"),
        teacher("甲", "城一小"), teacher("乙", "城一小", also=("音乐",), available=(SPRING, None)),
        teacher("丙", "城一中"), teacher("丁", "城一中", "音乐", available=(None, FALL)),
        teacher("戊", "城一小", "音乐"),
        need("乡小"), need("乡小", "音乐"), need("乡中"), need("乡九", "音乐", terms=1), need("乡九"),
        forbid("甲", "乡九"), forbid("丙", "乡中"),
    )


@pytest.mark.parametrize("pairing", ["strict", "prefer", "any"])
def test_the_mixed_case_offers_what_every_reason_allows(pairing):
    model = _built(_mixed_case(), settings(pairing_mode=pairing))
    assert [tuple(o) for o in model.options] == _allowed(model)
    # the case exercises each test: a forbid, a window, a stage that does not fit are each left out
    offered = {(model.ctx.case.teachers[o.teacher].teacher_id, o.school, o.start) for o in model.options}
    assert not any(t == "甲" and s == "乡九" for t, s, _ in offered)
    assert all(start >= model.ctx.horizon[0] + 1 for t, _, start in offered if t == "乙")
    assert not any(t == "甲" and s in ("乡中",) for t, s, _ in offered)


@pytest.mark.parametrize("sample", ["lueyang_county.xlsx", "tianjin_pairing.xlsx", "hefei_city.xlsx"])
@pytest.mark.parametrize("pairing", ["strict", "prefer"])
def test_a_sample_offers_what_every_reason_allows(sample, pairing):
    loaded = read_paths([SAMPLES / sample])
    model = _built(loaded.case, settings_from(loaded.case.settings, pairing_mode=pairing))
    assert len(model.options) > 100
    assert [tuple(o) for o in model.options] == _allowed(model)


class _Charges:
    """What a rule's `build` hands the model, recorded: the rule sees the built model's options."""

    def __init__(self, model):
        self.model, self.ctx, self.options, self.by_teacher = model, model.ctx, model.options, model.by_teacher
        self.costs: list[tuple[int, int]] = []

    def mode(self, rule):
        return self.model.mode(rule)

    def option_costs_of(self, rule, costs):
        self.costs.extend(costs)


@pytest.mark.parametrize("rule_id", ["stage_fit", "pairing"])
def test_a_soft_filter_charges_what_it_blocks(rule_id):
    model = _built(_mixed_case(), settings(pairing_mode="prefer", modes={rule_id: "soft"}))
    rule = next(r for r in active_rules(model.ctx.settings) if r.id == rule_id)
    charges = _Charges(model)
    rule.build(charges)
    expected = [(i, WEIGHT_SCALE) for i, option in enumerate(model.options)
                if rule.blocks(model.ctx, *model.option_args(option))]
    assert expected, "the case has options the rule objects to"
    assert len(expected) < len(model.options), "and options it allows"
    assert charges.costs == expected
