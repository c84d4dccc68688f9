"""`python -m scheduler history PLAN --into WORKBOOK --out NEXT`: next year's workbook, this year's
placements appended to its 交流记录; the inputs never change, --out is never one of them."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.cli import main
from scheduler.domain.settings import settings_from
from scheduler.export import write_plan_workbook
from scheduler.model import solve
from scheduler.rules.context import Context
from scheduler.workbook import read_paths
from workbook_builder import minimal, xlsx_bytes

REPO = Path(__file__).resolve().parents[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def year_one(tmp_path) -> tuple[Path, Path]:
    """This year's workbook (one earlier record, of T2) and its solved plan (T1 to S2, 2026秋–2027春)."""
    sheets = minimal()
    sheets["需求"][0].append("交流方式")
    sheets["需求"][1].append("支教")
    sheets["交流记录"] = [["教师编号", "交流学校编号", "开始学期", "结束学期", "交流方式", "备注"],
                          ["T2", "S2", "2019秋", "2020春", "支教", "首次"]]
    workbook = tmp_path / "2026.xlsx"
    workbook.write_bytes(xlsx_bytes(sheets))
    loaded = read_paths([workbook])
    assert loaded.ok, loaded.report.text("en")
    settings = settings_from(loaded.case.settings)
    plan = solve(loaded.case, settings)
    assert [(p.teacher_id, p.school_id) for p in plan.placements] == [("T1", "S2")]
    plan_path = tmp_path / "plan.xlsx"
    write_plan_workbook(loaded.case, settings, plan, plan_path)
    return workbook, plan_path


def test_next_years_workbook_has_the_placements_appended_and_the_inputs_are_untouched(year_one, tmp_path, capsys):
    workbook, plan = year_one
    before = (_digest(workbook), _digest(plan))
    out = tmp_path / "2027.xlsx"
    assert main(["history", str(plan), "--into", str(workbook), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "交流记录原有 1 条，新增 1 条" in said
    assert (_digest(workbook), _digest(plan)) == before
    loaded = read_paths([out])
    assert loaded.ok and loaded.report.problems == [], loaded.report.text("en")
    old, new = loaded.case.history
    assert (old.teacher_id, old.from_term.label(), old.form, old.extra["备注"]) == ("T2", "2019秋", "支教", "首次")
    assert (new.teacher_id, new.host_school_id, new.host_school, new.from_term.label(), new.to_term.label(),
            new.terms, new.form) == ("T1", "S2", "白水江小学", "2026秋", "2027春", 2, "支教")
    original = read_paths([workbook]).case
    assert loaded.case.teachers == original.teachers and loaded.case.demands == original.demands
    assert loaded.case.settings == original.settings

    # Again, onto its own previous output: allowed, and nothing is added twice.
    assert main(["history", str(plan), "--into", str(out), "--out", str(tmp_path / "again.xlsx")]) == 0
    assert "1 条安排已在交流记录中" in capsys.readouterr().out
    assert len(read_paths([tmp_path / "again.xlsx"]).case.history) == 2
    assert main(["history", str(plan), "--into", str(workbook), "--out", str(out)]) == 0  # re-run replaces it


def test_the_next_year_rests_the_teachers_just_back(year_one, tmp_path):
    """The point of it: next year's workbook, with 交流间隔年数, keeps this year's teachers home."""
    workbook, plan = year_one
    out = tmp_path / "2027.xlsx"
    assert main(["history", str(plan), "--into", str(workbook), "--out", str(out)]) == 0
    case = read_paths([out]).case
    ctx = Context(case, settings_from({"horizon_from": "2027秋", "horizon_to": "2028春", "rest_years": "2"}))
    assert not ctx.eligible(case.teacher("T1")) and ctx.eligible(case.teacher("T2"))


@pytest.mark.parametrize("target", ["workbook", "plan"])
def test_out_equal_to_an_input_is_refused_with_exit_2(year_one, target, capsys):
    workbook, plan = year_one
    before = (_digest(workbook), _digest(plan))
    out = workbook if target == "workbook" else plan
    assert main(["history", str(plan), "--into", str(workbook), "--out", str(out)]) == 2
    assert "就是输入文件" in capsys.readouterr().err
    assert (_digest(workbook), _digest(plan)) == before


def test_an_existing_file_of_another_kind_needs_force(year_one, tmp_path, capsys):
    workbook, plan = year_one
    other = tmp_path / "notes.xlsx"
    other.write_bytes(xlsx_bytes({"笔记": [["a"]]}))
    assert main(["history", str(plan), "--into", str(workbook), "--out", str(other)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["history", str(plan), "--into", str(workbook), "--out", str(other), "--force"]) == 0


def test_missing_inputs_and_the_same_file_twice_exit_2_in_english(year_one, tmp_path, capsys):
    workbook, plan = year_one
    out = tmp_path / "next.xlsx"
    assert main(["--lang", "en", "history", str(tmp_path / "none.xlsx"), "--into", str(workbook),
                 "--out", str(out)]) == 2
    assert "no such plan workbook" in capsys.readouterr().err
    assert main(["history", str(plan), "--into", str(plan), "--out", str(out), "--lang", "en"]) == 2
    assert "the same file" in capsys.readouterr().err
    assert not out.exists()


def test_a_plan_with_errors_writes_nothing(year_one, tmp_path, capsys):
    workbook, plan = year_one
    book = load_workbook(plan)
    sheet = book["派出安排"]
    sheet.cell(row=2, column=8).value = "2026冬"  # 开始学期
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    out = tmp_path / "next.xlsx"
    assert main(["history", str(broken), "--into", str(workbook), "--out", str(out)]) == 1
    assert "未写出" in capsys.readouterr().err
    assert not out.exists()


def test_the_command_runs_as_a_process(year_one, tmp_path):
    workbook, plan = year_one
    out = tmp_path / "next.xlsx"
    done = subprocess.run([sys.executable, "-m", "scheduler", "--lang", "en", "history", str(plan), "--into",
                           str(workbook), "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "the history had 1 record(s), 1 added" in done.stdout
    assert len(read_paths([out]).case.history) == 2
