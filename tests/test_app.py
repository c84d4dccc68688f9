"""The planner UI through streamlit's AppTest: what a planner does, page by page."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from scheduler.context import Context
from scheduler.domain.terms import school_year_label
from scheduler.rules.quota import quota_rows
from scheduler.workbook import read_paths
from scheduler.workbook.schema import SHEETS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "lueyang_county.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    return at


def planner(at: AppTest):
    return at.session_state["planner"]


def solve(at: AppTest) -> None:
    at.switch_page("views/solve.py").run()
    at.button(key="solve").click().run()
    deadline = time.monotonic() + 60
    while planner(at).plan is None and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert planner(at).plan is not None, "the solve did not finish within 60 s"
    at.run()
    assert not at.exception


def sheet_csvs(encoding: str) -> list[tuple[str, bytes, str]]:
    """The sample workbook as one CSV file per sheet, named in Chinese, in `encoding`."""
    book = openpyxl.load_workbook(SAMPLE, read_only=True)
    files = []
    for sheet in SHEETS:
        if sheet.zh not in book.sheetnames:
            continue
        lines = []
        for row in book[sheet.zh].iter_rows(values_only=True):
            lines.append(",".join("" if v is None else str(v.date() if hasattr(v, "date") else v).replace(",", "、")
                                  for v in row))
        files.append((f"{sheet.zh}.csv", ("\n".join(lines) + "\n").encode(encoding), "text/csv"))
    return files


def test_first_visit_shows_the_sample_and_its_clean_report():
    at = start()
    assert planner(at).loaded.case is not None
    assert any("未发现问题" in s.value or "通过" in s.value for s in at.success)
    assert not at.error


def test_gb18030_csv_upload_gives_the_same_roster():
    at = start()
    at.file_uploader(key="upload").set_value(sheet_csvs("gb18030")).run()
    loaded = planner(at).loaded
    assert loaded.report.ok, loaded.report.text()
    assert len(loaded.case.teachers) == len(read_paths([SAMPLE]).case.teachers)
    assert "教师.csv" in planner(at).source


def test_broken_workbook_shows_errors_naming_sheet_row_and_column():
    book = openpyxl.load_workbook(SAMPLE)
    book["教师"]["E3"] = "NO-SUCH-SCHOOL"  # 学校编号 of the first teacher row
    buffer = io.BytesIO()
    book.save(buffer)
    at = start()
    at.file_uploader(key="upload").set_value(("broken.xlsx", buffer.getvalue(), XLSX)).run()
    assert at.error, "an error banner is expected"
    table = at.dataframe[0].value
    hit = table[table["值"] == "NO-SUCH-SCHOOL"]
    assert list(hit["工作表"]) == ["教师"] and list(hit["行"]) == [3] and list(hit["列"]) == ["学校编号"]
    at.switch_page("views/solve.py").run()
    assert at.warning, "solving must be refused while the data has errors"


def test_quota_change_solve_plan_and_export():
    at = start()
    at.switch_page("views/rules.py").run()
    at.number_input(key="set_quota_rate").set_value(12.0).run()
    assert planner(at).settings().quota_rate == pytest.approx(0.12)
    solve(at)
    assert planner(at).plan.status == "optimal"
    assert any("求解完成" in s.value for s in at.success)
    at.switch_page("views/plan.py").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "交流人数" in labels and "音体美满足率" in labels
    assert int(at.metric[0].value) == len(planner(at).plan.placements)
    at.switch_page("views/export.py").run()
    assert not at.exception
    assert at.get("download_button")


def test_language_switch_changes_the_labels():
    at = start()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert [h.value for h in at.header] == ["Data"]
    at.switch_page("views/rules.py").run()
    assert [h.value for h in at.header] == ["Rules"]


def test_pin_edited_in_the_table_is_planned():
    at = start()
    case = planner(at).loaded.case
    at.switch_page("views/rules.py").run()
    key = "pins_0"
    teacher = case.pins[0].teacher_id if case.pins else case.teachers[0].teacher_id
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": list(range(len(case.pins)))}
    at.run()
    assert planner(at).case.pins == [], f"deleting every pin row empties the pins ({teacher})"


def test_hand_edit_to_an_unlinked_school_is_flagged_by_the_audit():
    at = start()
    solve(at)
    state = planner(at)
    plan = state.plan
    placement = plan.placements[0]
    home = state.case.teacher(placement.teacher_id).school_id
    ctx_partners = {l.member_school_id for l in state.case.links if l.lead_school_id == home}
    other = next(s for s in state.case.schools if s.school_id not in ctx_partners and s.school_id != home)
    at.switch_page("views/plan.py").run()
    editor_key = f"edit_{state.plan_version}"
    at.session_state[editor_key] = {"edited_rows": {"0": {"school_id": other.school_id}}, "added_rows": [], "deleted_rows": []}
    at.button(key="apply_edit").click().run()
    assert planner(at).plan.status == "edited"
    assert any(other.name in e.value or "违反" in e.value or "审核发现" in e.value for e in at.error)


def test_why_not_on_the_plan_page_names_the_reason():
    at = start()
    solve(at)
    at.switch_page("views/plan.py").run()
    at.button(key="why_not").click().run()
    assert not at.exception
    # The first teacher of the roster with the first other school: a rule forbids it or the cost is shown.
    assert any("规则" in m.value or "若强制安排" in m.value for m in at.markdown)


def _table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_school_story_and_sending_table_agree_when_backbone_is_short():
    at = start()
    solve(at)
    state = planner(at)
    ctx = Context(state.case, state.plan_settings)
    row = next((r for r in quota_rows(ctx, state.plan) if r.shortfall == 0 and r.backbone_shortfall > 0), None)
    assert row is not None, "the Lüeyang plan has a school-year with enough rotations but too few backbone teachers"
    name, year = ctx.school_name(row.school_id), school_year_label(row.school_year)
    at.switch_page("views/plan.py").run()
    at.selectbox(key="why_school").set_value(row.school_id).run()
    lines = [line for m in at.markdown for line in m.value.splitlines() if line.startswith(f"- {year}：")]
    assert len(lines) == 1, lines
    assert f"骨干缺{row.backbone_shortfall}人" in lines[0] and "达标" in lines[0] and "未达标" in lines[0], lines[0]
    table = _table_with(at, "骨干应有")
    hit = table[(table["学校"] == name) & (table["学年"] == year)]
    assert list(hit["达标"]) == ["否"], hit
