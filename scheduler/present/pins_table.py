"""Pins edited as a table (the Rules page): rows of text to `Pin`s, with every problem named.

A planner picks teachers and schools by name; each choice carries the id beside the name
(`陈慧丹（T000001，城关一小）`), since two teachers may share a name. A bare id, as pasted from
the workbook, is read as well.
"""

from __future__ import annotations

import math

from ..domain.enums import PinAction
from ..domain.models import Case, Pin
from ..domain.personal import mask_id_number
from ..domain.terms import Term
from ..rules.base import Text

COLUMNS = ("teacher", "school", "action", "start_term")
#: an empty choice (no school for an exclusion, no start term): the grid would show a blank one as "None"
NONE = "—"


def teacher_choice(case: Case, teacher_id: str) -> str:
    teacher = case.teacher(teacher_id)
    home = case.school(teacher.school_id).name if case.has_school(teacher.school_id) else teacher.school_id
    # A county whose teacher ids are ID numbers sees them masked; the choice still names one teacher.
    return mask_id_number(f"{teacher.name}（{teacher.teacher_id}，{home}）")


def school_choice(case: Case, school_id: str) -> str:
    return f"{case.school(school_id).name}（{school_id}）"


def teacher_choices(case: Case) -> list[str]:
    return [teacher_choice(case, t.teacher_id) for t in case.teachers]


def school_choices(case: Case) -> list[str]:
    return [NONE] + [school_choice(case, s.school_id) for s in case.schools]


def _cell(value: object) -> str:
    """The text of an editor cell; an empty cell arrives as None or NaN, never as the word 'nan'."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == NONE:
        return ""
    return str(value).strip()


def pins_from_rows(case: Case, rows: list[dict[str, object]]) -> tuple[list[Pin], list[Text]]:
    """Rows with teacher, school, action, start_term (choices or ids) → pins, problems (row numbers from 1)."""
    teachers = {teacher_choice(case, t.teacher_id): t.teacher_id for t in case.teachers}
    schools = {school_choice(case, s.school_id): s.school_id for s in case.schools}
    pins, problems = [], []
    for number, row in enumerate(rows, start=1):
        teacher_text, school_text = _cell(row.get("teacher")), _cell(row.get("school"))
        action_text, term_text = _cell(row.get("action")), _cell(row.get("start_term"))
        if not teacher_text and not school_text and not action_text:
            continue  # an empty row the editor added
        found = []
        teacher = teachers.get(teacher_text, teacher_text)
        if not teacher_text:
            found.append(Text(f"第{number}行：请选择教师", f"row {number}: pick a teacher"))
        elif not case.has_teacher(teacher):
            found.append(Text(f"第{number}行：教师“{teacher_text}”不在名册中",
                              f"row {number}: teacher {teacher_text!r} is not in the roster"))
        school = schools.get(school_text, school_text) or None
        if school is not None and not case.has_school(school):
            found.append(Text(f"第{number}行：学校“{school_text}”不存在", f"row {number}: school {school_text!r} does not exist"))
        try:
            action = PinAction.parse(action_text)
        except ValueError:
            action = None
            found.append(Text(f"第{number}行：操作应为 锁定/禁止/禁止交流", f"row {number}: action must be pin, forbid or exclude"))
        if action in (PinAction.PIN, PinAction.FORBID) and school is None:
            found.append(Text(f"第{number}行：{action.zh}需要选择学校", f"row {number}: {action.en} needs a school"))
        start = None
        if term_text:
            try:
                start = Term.parse(term_text)
            except ValueError:
                found.append(Text(f"第{number}行：无法识别学期“{term_text}”", f"row {number}: cannot read the term {term_text!r}"))
        if found:
            problems.extend(found)
            continue
        pins.append(Pin(teacher_id=teacher, action=action, school_id=school, start_term=start))
    return pins, problems


def pins_to_rows(case: Case, pins: list[Pin], lang: str = "zh") -> list[dict[str, str]]:
    return [{"teacher": teacher_choice(case, p.teacher_id) if case.has_teacher(p.teacher_id) else p.teacher_id,
             "school": (school_choice(case, p.school_id) if case.has_school(p.school_id) else p.school_id)
             if p.school_id else NONE,
             "action": p.action.label(lang),
             "start_term": p.start_term.label(lang) if p.start_term else NONE} for p in pins]
