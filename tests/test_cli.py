"""The command line as a planner's IT colleague would use it: check, generate, template."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.workbook import read_paths
from workbook_builder import minimal, set_cell, xlsx_bytes

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "lueyang_county.xlsx"
COUNTS = re.compile(r"教师 \d+ 名，学校 \d+ 所")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scheduler", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_check_accepts_a_sample_and_prints_the_counts():
    case = read_paths([SAMPLE]).case
    assert case is not None
    result = run("check", SAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个错误" in result.stdout or "未发现问题" in result.stdout
    assert f"教师 {len(case.teachers)} 名" in result.stdout
    assert f"学校 {len(case.schools)} 所" in result.stdout
    assert f"需求 {len(case.demands)} 行" in result.stdout


def test_check_reports_the_broken_cell_in_chinese_and_fails(tmp_path):
    sheets = minimal()
    set_cell(sheets, "教师", 3, "学校编号", "S9")
    broken = tmp_path / "名册.xlsx"
    broken.write_bytes(xlsx_bytes(sheets))
    result = run("check", broken)
    assert result.returncode == 1
    assert "1 个错误" in result.stdout
    assert "“教师”表，第3行，“学校编号”列" in result.stdout
    assert "学校编号“S9”不在“学校”表中" in result.stdout
    assert not COUNTS.search(result.stdout)  # no counts: there is no case


def test_check_in_english(tmp_path):
    sheets = minimal()
    set_cell(sheets, "需求", 2, "人数", -3)
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(xlsx_bytes(sheets))
    result = run("--lang", "en", "check", broken)
    assert result.returncode == 1
    assert "sheet demand, row 2, column count: '-3' must not be negative" in result.stdout


def test_warnings_alone_do_not_fail_the_check(tmp_path):
    sheets = minimal()
    del sheets["结对"]  # the demand school has no link: a warning under strict pairing
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(sheets))
    result = run("check", path)
    assert result.returncode == 0, result.stdout
    assert "0 个错误，1 个警告" in result.stdout
    assert COUNTS.search(result.stdout).group() == "教师 2 名，学校 2 所"


def test_generate_writes_a_workbook_check_accepts_and_is_deterministic(tmp_path):
    seed = REPO / "seeds" / "lueyang_county.toml"
    first, second = tmp_path / "a.xlsx", tmp_path / "b" / "b.xlsx"
    for out in (first, second):
        result = run("generate", seed, "--out", out)
        assert result.returncode == 0, result.stderr
        assert out.exists()
    checked = run("check", first)
    assert checked.returncode == 0, checked.stdout
    one, two = read_paths([first]), read_paths([second])
    assert one.report.problems == [] and two.report.problems == []
    assert one.case == two.case
    assert f"教师 {len(one.case.teachers)} 名" in result.stdout


@pytest.mark.slow
def test_generate_at_a_larger_scale_has_more_teachers(tmp_path):
    seed = REPO / "seeds" / "lueyang_county.toml"
    small, large = tmp_path / "x1.xlsx", tmp_path / "x2.xlsx"
    assert run("generate", seed, "--out", small).returncode == 0
    assert run("generate", seed, "--out", large, "--scale", "2").returncode == 0
    teachers_small = len(read_paths([small]).case.teachers)
    teachers_large = len(read_paths([large]).case.teachers)
    assert 1.5 * teachers_small < teachers_large < 2.5 * teachers_small


def test_template_writes_the_blank_workbook(tmp_path):
    out = tmp_path / "模板.xlsx"
    result = run("template", "--out", out)
    assert result.returncode == 0, result.stderr
    names = load_workbook(out, read_only=True).sheetnames
    assert names == ["说明", "教师", "学校", "结对", "需求", "锁定", "设置", "交流记录"]
    assert {p.code for p in read_paths([out]).report.problems} == {"empty_sheet"}


def test_generate_writes_a_registry_seed_as_the_registry_exports_it(tmp_path):
    """`make sample` goes through this: the registry sample must come out as its 花名册, not in the template layout."""
    out = tmp_path / "registry.xlsx"
    done = subprocess.run([sys.executable, "-m", "scheduler", "generate", str(REPO / "seeds" / "registry_county.toml"),
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "花名册" in load_workbook(out, read_only=True).sheetnames
    committed = read_paths([REPO / "sample_data" / "registry_county.xlsx"]).case
    assert read_paths([out]).case == committed


def test_template_offers_the_registry_layout(tmp_path):
    out = tmp_path / "t.xlsx"
    done = subprocess.run([sys.executable, "-m", "scheduler", "template", "--layout", "registry", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    names = load_workbook(out, read_only=True).sheetnames
    assert names[0] == "说明" and "花名册" in names and "教师" not in names


def test_explain_teacher_shows_the_date_and_the_years_that_decide_eligibility():
    case = read_paths([REPO / "sample_data" / "registry_county.xlsx"]).case
    teacher = next(t for t in case.teachers if t.joined_school is not None and t.id_number)
    done = subprocess.run([sys.executable, "-m", "scheduler", "explain", str(REPO / "sample_data" / "registry_county.xlsx"),
                           "--teacher", teacher.teacher_id], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    details = done.stdout.split(f"== {teacher.name} ==", 1)[1]
    joined = teacher.joined_school
    assert f"{joined.year}年{joined.month}月进本校" in details
    assert f"在本校任教{teacher.years_at_school}年" in details
    assert teacher.id_number not in done.stdout and teacher.id_number[:6] + "********" in details
