"""The planner UI through streamlit's AppTest: what a planner does, page by page."""

from __future__ import annotations

import dataclasses
import io
import json
import time

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from app_support import ROOT, XLSX, planner, start, uploader
from scheduler.audit import audit
from scheduler.rules.context import Context
from scheduler.domain.enums import PinAction
from scheduler.explain.why_not import why_not
from scheduler.domain.terms import school_year_label
from scheduler.present.pins_table import school_choice, teacher_choice
from scheduler.plan import Plan
from scheduler.rules.quota import quota_rows
from scheduler.workbook import read_paths
from scheduler.workbook.schema import SHEETS

SAMPLE = ROOT / "sample_data" / "lueyang_county.xlsx"


def solve(at: AppTest) -> None:
    """Press 开始求解 and wait until the Solve page has adopted the new plan (not an earlier one)."""
    at.switch_page("ui/pages/solve.py").run()
    before = planner(at).solved_plan
    at.button(key="solve").click().run()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = planner(at).job
        if job is not None and not job.running and planner(at).solved_plan is not before:
            break
        time.sleep(0.3)
        at.run()
    else:
        raise AssertionError("the solve did not finish within 60 s")
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
    uploader(at).set_value(sheet_csvs("gb18030")).run()
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
    uploader(at).set_value(("broken.xlsx", buffer.getvalue(), XLSX)).run()
    assert at.error, "an error banner is expected"
    table = at.dataframe[0].value
    hit = table[table["值"] == "NO-SUCH-SCHOOL"]
    assert list(hit["工作表"]) == ["教师"] and list(hit["行"]) == ["3"] and list(hit["列"]) == ["学校编号"]
    at.switch_page("ui/pages/solve.py").run()
    assert at.warning, "solving must be refused while the data has errors"


def test_quota_change_solve_plan_and_export():
    at = start()
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_quota_rate").set_value(12.0).run()
    assert planner(at).settings().quota_rate == pytest.approx(0.12)
    solve(at)
    assert planner(at).plan.status == "optimal"
    assert any("求解完成" in s.value for s in at.success)
    at.switch_page("ui/pages/plan.py").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "交流人数" in labels and "音体美满足率" in labels
    assert int(at.metric[0].value) == len(planner(at).plan.placements)
    at.switch_page("ui/pages/export.py").run()
    assert not at.exception
    assert at.get("download_button")


def test_language_switch_changes_the_labels():
    at = start()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert [h.value for h in at.header] == ["Data"]
    at.switch_page("ui/pages/rules.py").run()
    assert [h.value for h in at.header] == ["Rules"]


def _add_pin_rows(at: AppTest, rows: list[dict[str, str]]) -> None:
    version = at.session_state["pins_version"] if "pins_version" in at.session_state else 0
    at.session_state[f"pins_{version}"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}
    at.run()


def test_forbid_and_exclude_rows_need_no_start_term_and_are_picked_by_name():
    at = start()
    case = planner(at).loaded.case
    at.switch_page("ui/pages/rules.py").run()
    teacher, other, school = case.teachers[5], case.teachers[6], case.schools[10]
    teacher_label, school_label = teacher_choice(case, teacher.teacher_id), school_choice(case, school.school_id)
    assert teacher.name in teacher_label and teacher.teacher_id in teacher_label and school.name in school_label
    _add_pin_rows(at, [{"teacher": teacher_label, "school": school_label, "action": "禁止"},
                       {"teacher": teacher_choice(case, other.teacher_id), "action": "禁止交流"}])
    assert not at.error, [e.value for e in at.error]
    added = planner(at).case.pins[len(case.pins):]
    assert [(p.teacher_id, p.action, p.school_id, p.start_term) for p in added] == [
        (teacher.teacher_id, PinAction.FORBID, school.school_id, None), (other.teacher_id, PinAction.EXCLUDE, None, None)]


def test_pin_edited_in_the_table_is_planned():
    at = start()
    solve(at)
    state = planner(at)
    pinned = {p.teacher_id for p in state.case.pins}
    stay, away = [p for p in state.plan.placements if p.teacher_id not in pinned][:2]
    case = state.case
    at.switch_page("ui/pages/rules.py").run()
    _add_pin_rows(at, [{"teacher": teacher_choice(case, stay.teacher_id), "action": "禁止交流"},
                       {"teacher": teacher_choice(case, away.teacher_id), "school": school_choice(case, away.school_id),
                        "action": "禁止"}])
    assert not at.error, [e.value for e in at.error]
    solve(at)
    at.switch_page("ui/pages/plan.py").run()
    table = _table_with(at, "接收学校")
    assert stay.teacher_id not in set(table["教师编号"]), "an excluded teacher is not on the placements table"
    at_school = table[(table["教师编号"] == away.teacher_id) & (table["接收学校"] == case.school(away.school_id).name)]
    assert at_school.empty, "a forbidden school is not the teacher's placement"


def _edited(plan: Plan, index: int, school_id: str) -> Plan:
    placements = list(plan.placements)
    placements[index] = dataclasses.replace(placements[index], school_id=school_id)
    return Plan(placements, "edited")


def test_hand_edit_to_an_unlinked_school_is_flagged_by_the_audit():
    at = start()
    solve(at)
    state = planner(at)
    case, settings, plan = state.case, state.plan_settings, state.plan
    ctx = Context(case, settings)
    # An unlinked school that needs the teacher's subject then, with room: only the pairing rule objects.
    # Only schools needing the subject in every term of the placement are worth an audit (an audit each is slow).
    edit = next(((i, s) for i, p in enumerate(plan.placements) for s in case.schools
                 if s.school_id != p.school_id and not ctx.linked(case.teacher(p.teacher_id).school_id, s.school_id)
                 and all(ctx.need.get((s.school_id, p.subject, o), 0) > 0 for o in p.ordinals)
                 and {v.rule for v in audit(case, settings, _edited(plan, i, s.school_id)).hard} == {"pairing"}), None)
    assert edit is not None, "some placement can move to an unlinked school breaking only the pairing rule"
    index, school = edit
    teacher = case.teacher(plan.placements[index].teacher_id)
    at.switch_page("ui/pages/plan.py").run()
    at.session_state[f"edit_{state.plan_version}"] = {
        "edited_rows": {str(index): {"school_id": school.school_id}}, "added_rows": [], "deleted_rows": []}
    at.button(key="apply_edit").click().run()
    assert planner(at).plan.status == "edited"
    errors = "\n".join(e.value for e in at.error)
    assert "审核发现 1 处违反硬规则" in errors, errors
    assert f"{teacher.name}所在的{case.school(teacher.school_id).name}与{school.name}没有结对关系" in errors, errors


def test_why_not_on_the_plan_page_names_the_reason():
    at = start()
    solve(at)
    state = planner(at)
    ctx = Context(state.case, state.plan_settings)
    at.switch_page("ui/pages/plan.py").run()
    teacher = state.case.teacher(at.selectbox(key="why_teacher").value)
    school = next(s for s in state.case.schools
                  if s.school_id != teacher.school_id and not ctx.linked(teacher.school_id, s.school_id))
    at.selectbox(key="why_not_school_zh").set_value(school.school_id).run()
    # The unlinked school is ruled out by a hard rule (stage fit or pairing, whichever is checked first).
    answer = why_not(state.case, state.plan_settings, state.plan, teacher.teacher_id, school.school_id).lines("zh")
    expected = answer[0]
    assert school.name in expected and "（规则：" in expected, answer
    assert not [m for m in at.markdown if expected in m.value], "the answer waits for the button"
    at.button(key="why_not").click().run()
    assert not at.exception
    assert [m for m in at.markdown if expected in m.value], [m.value for m in at.markdown]


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
    at.switch_page("ui/pages/plan.py").run()
    at.selectbox(key="why_school").set_value(row.school_id).run()
    lines = [line for m in at.markdown for line in m.value.splitlines() if line.startswith(f"- {year}：")]
    assert len(lines) == 1, lines
    assert f"骨干缺{row.backbone_shortfall}人" in lines[0] and "达标" in lines[0] and "未达标" in lines[0], lines[0]
    table = _table_with(at, "骨干应有")
    hit = table[(table["学校"] == name) & (table["学年"] == year)]
    assert list(hit["达标"]) == ["否"], hit


def _rules_file(values: dict[str, str]) -> tuple[str, bytes, str]:
    body = {"format": "teacher-exchange-settings/1", "settings": values}
    return "规划规则.json", json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"


def test_a_refused_rules_file_changes_nothing_and_says_why_in_chinese():
    at = start()
    at.switch_page("ui/pages/rules.py").run()
    at.file_uploader(key="load_settings").set_value(_rules_file({"min_years": "9", "quota_rate": "abc", "foo": "1"})).run()
    assert not at.exception
    assert "min_years" not in planner(at).overrides, "a refused file must not be half applied"
    assert planner(at).settings().min_years == 6
    assert not [s.value for s in at.success if "载入" in s.value], "no success message for a refused file"
    errors = "\n".join(e.value for e in at.error)
    assert "规则文件“规划规则.json”未载入" in errors
    assert "quota_rate" in errors or "交流比例" in errors
    assert "Input should be" not in errors and "unknown setting" not in errors, errors
    at.sidebar.radio(key="lang").set_value("en").run()
    errors = "\n".join(e.value for e in at.error)
    assert "was not loaded" in errors and "unknown setting 'foo'" in errors, errors


def test_a_good_rules_file_is_applied_and_shown():
    at = start()
    at.switch_page("ui/pages/rules.py").run()
    at.file_uploader(key="load_settings").set_value(_rules_file({"min_years": "9", "quota_rate": "0.15"})).run()
    assert not at.exception and not at.error
    assert planner(at).settings().min_years == 9
    assert at.number_input(key="set_min_years").value == 9
    assert at.number_input(key="set_quota_rate").value == pytest.approx(15.0)
    assert any("已载入规则文件" in s.value for s in at.success)


def test_the_sample_picker_shows_no_sample_while_uploaded_data_is_in_use():
    at = start()
    picker = next(s for s in at.selectbox if s.label == "样例数据")
    assert picker.value.startswith("略阳县")
    uploader(at).set_value(("roster.xlsx", SAMPLE.read_bytes(), XLSX)).run()
    picker = next(s for s in at.selectbox if s.label == "样例数据")
    assert picker.value is None, f"the picker still shows {picker.value!r} while roster.xlsx is in use"
    assert at.button(key="use_sample").disabled
    picker.set_value(next(o for o in picker.options if o.startswith("天津"))).run()
    at.button(key="use_sample").click().run()
    assert planner(at).source == "tianjin_pairing.xlsx" and planner(at).is_sample
    assert next(s for s in at.selectbox if s.label == "样例数据").value.startswith("天津")


def test_a_sheet_level_problem_shows_an_empty_row_cell():
    teachers = sheet_csvs("utf-8")[0]
    assert teachers[0] == "教师.csv"
    at = start()
    uploader(at).set_value([teachers, teachers]).run()
    table = _table_with(at, "问题")
    twice = table[table["问题"].str.contains("两次")]
    assert not twice.empty, table
    assert list(twice["行"]) == [""] * len(twice), "a problem without a row shows an empty cell, not None"
    assert "None" not in set(table["行"].astype(str))


def _chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _heatmap_layers(spec: dict) -> dict[str, dict]:
    return {layer["mark"]["type"]: layer["encoding"] for layer in spec.get("layer", [])}


def test_need_heatmap_lists_subjects_down_the_side_with_counts_on_the_cells():
    at = start()
    heat = [_heatmap_layers(s) for s in _chart_specs(at) if "rect" in _heatmap_layers(s)]
    assert len(heat) == 1
    layers = heat[0]
    assert layers["rect"]["y"]["field"] == "学科", "many subjects across the top overlap into one block"
    assert layers["rect"]["x"]["field"] == "区县"
    assert layers["text"]["text"] == {"field": "需求人数", "format": "d", "type": "quantitative"}
    assert layers["rect"]["color"]["legend"] is None


def test_county_flows_write_whole_counts_without_a_colour_legend():
    at = start()
    solve(at)
    at.switch_page("ui/pages/plan.py").run()
    heat = [_heatmap_layers(s) for s in _chart_specs(at) if "rect" in _heatmap_layers(s)]
    assert len(heat) == 1
    layers = heat[0]
    # One county sends to itself in Lüeyang: a legend over a single value read '106.000000'.
    assert layers["rect"]["color"]["legend"] is None
    assert layers["text"]["text"]["format"] == "d" and layers["text"]["text"]["field"] == "人数"


def test_a_stopped_solve_is_never_called_optimal_or_complete():
    at = start()
    picker = next(s for s in at.selectbox if s.label == "样例数据")
    picker.set_value(next(o for o in picker.options if o.startswith("大同"))).run()
    at.button(key="use_sample").click().run()
    assert planner(at).source == "datong_city.xlsx"
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    # Datong's model takes seconds to build: Stop is pressed while the solve runs.
    at.button(key="stop").click().run()
    deadline = time.monotonic() + 60
    while planner(at).job.running and time.monotonic() < deadline:
        time.sleep(0.3)
    at.run()
    at.run()
    plan = planner(at).plan
    assert plan is not None and plan.ended == "stopped" and plan.status != "optimal", (plan.status, plan.ended)
    shown = [e.value for e in [*at.success, *at.warning, *at.caption, *at.markdown]]
    assert not [s for s in shown if "求解完成" in s or "最优" in s or "已证明是最好" in s], shown
    assert any(w.value.startswith("求解未完成") and "停止" in w.value for w in at.warning), shown
    at.switch_page("ui/pages/plan.py").run()
    captions = [c.value for c in at.caption]
    assert any("停止" in c for c in captions) and not any("最优" in c or "已证明是最好" in c for c in captions), captions


def _setting_widgets(at: AppTest) -> dict[str, object]:
    """The Rules page's widget of each setting, by the setting it edits (keys set_<name>[_<lang>])."""
    found = {}
    for kind in ("number_input", "toggle", "radio", "multiselect", "selectbox", "slider", "text_input"):
        for widget in getattr(at, kind):
            key = str(widget.key or "")
            if key.startswith("set_"):
                found[key[4:].removesuffix("_zh").removesuffix("_en")] = widget
    return found


def test_every_setting_has_a_widget_on_the_rules_page_and_reaches_the_solve():
    """Derived from the Settings' metadata: a new setting shows up without a UI edit."""
    from scheduler.domain.settings import Settings, setting_names
    from scheduler.rules import RULES

    at = start()
    at.switch_page("ui/pages/rules.py").run()
    widgets = _setting_widgets(at)
    assert set(widgets) == set(setting_names()), set(setting_names()) ^ set(widgets)
    assert set(Settings.model_fields) - set(setting_names()) == {"rule_modes"}  # its widgets: one per rule
    assert {str(s.key) for s in at.selectbox if str(s.key).startswith("mode_")} == {
        f"mode_{r.id}_zh" for r in RULES if len(r.modes) > 1}
    # one change of every kind of widget reaches the settings the solve is started with
    at.number_input(key="set_min_years").set_value(9).run()
    at.number_input(key="set_max_age_male").set_value(50).run()
    at.toggle(key="set_quota_hard").set_value(True).run()
    at.radio(key="set_pairing_mode_zh").set_value(at.radio(key="set_pairing_mode_zh").options[1]).run()
    at.slider(key="set_arts_weight").set_value(3.5).run()
    at.selectbox(key="mode_couples_zh").set_value("off").run()
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    job = planner(at).job
    job.stop()
    used = job.settings
    assert (used.min_years, used.max_age_male, used.quota_hard, used.arts_weight) == (9, 50, True, 3.5)
    # 夫妻不分离 off is the couples_rule setting off (the switch and the value are one choice)
    assert used.pairing_mode.value == "prefer" and used.couples_rule is False
    assert next(r for r in RULES if r.id == "couples").mode(used) == "off"
    job.wait(30)


def test_export_page_makes_the_documents_to_publish(downloads):
    """The Export page's 发布文件: one zip with the 公示 list naming every placed teacher."""
    import zipfile

    from pypdf import PdfReader

    at = start()
    solve(at)
    at.switch_page("ui/pages/export.py").run()
    assert not [b for b in at.get("download_button") if "发布文件" in str(b.proto.label)]
    at.button(key="publish_make").click().run()
    assert not at.exception and not at.error
    assert any("已生成" in s.value for s in at.success)
    content = next(data for name, data in downloads.items() if name.endswith("_发布文件.zip"))
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert {"公示名单.pdf", "派遣通知书.docx", "指标2.11汇总.xlsx"} <= set(archive.namelist())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("公示名单.pdf"))).pages)
    state = planner(at)
    for placement in state.plan.placements:
        assert state.case.teacher(placement.teacher_id).name in text


def test_the_issuer_is_set_in_its_own_box_on_the_rules_page():
    """发文单位 and 公示天数 (named by the Export page's 发布文件) sit in a 发布 box, not under 高级."""
    at = start()
    at.switch_page("ui/pages/rules.py").run()
    advanced = next(e for e in at.expander if e.label.startswith("高级"))
    assert not [w for w in advanced.text_input if w.key == "set_issuer"]
    assert any(m.value == "**发布**" for m in at.markdown)
    at.text_input(key="set_issuer").set_value("略阳县教育体育局").run()
    assert planner(at).settings().issuer == "略阳县教育体育局"
