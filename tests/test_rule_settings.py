"""Each rule names the settings that shape it (`Rule.settings_keys`): the names must be real, and a
setting no rule claims is either one of the solver's own or a setting nobody reads."""

from scheduler.domain.settings import Settings
from scheduler.rules import RULES

#: settings of the search itself, not of any rule
SOLVER = {"time_limit_s", "seed", "workers", "rule_modes"}
#: settings of the published documents (scheduler.publish: the issuing body and the 公示 period they
#: print), not of the plan: no rule and not the solver reads them
PUBLISHING = {"issuer", "notice_days"}


def test_every_key_a_rule_names_is_a_setting():
    unknown = [(rule.id, key) for rule in RULES for key in rule.settings_keys if key not in Settings.model_fields]
    assert unknown == []


def test_every_setting_is_read_by_a_rule_or_by_the_solver():
    claimed = {key for rule in RULES for key in rule.settings_keys}
    assert set(Settings.model_fields) - claimed - SOLVER - PUBLISHING == set()
    assert not claimed & SOLVER
    assert not claimed & PUBLISHING
