"""The pins table of the Rules page: choices by name, empty cells, and the round trip to pins."""

from __future__ import annotations

from pathlib import Path

from scheduler.domain.enums import PinAction
from scheduler.present.pins_table import NONE, pins_from_rows, pins_to_rows, school_choice, teacher_choice
from scheduler.workbook import read_paths

CASE = read_paths([Path(__file__).resolve().parents[1] / "sample_data" / "lueyang_county.xlsx"]).case


def test_the_sample_pins_go_to_rows_and_back_unchanged():
    assert {p.action for p in CASE.pins} == set(PinAction)
    for lang in ("zh", "en"):
        assert pins_from_rows(CASE, pins_to_rows(CASE, CASE.pins, lang)) == (CASE.pins, [])


def test_rows_name_the_teacher_and_school_and_show_no_none():
    rows = pins_to_rows(CASE, CASE.pins)
    exclude = next(r for r, p in zip(rows, CASE.pins) if p.action is PinAction.EXCLUDE)
    teacher = CASE.teacher(next(p.teacher_id for p in CASE.pins if p.action is PinAction.EXCLUDE))
    assert exclude["teacher"].startswith(f"{teacher.name}（{teacher.teacher_id}，")
    assert exclude["school"] == NONE and exclude["start_term"] == NONE


def test_empty_cells_from_the_grid_are_empty_not_the_word_nan():
    teacher, school = CASE.teachers[5], CASE.schools[10]
    rows = [{"teacher": teacher_choice(CASE, teacher.teacher_id), "school": school_choice(CASE, school.school_id),
             "action": "禁止", "start_term": float("nan")},
            {"teacher": teacher.teacher_id, "school": None, "action": "禁止交流", "start_term": None},
            {"teacher": None, "school": float("nan"), "action": None, "start_term": float("nan")}]
    pins, problems = pins_from_rows(CASE, rows)
    assert problems == []
    assert [(p.action, p.school_id, p.start_term) for p in pins] == [
        (PinAction.FORBID, school.school_id, None), (PinAction.EXCLUDE, None, None)]


def test_problems_name_the_row_and_what_to_fix():
    rows = [{"teacher": "T-NOBODY", "action": "锁定", "start_term": "2026秋"},
            {"teacher": CASE.teachers[0].teacher_id, "action": "禁止", "school": NONE},
            {"teacher": CASE.teachers[0].teacher_id, "action": "锁定", "school": CASE.schools[3].school_id,
             "start_term": "明年"}]
    pins, problems = pins_from_rows(CASE, rows)
    assert pins == []
    assert [p.zh for p in problems] == ["第1行：教师“T-NOBODY”不在名册中", "第1行：锁定需要选择学校",
                                        "第2行：禁止需要选择学校", "第3行：无法识别学期“明年”"]
