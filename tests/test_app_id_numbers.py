"""No page shows an ID number (居民身份证号码) in full: a roster with ID numbers, every page, every
table and text scanned for an 18-character ID."""

from __future__ import annotations

import re
import time

from streamlit.testing.v1 import AppTest

from app_support import XLSX, start, uploader
from workbook_builder import minimal, xlsx_bytes

FULL_ID = re.compile(r"[0-9]{17}[0-9Xx]")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """A valid ID number: the 17 digits and their ISO 7064 MOD 11-2 check character."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


# 张伟, male, born 1985-03-12; 王芳, female, born 1990-07-01 (the 17th digit odd for men, even for women)
IDS = {"T1": id_number("11010519850312001"), "T2": id_number("11010519900701002")}
#: a county whose teacher ids are ID numbers: 张伟's id is one too (the one who goes)
TEACHER_ID = id_number("11010619850312003")


def roster_with_id_numbers() -> bytes:
    sheets = minimal()
    teachers = sheets["教师"]
    teachers[0].append("身份证号")
    for row in teachers[1:]:
        row.append(IDS[row[0]])
    teachers[1][0] = TEACHER_ID
    return xlsx_bytes(sheets)


def texts_on_screen(at: AppTest) -> list[str]:
    """Every text the page shows: tables cell by cell (headers too), markdown, captions, alerts,
    plain text and the choices of every picker."""
    found: list[str] = []
    for table in [*at.dataframe, *at.table]:
        frame = table.value
        found += [str(c) for c in frame.columns]
        found += [str(v) for v in frame.to_numpy().ravel()]
    for kind in ("markdown", "caption", "text", "error", "warning", "info", "success", "code", "header", "subheader"):
        found += [str(e.value) for e in getattr(at, kind)]
    for picker in [*at.selectbox, *at.multiselect, *at.radio]:
        found += [str(o) for o in picker.options]
    return found


def full_ids(at: AppTest) -> list[str]:
    return [text for text in texts_on_screen(at)
            if FULL_ID.search(text) or any(n in text for n in [*IDS.values(), TEACHER_ID])]


def test_no_page_shows_an_id_number_in_full():
    assert all(len(n) == 18 for n in IDS.values())
    at = start()
    uploader(at).set_value(
        ("roster.xlsx", roster_with_id_numbers(), XLSX)).run()
    state = at.session_state["planner"]
    assert state.loaded.case is not None, state.loaded.report.text()
    assert not full_ids(at), full_ids(at)
    # The ID column is there, masked: first 6 and last 4 kept.
    masked = IDS["T1"][:6] + "*" * 8 + IDS["T1"][-4:]
    assert masked in texts_on_screen(at), "the teachers preview shows the masked ID number"

    at.switch_page("ui/pages/rules.py").run()
    assert not full_ids(at), full_ids(at)
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    deadline = time.monotonic() + 60
    while state.job.running and time.monotonic() < deadline:
        time.sleep(0.3)
    at.run()
    at.run()
    assert state.plan is not None and state.plan.placements
    assert not full_ids(at), full_ids(at)
    at.switch_page("ui/pages/plan.py").run()
    assert not at.exception
    assert not full_ids(at), full_ids(at)
    at.button(key="why_not").click().run()
    assert not full_ids(at), full_ids(at)
    # The edit table shows the teacher id masked and reads it back to the teacher.
    assert [p.teacher_id for p in state.plan.placements] == [TEACHER_ID]
    at.button(key="apply_edit").click().run()
    assert state.plan.status == "edited" and [p.teacher_id for p in state.plan.placements] == [TEACHER_ID]
    assert any("审核通过" in s.value for s in at.success), [e.value for e in at.error]
    assert not full_ids(at), full_ids(at)
    at.switch_page("ui/pages/export.py").run()
    assert not full_ids(at), full_ids(at)
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("ui/pages/data.py").run()
    assert not full_ids(at), full_ids(at)


def test_a_teacher_id_that_is_an_id_number_is_masked_in_the_pins_choices_and_still_picks_the_teacher():
    from scheduler.domain.enums import PinAction
    from scheduler.present.pins_table import pins_from_rows, teacher_choice, teacher_choices
    from workbook_builder import read_sheets, set_cell

    sheets = minimal()
    set_cell(sheets, "教师", 2, "教师编号", IDS["T1"])
    case = read_sheets(sheets).case
    assert case is not None
    choice = teacher_choice(case, IDS["T1"])
    assert IDS["T1"] not in choice and IDS["T1"][:6] + "*" * 8 + IDS["T1"][-4:] in choice
    assert not [c for c in teacher_choices(case) if FULL_ID.search(c)]
    pins, problems = pins_from_rows(case, [{"teacher": choice, "action": "禁止交流"}])
    assert problems == [] and [(p.teacher_id, p.action) for p in pins] == [(IDS["T1"], PinAction.EXCLUDE)]


def test_a_mistyped_id_number_is_reported_masked_in_the_table_and_in_full_text():
    sheets = minimal()
    sheets["教师"][0].append("身份证号")
    wrong = IDS["T2"][:17] + ("1" if IDS["T2"][17] != "1" else "2")  # one check digit off
    sheets["教师"][1].append(IDS["T1"])
    sheets["教师"][2].append(wrong)
    at = start()
    uploader(at).set_value(
        ("roster.xlsx", xlsx_bytes(sheets), XLSX)).run()
    assert at.error, "the wrong check digit is an error"
    report = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    assert list(report["列"]) == ["身份证号"] and "*" in report["值"].iat[0]
    assert [m.value for m in at.markdown if "身份证号" in m.value], "the short report is also given in full"
    assert not full_ids(at) and not [s for s in texts_on_screen(at) if wrong in s], full_ids(at)
