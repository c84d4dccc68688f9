"""Pins edited as a table (the Rules page): rows of text to `Pin`s, with every problem named."""

from __future__ import annotations

from .domain.enums import PinAction
from .domain.models import Case, Pin
from .domain.terms import Term
from .rules.base import Text


def pins_from_rows(case: Case, rows: list[dict[str, object]]) -> tuple[list[Pin], list[Text]]:
    """Rows with teacher_id, school_id, action, start_term (text) → pins, problems (row numbers from 1)."""
    pins, problems = [], []
    for number, row in enumerate(rows, start=1):
        teacher = str(row.get("teacher_id") or "").strip()
        school = str(row.get("school_id") or "").strip() or None
        action_text = str(row.get("action") or "").strip()
        term_text = str(row.get("start_term") or "").strip()
        if not teacher and not school and not action_text:
            continue  # an empty row the editor added
        found = []
        if not case.has_teacher(teacher):
            found.append(Text(f"第{number}行：教师编号“{teacher}”不在名册中", f"row {number}: teacher {teacher!r} is not in the roster"))
        if school is not None and not case.has_school(school):
            found.append(Text(f"第{number}行：学校编号“{school}”不存在", f"row {number}: school {school!r} does not exist"))
        try:
            action = PinAction.parse(action_text)
        except ValueError:
            action = None
            found.append(Text(f"第{number}行：操作应为 锁定/禁止/禁止交流", f"row {number}: action must be pin, forbid or exclude"))
        if action in (PinAction.PIN, PinAction.FORBID) and school is None:
            found.append(Text(f"第{number}行：{action.zh}需要填写学校编号", f"row {number}: {action.en} needs a school"))
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


def pins_to_rows(pins: list[Pin], lang: str = "zh") -> list[dict[str, str]]:
    return [{"teacher_id": p.teacher_id, "school_id": p.school_id or "", "action": p.action.label(lang),
             "start_term": p.start_term.label(lang) if p.start_term else ""} for p in pins]
