"""身份证号 is personal data: nothing the tool writes about a plan holds one in full (WORKBOOK.md,
"Rosters as the registry exports them"). The planning workbook itself is the one exception: it is
the input, written back whole (`write_case`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from scheduler.audit import audit
from scheduler.domain import settings_from
from scheduler.domain.enums import PinAction
from scheduler.domain.personal import mask_id_number
from scheduler.explain.why import teacher_details, why_placed
from scheduler.export import plan_summary, write_plan_workbook
from scheduler.model import solve
from scheduler.rules.context import Context
from scheduler.samples import generate_case
from scheduler.workbook import read_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "registry_county.xlsx"
SEED = ROOT / "seeds" / "registry_county.toml"
#: an 18-character ID number: 17 digits and a digit or X, not part of a longer number
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MASKED = re.compile(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]")


def _cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_the_sample_roster_does_hold_full_id_numbers():
    """Guards the scans below: the input has an ID number on every teacher row."""
    assert sum(bool(FULL_ID.fullmatch(c)) for c in _cells(SAMPLE)) == len(read_paths([SAMPLE]).case.teachers)


def test_no_output_of_a_solve_holds_a_full_id_number(tmp_path):
    plan, summary = tmp_path / "plan.xlsx", tmp_path / "summary.json"
    solved = _run("solve", str(SAMPLE), "--out", str(plan), "--json", str(summary), "--time-limit", "20",
                  cwd=tmp_path)
    assert solved.returncode == 0, solved.stderr
    teacher = read_paths([SAMPLE]).case.teachers[0].teacher_id
    explained = _run("explain", str(SAMPLE), "--plan", str(plan), "--teacher", teacher, cwd=tmp_path)
    checked = _run("check", str(SAMPLE), cwd=tmp_path)
    audited = _run("audit", str(SAMPLE), str(plan), cwd=tmp_path)
    texts = {"solve stdout": solved.stdout, "solve stderr": solved.stderr, "explain": explained.stdout + explained.stderr,
             "check": checked.stdout + checked.stderr, "audit": audited.stdout + audited.stderr,
             "json": summary.read_text(encoding="utf-8"), **{f"plan cell {i}": c for i, c in enumerate(_cells(plan))}}
    assert json.loads(texts["json"])["placements"]
    leaks = {where: FULL_ID.findall(text) for where, text in texts.items() if FULL_ID.search(text)}
    assert leaks == {}


@pytest.fixture(scope="module")
def leaky():
    """The registry case with ID numbers where no alias catches them: an extra column 公民身份号码
    (passed through to the exports) and, for one county's habit, as 教师编号 of the pinned teacher."""
    case = generate_case(SEED)
    # the pinned teacher: surely placed, so in the placements of every output
    chosen = case.teacher(next(p.teacher_id for p in case.pins if p.action is PinAction.PIN))
    renamed = {chosen.teacher_id: chosen.id_number}
    teachers = [t.model_copy(update={"extra": {"公民身份号码": t.id_number},
                                     "teacher_id": renamed.get(t.teacher_id, t.teacher_id),
                                     "spouse_id": renamed.get(t.spouse_id, t.spouse_id)}) for t in case.teachers]
    pins = [p.model_copy(update={"teacher_id": renamed.get(p.teacher_id, p.teacher_id)}) for p in case.pins]
    leaky = case.model_copy(update={"teachers": teachers, "pins": pins})
    leaky = type(case).model_validate(leaky.model_dump())
    settings = settings_from(leaky.settings)
    plan = solve(leaky, settings.model_copy(update={"time_limit_s": 20.0}))
    assert chosen.id_number in plan.by_teacher()
    return leaky, settings, plan, leaky.teacher(chosen.id_number)


def test_extra_columns_and_ids_are_masked_in_every_sheet(leaky, tmp_path):
    case, settings, plan, chosen = leaky
    target = tmp_path / "plan.xlsx"
    write_plan_workbook(case, settings, plan, target, report=audit(case, settings, plan))
    cells = _cells(target)
    assert [c for c in cells if FULL_ID.search(c)] == []
    # the extra column is there, masked, on the placements sheet
    placements = openpyxl.load_workbook(target)["派出安排"]
    header = [c.value for c in placements[1]]
    column = header.index("公民身份号码")
    shown = [row[column] for row in placements.iter_rows(min_row=2, values_only=True) if row[0]]
    assert shown and all(MASKED.fullmatch(v) for v in shown)
    assert mask_id_number(chosen.id_number) in cells  # the teacher whose id is an ID number


def test_the_json_summary_masks_ids_used_as_teacher_ids(leaky):
    case, settings, plan, chosen = leaky
    text = json.dumps(plan_summary(case, settings, plan), ensure_ascii=False)
    assert FULL_ID.search(text) is None
    assert mask_id_number(chosen.id_number) in text


def test_teacher_details_show_the_id_masked(leaky):
    case, settings, plan, chosen = leaky
    ctx = Context(case, settings)
    teacher = chosen
    lines = [text.get(lang) for text in teacher_details(ctx, teacher) for lang in ("zh", "en")]
    assert not any(FULL_ID.search(line) for line in lines)
    assert sum(mask_id_number(teacher.id_number) in line for line in lines) >= 2
    for placement in plan.placements:
        assert not any(FULL_ID.search(t.get(lang)) for t in why_placed(ctx, plan, placement) for lang in ("zh", "en"))
