"""`--rules FILE` on check, solve, audit and explain: the rules file's settings under --set, its
column mapping for reading a roster whose headers are the county's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.config.rules_file import dump_settings, load_rules
from scheduler.domain.settings import DEFAULTS, settings_with
from workbook_builder import minimal, xlsx_bytes

#: headers no alias knows: the county's own words for 教师编号 and 本校任教年限
RENAMED = {"教师编号": "教师的内部代码", "本校任教年限": "在本校的任教年头"}
MAPPING = {"teachers": {"teacher_id": "教师的内部代码", "years_at_school": "在本校的任教年头"}}


def renamed_roster() -> bytes:
    sheets = minimal()
    sheets["教师"][0] = [RENAMED.get(h, h) for h in sheets["教师"][0]]
    return xlsx_bytes(sheets)


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    roster, rules = tmp_path / "名册.xlsx", tmp_path / "规划规则.json"
    roster.write_bytes(renamed_roster())
    settings = settings_with(DEFAULTS, {"min_years": 7, "quota_rate": 0.15})
    rules.write_text(dump_settings(settings, MAPPING), encoding="utf-8")
    return roster, rules


def test_a_rules_file_keeps_its_column_mapping_and_an_old_one_without_it_still_loads():
    found = load_rules(dump_settings(DEFAULTS, MAPPING))
    assert found.problems == [] and found.columns == MAPPING
    old = load_rules(json.dumps({"format": "teacher-exchange-settings/1", "settings": {"min_years": "9"}}))
    assert old.problems == [] and old.columns == {} and [e.key for e in old.entries] == ["min_years"]
    assert "columns" not in json.loads(dump_settings(DEFAULTS))


def test_a_rules_file_may_name_sheets_and_fields_in_chinese():
    found = load_rules(json.dumps({"settings": {}, "columns": {"教师": {"教师编号": "工作证号码"}}}, ensure_ascii=False))
    assert found.problems == [] and found.columns == {"teachers": {"teacher_id": "工作证号码"}}


@pytest.mark.parametrize("columns, words", [
    ({"老师": {"teacher_id": "A"}}, "没有名为“老师”的工作表"),
    ({"teachers": {"no_such_field": "A"}}, "没有字段“no_such_field”"),
    ({"teachers": {"teacher_id": ""}}, "表头应为"),
    ({"teachers": {"teacher_id": "A", "name": "A"}}, "同时对应"),
    ({"teachers": ["A"]}, "字段: 表头"),
    (["A"], "columns"),
])
def test_a_bad_column_mapping_is_a_problem_in_both_languages(columns, words):
    found = load_rules(json.dumps({"settings": {}, "columns": columns}, ensure_ascii=False))
    assert len(found.problems) == 1 and words in found.problems[0].get("zh"), found.problems
    assert found.problems[0].get("en") and found.problems[0].get("en") != found.problems[0].get("zh")


def test_check_reads_the_renamed_roster_only_with_the_rules_file(files, capsys):
    roster, rules = files
    assert main(["check", str(roster)]) == 1
    out = capsys.readouterr().out
    assert "“教师”表“教师编号”（teacher_id）" in out and '"columns": ' in out, out
    assert main(["check", str(roster), "--rules", str(rules)]) == 0
    assert "教师 2 名" in capsys.readouterr().out


def test_solve_takes_the_rules_files_settings_under_set(files, tmp_path, capsys):
    roster, rules = files
    out, summary = tmp_path / "plan.xlsx", tmp_path / "s.json"
    assert main(["solve", str(roster), "--rules", str(rules), "--set", "quota_rate=0.2",
                 "--out", str(out), "--json", str(summary)]) == 0, capsys.readouterr()
    used = json.loads(summary.read_text(encoding="utf-8"))["settings"]
    assert used["min_years"] == "7", "the rules file's setting is used"
    assert float(used["quota_rate"]) == pytest.approx(0.2), "--set wins over the rules file"
    assert main(["audit", str(roster), str(out), "--rules", str(rules)]) == 0
    assert main(["explain", str(roster), "--rules", str(rules), "--plan", str(out)]) == 0
    assert "求解前检查" in capsys.readouterr().out


def test_a_refused_or_missing_rules_file_stops_the_command_before_reading(files, tmp_path, capsys):
    roster, _ = files
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"settings": {"quota_rate": "abc"}, "columns": {"老师": {}}}, ensure_ascii=False),
                   encoding="utf-8")
    assert main(["solve", str(roster), "--rules", str(bad), "--out", str(tmp_path / "p.xlsx")]) == 2
    err = capsys.readouterr().err
    assert f"规则文件“{bad}”未采用" in err and "没有名为“老师”的工作表" in err, err
    assert not (tmp_path / "p.xlsx").exists()
    assert main(["--lang", "en", "check", str(roster), "--rules", str(tmp_path / "none.json")]) == 2
    assert "rules file" in capsys.readouterr().err
