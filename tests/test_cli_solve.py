"""`python -m scheduler solve` and `audit`: files written, figures printed, exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from scheduler.cli import main
from scheduler.domain.settings import settings_from
from scheduler.rules.context import Context
from scheduler.domain.enums import PinAction
from scheduler.domain.models import Pin
from scheduler.workbook import read_paths, write_case

ROOT = Path(__file__).resolve().parent.parent
LUEYANG = ROOT / "sample_data" / "lueyang_county.xlsx"


@pytest.fixture(scope="module")
def case():
    return read_paths([LUEYANG]).case


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("solve")
    out, summary = folder / "plan.xlsx", folder / "summary.json"
    printed = io.StringIO()  # capsys is function-scoped; this fixture runs once for the module
    with contextlib.redirect_stdout(printed):
        code = main(["solve", str(LUEYANG), "--out", str(out), "--json", str(summary)])
    assert code == 0, printed.getvalue()
    return out, summary, printed.getvalue()


def test_solve_prints_progress_and_the_summary(solved):
    out, summary, printed = solved
    assert out.exists() and summary.exists()
    lines = printed.splitlines()
    assert lines[0].startswith("第1步/共4步：完成交流比例和骨干比例 · ") and "开始" in lines[0]
    assert any(line.startswith("第2步/共4步：填补学科缺口 · 已安排 ") for line in lines)
    assert any(line.startswith("每一步都已证明是最好的方案。（用时 ") for line in lines)
    assert "  第1步 完成交流比例和骨干比例：已证明最好" in lines
    assert not [line for line in lines if "下界" in line or "差距" in line or "level" in line]  # solver words
    for words in ("第2步 填补学科缺口", "派出", "交流比例：", "需求满足：", "音体美", "结对保持：", "审核：违反硬规则 0 处"):
        assert words in printed
    assert str(out) in printed and str(summary) in printed


def test_solve_json_matches_the_workbook(solved):
    out, summary, _ = solved
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert {"status", "gap", "placements", "quota", "unmet", "objective_levels"} <= set(data)
    assert data["status"] == "optimal" and data["gap"] == 0
    rows = list(openpyxl.load_workbook(out)["派出安排"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(data["placements"])
    assert {row[0] for row in rows} == {p["teacher_id"] for p in data["placements"]}


def test_audit_of_the_exported_plan_passes(solved, capsys):
    out, _, _ = solved
    assert main(["audit", str(LUEYANG), str(out)]) == 0
    assert "违反硬规则 0 处" in capsys.readouterr().out


def _move_to_an_unlinked_school(case, source: Path, target: Path) -> tuple[str, str]:
    """Copy the plan and send its first teacher to a school their home school is not linked with."""
    ctx = Context(case, settings_from(case.settings))
    book = openpyxl.load_workbook(source)
    sheet = book["派出安排"]
    column = {c.value: c.column for c in sheet[1]}
    teacher = case.teacher(sheet.cell(2, column["教师编号"]).value)
    school = next(s for s in case.schools
                  if s.school_id != teacher.school_id and not ctx.linked(teacher.school_id, s.school_id))
    sheet.cell(2, column["接收学校编号"]).value = school.school_id
    book.save(target)
    return teacher.name, school.name


def test_audit_of_a_hand_edited_plan_fails_and_names_who_and_where(solved, case, tmp_path, capsys):
    out, _, _ = solved
    edited = tmp_path / "edited.xlsx"
    teacher, school = _move_to_an_unlinked_school(case, out, edited)
    assert main(["audit", str(LUEYANG), str(edited)]) == 1
    printed = capsys.readouterr().out
    broken = [line for line in printed.splitlines() if line.startswith("[违反] 结对关系")]
    assert broken and teacher in broken[0] and school in broken[0]


def test_audit_command_exit_code_from_the_shell(solved, case, tmp_path):
    out, _, _ = solved
    edited = tmp_path / "edited.xlsx"
    teacher, school = _move_to_an_unlinked_school(case, out, edited)
    run = subprocess.run([sys.executable, "-m", "scheduler", "--lang", "en", "audit", str(LUEYANG), str(edited)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 1
    assert any(line.startswith("[broken] pairing links") and teacher in line and school in line
               for line in run.stdout.splitlines())


def test_set_accepts_chinese_keys_and_rule_modes(tmp_path, capsys):
    out, summary = tmp_path / "plan.xlsx", tmp_path / "summary.json"
    code = main(["solve", str(LUEYANG), "--out", str(out), "--json", str(summary), "--set", "交流比例=15%",
                 "--set", "rule:couples=off", "--time-limit", "20", "--lang", "en"])
    assert code == 0
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["settings"]["quota_rate"] == "0.15" and data["settings"]["time_limit_s"] == "20.0"
    assert data["rule_modes"]["couples"] == "off"
    printed = capsys.readouterr().out
    assert "Proven best on every step." in printed and "step 1 of 4: meet the rotation quota" in printed
    assert "settings_used" in openpyxl.load_workbook(out).sheetnames  # --lang after the command


@pytest.mark.parametrize("item, words", [
    ("no_such_key=1", "no_such_key"),
    ("quota_rate=lots", "quota_rate"),
    ("rule:eligibility=soft", "eligibility"),
    ("rule:nothing=hard", "nothing"),
    ("quota_rate", "key=value"),
])
def test_invalid_set_exits_2_with_a_clear_message(item, words, tmp_path, capsys):
    code = main(["--lang", "en", "solve", str(LUEYANG), "--out", str(tmp_path / "x.xlsx"), "--set", item])
    assert code == 2
    error = capsys.readouterr().err
    assert error.startswith("invalid --set") and words in error
    assert not (tmp_path / "x.xlsx").exists()


def test_workbook_with_errors_exits_1(tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    book = xlsxwriter.Workbook(str(broken))
    book.add_worksheet("教师").write_row(0, 0, ["教师编号", "姓名"])
    book.close()
    assert main(["solve", str(broken), "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "缺少必需的工作表" in capsys.readouterr().out
    assert not (tmp_path / "x.xlsx").exists()


def test_infeasible_case_exits_1(case, tmp_path, capsys):
    ctx = Context(case, settings_from(case.settings))
    teacher = next(t for t in case.teachers if not ctx.eligible(t) and t.teacher_id not in ctx.pinned)
    school = next(s for s in case.schools if s.school_id != teacher.school_id)
    pinned = case.model_copy(update={"pins": [*case.pins, Pin(teacher_id=teacher.teacher_id, action=PinAction.PIN,
                                                                school_id=school.school_id)]})
    path = tmp_path / "pinned.xlsx"
    write_case(pinned, path)
    assert main(["solve", str(path), "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "无可行方案" in capsys.readouterr().out


def _switch_pairing_off_in_the_plan(source: Path) -> None:
    """The plan's own 规则设置 sheet edited to 结对关系 = 关, as a hand-editor could."""
    book = openpyxl.load_workbook(source)
    sheet = book["规则设置"]
    column = {c.value: c.column for c in sheet[1]}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column["key"]).value == "rule:pairing")
    sheet.cell(row, column["值"]).value = "关"
    book.save(source)


def test_a_plan_cannot_switch_a_rule_off_for_its_own_audit(solved, case, tmp_path, capsys):
    out, _, _ = solved
    edited = tmp_path / "edited.xlsx"
    teacher, school = _move_to_an_unlinked_school(case, out, edited)
    _switch_pairing_off_in_the_plan(edited)
    assert main(["audit", str(LUEYANG), str(edited)]) == 1
    printed = capsys.readouterr().out
    assert "方案工作簿“规则设置”表记录的设置与规划工作簿不同，以下按规划工作簿（及 --set）审核：" in printed
    assert "  - 规则“结对关系”：方案中为“关”，规划工作簿为“硬”" in printed.splitlines()
    broken = [line for line in printed.splitlines() if line.startswith("[违反] 结对关系")]
    assert broken and teacher in broken[0] and school in broken[0]
    assert main(["--lang", "en", "audit", str(LUEYANG), str(edited)]) == 1
    assert "  - rule 'pairing links': 'off' in the plan, 'hard' in the planning workbook" in capsys.readouterr().out


def test_settings_the_plan_was_made_with_are_compared_not_used(case, tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    assert main(["solve", str(LUEYANG), "--out", str(out), "--set", "交流比例=15%", "--time-limit", "30"]) == 0
    capsys.readouterr()
    main(["audit", str(LUEYANG), str(out)])
    printed = capsys.readouterr().out
    assert "  - 交流比例：方案中为“0.15”，规划工作簿为“0.1”" in printed.splitlines()
    assert "求解时限秒" not in printed  # how long the search ran does not change what the rules ask
    main(["audit", str(LUEYANG), str(out), "--set", "quota_rate=0.15"])
    assert "规则设置" not in capsys.readouterr().out  # the same settings: nothing to say


def test_each_step_ends_on_its_last_word_before_the_next_starts(tmp_path):
    """Progress lines are at most one a second; a step proven within that second still gets its
    proven line before the next step's first, so the terminal never shows a step "至多差 35%" that
    the summary then calls proven."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["solve", str(ROOT / "sample_data" / "datong_city.xlsx"), "--out", str(tmp_path / "p.xlsx")])
    assert code == 0
    lines = out.getvalue().splitlines()
    assert "每一步都已证明是最好的方案" in out.getvalue()
    steps = [line for line in lines if line.startswith("第") and "步/共" in line]
    ends = [before for before, after in zip(steps, steps[1:]) if after.endswith("秒") and " · 开始 · " in after]
    assert len(ends) == 3  # steps 1–3, each followed by the next one's start
    assert all("已证明最好" in line for line in ends), ends
