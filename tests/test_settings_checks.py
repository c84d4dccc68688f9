"""One check of a setting, whether it is written in the 设置 sheet, on the command line or in a rules file.

Each case is checked in all three places, in both languages, with the sheet's Excel row.
"""

from __future__ import annotations

import json

import pytest

from scheduler.domain.settings import MAX_SEED, Settings, settings_from
from scheduler.config.overrides import OverrideError, parse_override, parse_overrides
from scheduler.config.rules_file import dump_settings, load_settings
from workbook_builder import located, minimal, read_sheets

# (key, value, code): every one of these passed one of the three places before, or crashed.
REFUSED = [
    ("规则:need", "硬", "rule_mode"),  # need is soft / off only
    ("rule:unknown", "hard", "unknown_rule"),
    ("rule:eligibility", "soft", "rule_mode"),
    ("随机种子", "99999999999", "bad_setting"),  # CP-SAT's random_seed is an int32
    ("最低任教年限", "1e400", "bad_setting"),
    ("男教师年龄上限", "1e400", "bad_setting"),
    ("女教师年龄上限", "45.5", "bad_setting"),
    ("交流比例", "nan", "bad_setting"),
    ("求解时限秒", "inf", "bad_setting"),
    ("音体美权重", "1e400", "bad_setting"),
    ("求解线程数", "1e400", "bad_setting"),
]


def sheet_with(*rows: tuple[str, str]):
    sheets = minimal()
    sheets["设置"] = [["参数", "值"], *map(list, rows)]
    return read_sheets(sheets)


@pytest.mark.parametrize("key, value, code", REFUSED)
def test_the_settings_sheet_refuses_it_at_its_row(key, value, code):
    loaded = sheet_with(("交流比例", "0.1"), (key, value))
    assert [(p.code, p.sheet, p.row) for p in loaded.report.errors] == [(code, "settings", 3)]
    problem = loaded.report.errors[0]
    zh, en = problem.message("zh"), problem.message("en")
    shown = key.split(":")[1] if code == "unknown_rule" else value
    assert shown in zh and shown in en and problem.value == shown
    assert not any(word in zh for word in ("Input should", "expected", "hard / soft")), zh  # no English inside
    assert loaded.case is None


@pytest.mark.parametrize("key, value, code", REFUSED)
def test_the_command_line_refuses_it_in_the_same_words(key, value, code):
    with pytest.raises(OverrideError) as refused:
        parse_override(f"{key}={value}")
    sheet = sheet_with((key, value)).report.errors[0]
    assert refused.value.text.zh == sheet.message("zh") and refused.value.text.en == sheet.message("en")


@pytest.mark.parametrize("key, value, code", REFUSED)
def test_the_rules_file_refuses_it_in_the_same_words(key, value, code):
    values, problems = load_settings(json.dumps({"settings": {"quota_rate": "0.15", key: value}}))
    sheet = sheet_with((key, value)).report.errors[0]
    assert [(p.zh, p.en) for p in problems] == [(sheet.message("zh"), sheet.message("en"))]
    assert values == {"quota_rate": "0.15"}


def test_bad_setting_gives_a_chinese_reason_in_chinese():
    problem = sheet_with(("交流比例", "很多"),).report.errors[0]
    assert problem.message("zh") == "参数“交流比例”的值“很多”无效：应为 0 到 1 之间的比例，如 0.1 或 10%"
    assert problem.message("en") == "setting '交流比例' has an invalid value '很多': expected a share from 0 to 1, e.g. 0.1 or 10%"
    assert "Input should" not in problem.message("zh")


def test_a_horizon_that_ends_before_it_starts_is_refused_everywhere():
    loaded = sheet_with(("规划开始学期", "2027秋"), ("规划结束学期", "2026秋"))
    assert located(loaded) == [("error", "horizon_order", "settings", 3, "value", "2026秋")]
    assert "2027秋 晚于规划结束学期 2026秋" in loaded.report.errors[0].message("zh")
    with pytest.raises(OverrideError, match="after it ends"):
        parse_overrides(["horizon_from=2027-fall", "horizon_to=2026-fall"])
    _, problems = load_settings(json.dumps({"settings": {"horizon_from": "2027秋", "horizon_to": "2026秋"}}))
    assert len(problems) == 1 and "晚于" in problems[0].zh
    with pytest.raises(ValueError):  # and no Settings can hold it, whoever builds one
        settings_from({"horizon_from": "2027秋", "horizon_to": "2026秋"})


def test_values_that_are_fine_still_pass():
    loaded = sheet_with(("规则:need", "关"), ("rule:pairing", "软"), ("随机种子", str(MAX_SEED)),
                        ("男教师年龄上限", "50"), ("规划开始学期", "2026秋"), ("规划结束学期", "2026秋"))
    assert loaded.report.errors == [], loaded.report.text("en")
    settings = settings_from(loaded.case.settings)
    assert settings.rule_modes == {"need": "off", "pairing": "soft"}
    assert settings.seed == MAX_SEED and settings.max_age_male == 50
    assert parse_override("规则:学科需求=关") == ("rule:need", "off")  # a rule by its Chinese name


def test_a_seed_cp_sat_would_reject_never_reaches_it():
    with pytest.raises(ValueError):
        Settings(seed=MAX_SEED + 1)


def test_a_saved_rules_file_loads_back_without_problems():
    saved = dump_settings(settings_from({"quota_rate": "0.15", "rule:couples": "off", "max_age_male": "50"}))
    values, problems = load_settings(saved)
    assert problems == []
    assert settings_from(values) == settings_from({"quota_rate": "0.15", "rule:couples": "off", "max_age_male": "50"})


@pytest.mark.parametrize("text", ["not json", b"\xff\xfe\x00", "[1, 2]", '{"settings": [1]}', '{"format": 1}'])
def test_what_is_not_a_rules_file_says_so_in_both_languages(text):
    values, problems = load_settings(text)
    assert values == {} and len(problems) == 1
    assert problems[0].get("zh").startswith("这不是规则文件") and problems[0].get("en").startswith("not a rules file")
