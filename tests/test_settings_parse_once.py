"""Settings are parsed once, at the boundary, into one `Settings` that everything downstream takes.

The 设置 sheet, --set and the rules file go through the same two steps (check_entry, settings_of),
so the same text gives the same Settings in all three; exports and the audit refuse to guess
settings from a case.
"""

from __future__ import annotations

import json

import pytest

from scheduler.config.overrides import OverrideError, override_entries
from scheduler.config.rules_file import load_entries
from scheduler.domain.enums import PairingMode
from scheduler.domain.settings import DEFAULTS, Settings, setting_info, setting_names, settings_from, settings_with
from scheduler.domain.terms import Term
from scheduler.workbook.setting_checks import SettingsClash, check_entry, settings_of
from workbook_builder import minimal, read_sheets

ROWS = [("交流比例", "15%"), ("pairing_mode", "优先"), ("规则:couples", "关"), ("规划开始学期", "2026秋"),
        ("max_age_male", "50"), ("派出学校类型", "城区、镇区"), ("rule:pairing", "soft")]


def _sheet(rows):
    sheets = minimal()
    sheets["设置"] = [["参数", "值"], *map(list, rows)]
    return read_sheets(sheets)


def test_the_sheet_the_command_line_and_the_rules_file_give_the_same_settings():
    loaded = _sheet(ROWS)
    assert loaded.report.errors == [], loaded.report.text("en")
    from_cli = settings_of(override_entries([f"{k}={v}" for k, v in ROWS]))
    entries, problems = load_entries(json.dumps({"settings": dict(ROWS)}, ensure_ascii=False))
    assert problems == []
    assert loaded.settings == from_cli == settings_of(entries)
    assert loaded.settings.quota_rate == pytest.approx(0.15) and loaded.settings.pairing_mode is PairingMode.PREFER
    assert loaded.settings.rule_modes == {"couples": "off", "pairing": "soft"}
    # the case keeps the sheet's text (to be written back as it was); read alone it means the same
    assert settings_from(loaded.case.settings) == loaded.settings


def test_an_entry_carries_its_parsed_value():
    assert check_entry("规划开始学期", "2026秋").parsed == Term(year=2026, season="fall")
    assert check_entry("交流比例", "10%").parsed == pytest.approx(0.1)
    assert check_entry("规则:学科需求", "关").parsed == "off"
    assert check_entry("交流比例", "").given is False  # an empty row means the default
    assert check_entry("交流比例", "abc").given is False


def test_overrides_go_on_top_of_the_workbook_and_clash_in_the_planners_words():
    base = _sheet([("规划开始学期", "2027秋")]).settings
    assert base.horizon_from == Term(year=2027, season="fall")
    on_top = settings_of(override_entries(["min_years=9"]), base)
    assert on_top.min_years == 9 and on_top.horizon_from == base.horizon_from
    with pytest.raises(SettingsClash) as clash:
        settings_of(override_entries(["规划结束学期=2026秋"]), base)
    assert "规划开始学期" in clash.value.text.zh and "horizon" in clash.value.text.en


def test_a_rule_mode_the_rule_does_not_allow_is_refused_everywhere():
    assert [p.code for p in _sheet([("规则:need", "硬")]).report.errors] == ["rule_mode"]
    with pytest.raises(OverrideError):
        override_entries(["规则:need=硬"])
    assert load_entries(json.dumps({"settings": {"规则:need": "硬"}}))[1]


def test_settings_with_drops_nothing():
    with pytest.raises(ValueError):
        settings_with(DEFAULTS, {"no_such_setting": 1})
    assert settings_with(DEFAULTS, {"max_age_male": 50}).max_age_male == 50
    assert settings_with(Settings(max_age_male=50), {"max_age_male": None}).max_age_male is None


@pytest.mark.parametrize("name", setting_names())
def test_every_setting_has_its_metadata(name):
    info = setting_info(name)
    assert info["zh_key"] and info["zh"] and info["en"] and isinstance(info["group"], str)
    assert isinstance(info["ui"], dict)


def test_exports_and_the_audit_take_settings_and_never_guess_them():
    from scheduler.audit import audit
    from scheduler.export import plan_summary, write_plan_workbook
    from scheduler.plan import Plan

    case = _sheet([]).case
    plan = Plan([], "optimal")
    with pytest.raises(TypeError):
        plan_summary(case, None, plan)
    with pytest.raises(TypeError):
        write_plan_workbook(case, None, plan, "never-written.xlsx")
    with pytest.raises(TypeError):
        audit(case, None, plan)
