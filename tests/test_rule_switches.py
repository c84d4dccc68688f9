"""Which setting decides a rule's switch (scheduler/rules/switches.py), derived from the rules' own
default modes: the Rules page keeps the two as one choice with it."""

from __future__ import annotations

from scheduler.domain.enums import PairingMode
from scheduler.domain.settings import DEFAULTS
from scheduler.rules import RULE_BY_ID
from scheduler.rules.switches import following, setting_for


def test_pairing_mode_decides_the_pairing_switch_and_each_mode_has_its_value():
    pairing = RULE_BY_ID["pairing"]
    assert pairing in following("pairing_mode", DEFAULTS)
    assert setting_for(pairing, "off", DEFAULTS) == ("pairing_mode", PairingMode.ANY)
    assert setting_for(pairing, "soft", DEFAULTS) == ("pairing_mode", PairingMode.PREFER)
    assert setting_for(pairing, "hard", DEFAULTS) == ("pairing_mode", PairingMode.STRICT)


def test_a_setting_that_decides_no_switch_follows_nothing():
    assert following("min_years", DEFAULTS) == []
    assert not any(rule.id == "pairing" for rule in following("quota_rate", DEFAULTS))


def test_a_mode_no_setting_gives_has_no_value():
    """交流比例 switched off: no value of its settings says that, so the switch keeps it as its own."""
    quota = RULE_BY_ID["quota"]
    assert setting_for(quota, "off", DEFAULTS) is None
