"""交流记录 (history, issue #13 item 5) and eligibility from the registry fields (item 6): the sheet as
read, a previous plan's 派出安排 copied in, 交流间隔年数 (rest_years), promotion seekers' priority, and
the reasons in why-not, the 未派出教师 sheet, the diagnosis, the relaxations and the teacher's details."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cases import case, check, need, pin, placed, plan, run, rural, settings, teacher, urban, went, where
from rule_verifier import RuleVerifier
from scheduler.domain import Term
from scheduler.domain.settings import settings_from
from scheduler.explain import explain_infeasible
from scheduler.explain.diagnosis import diagnose
from scheduler.explain.why import teacher_details
from scheduler.explain.why_not import why_not
from scheduler.export import read_plan, write_plan_workbook
from scheduler.export.unplaced import unplaced_teachers
from scheduler.model import solve
from scheduler.rules import RULE_BY_ID
from scheduler.rules.context import Context
from scheduler.rules.wishes import placement_cost
from scheduler.workbook import read_paths, write_case
from scheduler.workbook.cells import parse_term_or_date
from workbook_builder import located, minimal, read_sheets

HISTORY_HEADER = ["教师编号", "交流学校编号", "开始学期", "结束学期", "交流方式"]


# --- reading the sheet ----------------------------------------------------------------------

@pytest.mark.parametrize("text, term", [
    ("2025秋", "2025秋"), ("2026-spring", "2026春"), ("2025-09", "2025秋"), ("2025年9月", "2025秋"),
    ("2026-07", "2026春"), ("2026年3月1日", "2026春"), ("2027-01", "2026秋"), ("2025.09", "2025秋"),
])
def test_a_term_or_a_month_is_read_as_its_term(text, term):
    assert parse_term_or_date(text) == Term.parse(term)


def test_history_is_read_from_its_sheet_with_terms_months_and_forms():
    sheets = minimal()
    sheets["交流记录"] = [HISTORY_HEADER, ["T1", "S2", "2023秋", "2024春", "支教"],
                          ["T2", "", "2022-09", "2023年7月", ""]]
    loaded = read_sheets(sheets)
    assert loaded.report.problems == [], loaded.report.text("en")
    first, second = loaded.case.history
    assert (first.teacher_id, first.host_school_id, first.from_term.label(), first.to_term.label(), first.form) == (
        "T1", "S2", "2023秋", "2024春", "支教")
    assert (second.from_term.label(), second.to_term.label(), second.host_school_id) == ("2022秋", "2023春", None)
    assert [e.teacher_id for e in loaded.case.history_of("T1")] == ["T1"]


def test_an_unknown_teacher_is_a_warning_naming_sheet_row_and_column():
    sheets = minimal()
    sheets["交流记录"] = [HISTORY_HEADER, ["T1", "S2", "2023秋", "2024春", ""], ["T9", "外县小学", "2020秋", "2021春", ""]]
    loaded = read_sheets(sheets)
    assert loaded.ok and loaded.report.errors == []
    assert located(loaded) == [("warning", "history_unknown_teacher", "history", 3, "teacher_id", "T9")]
    assert "T9" in loaded.report.text("zh") and "交流记录" in loaded.report.text("zh")
    assert len(loaded.case.history) == 2  # kept: written back, counts for nobody


def test_an_end_before_its_start_is_an_error():
    sheets = minimal()
    sheets["交流记录"] = [HISTORY_HEADER, ["T1", "S2", "2025春", "2024秋", ""]]
    loaded = read_sheets(sheets)
    assert not loaded.ok
    assert [p[:5] for p in located(loaded)] == [("error", "term_order", "history", 2, "to_term")]


def test_without_an_end_column_the_length_gives_the_end_and_a_missing_length_is_an_error():
    sheets = minimal()
    sheets["交流历史"] = [["教师编号", "接收学校编号", "开始学期", "学期数"], ["T1", "S2", "2024秋", 2], ["T2", "S2", "2024秋", ""]]
    loaded = read_sheets(sheets)
    assert [p[:5] for p in located(loaded)] == [("error", "required_empty", "history", 3, "terms")]
    sheets["交流历史"].pop()
    loaded = read_sheets(sheets)
    assert loaded.ok, loaded.report.text("en")
    assert loaded.case.history[0].to_term.label() == "2025春"


def test_history_survives_write_and_read(tmp_path):
    sheets = minimal()
    sheets["交流记录"] = [HISTORY_HEADER + ["备注"], ["T1", "S2", "2023秋", "2024春", "支教", "表现优秀"]]
    loaded = read_sheets(sheets)
    target = tmp_path / "case.xlsx"
    write_case(loaded.case, target)
    again = read_paths([target])
    assert again.report.problems == [] and again.case == loaded.case
    assert again.case.history[0].extra == {"备注": "表现优秀"}


def _exported_placements(case_, chosen) -> list[list]:
    """Solve, export the plan workbook, and give its 派出安排 sheet's rows as they are."""
    result = solve(case_, chosen)
    buffer = io.BytesIO()
    write_plan_workbook(case_, chosen, result, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    return [list(row) for row in book["派出安排"].iter_rows(values_only=True)], result


def test_a_plans_placements_sheet_copied_in_is_read_as_history():
    sheets = minimal()
    first = read_sheets(sheets)
    chosen = settings_from(first.case.settings)
    rows, result = _exported_placements(first.case, chosen)
    assert len(result.placements) == 1 and rows[0][:3] == ["教师编号", "姓名", "派出学校编号"]
    for name in ("派出安排", "交流记录"):
        sheets = minimal()
        sheets[name] = rows
        loaded = read_sheets(sheets)
        assert loaded.report.problems == [], loaded.report.text("en")
        (record,) = loaded.case.history
        p = result.placements[0]
        assert (record.teacher_id, record.host_school_id, record.host_school, record.from_term, record.to_term) == (
            p.teacher_id, p.school_id, "白水江小学", p.start, p.end)
        assert record.terms == p.terms and record.extra["姓名"] == "张伟"


def test_an_english_plans_placements_sheet_is_read_as_history():
    first = read_sheets(minimal())
    chosen = settings_from(first.case.settings)
    result = solve(first.case, chosen)
    buffer = io.BytesIO()
    write_plan_workbook(first.case, chosen, result, buffer, lang="en")
    rows = [list(r) for r in load_workbook(io.BytesIO(buffer.getvalue()))["placements"].iter_rows(values_only=True)]
    sheets = minimal()
    sheets["placements"] = rows
    loaded = read_sheets(sheets)
    assert loaded.report.problems == [], loaded.report.text("en")
    (record,) = loaded.case.history
    assert (record.teacher_id, record.host_school_id, record.from_term.label(), record.to_term.label()) == (
        "T1", "S2", "2026秋", "2027春")


def test_a_real_samples_exported_plan_copied_in_as_history(tmp_path):
    """The Lüeyang sample solved and exported; its 派出安排 sheet copied into the workbook as 交流记录."""
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "lueyang_county.xlsx"
    loaded = read_paths([sample])
    chosen = settings_from({**loaded.case.settings, "time_limit_s": "20"})
    rows, result = _exported_placements(loaded.case, chosen)
    assert result.placements
    book = load_workbook(sample)
    sheet = book.create_sheet("交流记录")
    for row in rows:
        sheet.append(row)
    target = tmp_path / "with_history.xlsx"
    book.save(target)
    again = read_paths([target])
    assert again.ok and again.report.errors == [], again.report.text("en")
    assert sorted((e.teacher_id, e.host_school_id, e.from_term.ordinal, e.to_term.ordinal) for e in again.case.history) \
        == sorted((p.teacher_id, p.school_id, p.start.ordinal, p.end.ordinal) for p in result.placements)


def test_the_plan_reader_still_reads_a_plans_placements_sheet(tmp_path):
    """The 派出安排 alias is the planning workbook's; a plan workbook is read by the plan reader as before."""
    loaded = read_sheets(minimal())
    chosen = settings_from(loaded.case.settings)
    result = solve(loaded.case, chosen)
    target = tmp_path / "plan.xlsx"
    write_plan_workbook(loaded.case, chosen, result, target)
    back, problems = read_plan(loaded.case, target, chosen)
    assert problems.ok and back.placements == result.placements


# --- rest_years -----------------------------------------------------------------------------

def _resting_case(*history):
    """U1 sends T1 and T2; R1 needs one 数学 teacher in school year 2026 (horizon 2026秋)."""
    return case(urban("U1"), rural("R1"), teacher("T1", "U1"), teacher("T2", "U1"), need("R1"), *history)


def test_rest_years_three_keeps_a_teacher_back_in_2025_spring_home():
    c = _resting_case(went("T1", "R1", "2024秋", "2025春"))
    verify = RuleVerifier("eligibility", c, settings(rest_years=3))
    assert verify.forbids(placed("T1", "R1"))
    assert not verify.forbids(placed("T2", "R1"))
    reason = RULE_BY_ID["eligibility"].why_not_teacher(verify.ctx, c.teacher("T1"))
    assert "R1" in reason.zh and "2024秋–2025春" in reason.zh and "交流间隔年数为3" in reason.zh
    assert "R1" in reason.en and "rest_years 3" in reason.en
    assert where(run(c, rest_years=3)) == {"T2": "R1"}


@pytest.mark.parametrize("years, back, waits", [
    (0, ("2025秋", "2026春"), False),  # no rest rule
    (3, ("2022秋", "2023春"), False),  # school year 2022: before the three just before 2026
    (3, ("2023秋", "2024春"), True),   # school year 2023
    (3, ("2025秋", "2026春"), True),   # school year 2025, the contract's example
    (1, ("2024秋", "2025春"), False),
    (1, ("2025秋", "2026春"), True),
    (2, ("2026秋", "2027春"), True),   # still away when the horizon starts
])
def test_rest_years_counts_the_school_years_just_before_the_horizon(years, back, waits):
    c = _resting_case(went("T1", "R1", *back))
    ctx = Context(c, settings(rest_years=years))
    assert ctx.eligible(c.teacher("T1")) is not waits
    assert RuleVerifier("eligibility", c, settings(rest_years=years)).forbids(placed("T1", "R1")) is waits


def test_only_the_last_placement_counts():
    c = _resting_case(went("T1", "R1", "2024秋", "2025春"), went("T1", "R1", "2018秋", "2019春"))
    assert not Context(c, settings(rest_years=3)).eligible(c.teacher("T1"))
    c = _resting_case(went("T1", "R1", "2018秋", "2019春"))
    assert Context(c, settings(rest_years=3)).eligible(c.teacher("T1"))


def test_a_resting_teacher_leaves_the_quota_base():
    c = _resting_case(went("T1", "R1", "2024秋", "2025春"))
    assert Context(c, settings(rest_years=3)).eligible_by_school == {"U1": 1}
    assert Context(c, settings()).eligible_by_school == {"U1": 2}


def test_the_rest_reason_shows_in_why_not_the_unplaced_sheet_and_the_details():
    c = _resting_case(went("T1", "R1", "2024秋", "2025春", form="支教"))
    chosen = settings(rest_years=3)
    result = run(c, rest_years=3)
    answer = why_not(c, chosen, result, "T1", "R1")
    assert any("交流间隔年数为3" in line and "R1" in line for line in answer.lines("zh"))
    assert any("rest_years 3" in line for line in answer.lines("en"))
    (item,) = [u for u in unplaced_teachers(Context(c, chosen), result) if u.teacher.teacher_id == "T1"]
    assert item.category == "resting" and "2024秋–2025春" in item.reason.zh
    details = [line.zh for line in teacher_details(Context(c, chosen), c.teacher("T1"))]
    assert "交流记录 2024秋–2025春 R1，支教" in details
    assert any(line.startswith("交流间隔年数为3") for line in details) and details[-1] == "不符合交流条件"
    details_en = [line.en for line in teacher_details(Context(c, chosen), c.teacher("T1"))]
    assert "past placement 2024-fall–2025-spring at R1, 支教" in details_en


def test_the_unplaced_sheet_of_the_plan_workbook_gives_the_rest_reason(tmp_path):
    c = _resting_case(went("T1", "R1", "2024秋", "2025春"))
    chosen = settings(rest_years=3)
    target = tmp_path / "plan.xlsx"
    write_plan_workbook(c, chosen, run(c, rest_years=3), target)
    rows = list(load_workbook(target)["未派出教师"].iter_rows(values_only=True))
    (row,) = [r for r in rows if r[0] == "T1"]
    assert "交流间隔未满" in row and any("交流间隔年数为3" in str(cell) for cell in row)


def test_the_diagnosis_names_the_waiting_teachers_and_what_a_lower_setting_frees():
    c = _resting_case(went("T1", "R1", "2023秋", "2024春"), went("T2", "R1", "2025秋", "2026春"))
    findings = [f for f in diagnose(c, settings(rest_years=3)) if f.rule == "eligibility"]
    (finding,) = findings
    assert not finding.conflict and finding.school_ids == ("U1",) and set(finding.teacher_ids) == {"T1", "T2"}
    assert "U1：2名教师近3个学年内交流过" in finding.text.zh and "T1（R1 2023秋–2024春）" in finding.text.zh
    assert finding.relax.zh == "把交流间隔年数降到2，可多1人参加交流"
    assert "lower rest_years to 2" in finding.relax.en
    assert [f for f in diagnose(c, settings()) if f.rule == "eligibility"] == []


def test_the_relaxations_lower_rest_years_and_say_what_it_means():
    c = _resting_case(went("T1", "R1", "2024秋", "2025春"))
    rule = RULE_BY_ID["eligibility"]
    offered = rule.relaxations(c, settings(rest_years=3))
    # back in school year 2024: only a setting of 0 or 1 frees T1 for 2026 (the highest one is offered)
    assert [r.settings.rest_years for r in offered] == [1]
    assert offered[0].text.zh.startswith("把交流间隔年数从3降到1") and "rest_years from 3 to 1" in offered[0].text.en
    two = _resting_case(went("T1", "R1", "2024秋", "2025春"), went("T2", "R1", "2025秋", "2026春"))
    assert [r.settings.rest_years for r in rule.relaxations(two, settings(rest_years=3))] == [1, 0]
    assert rule.relaxations(c, settings()) == []


def test_an_infeasible_case_is_offered_a_lower_rest_years():
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1"), need("R1"), went("T1", "R1", "2024秋", "2025春"),
             pin("T1", "R1"))
    report = explain_infeasible(c, settings(rest_years=3))
    assert any("交流间隔年数从3降到1" in t.zh for t in report.relaxations)


def test_an_audit_flags_a_resting_teacher_in_a_hand_edited_plan():
    c = _resting_case(went("T1", "R1", "2024秋", "2025春"))
    report = check(c, plan(placed("T1", "R1")), rest_years=3)
    assert not report.ok
    assert any("T1" in line and "R1" in line for line in report.lines("zh"))


# --- promotion seekers ----------------------------------------------------------------------

def _promotion_case(*history):
    """T1 seeks promotion (8 years); T2 does not but has 20 years; R1 needs one of them."""
    return case(urban("U1"), rural("R1"), teacher("T1", "U1", promotion=True), teacher("T2", "U1", years=20),
                need("R1"), *history)


def test_a_promotion_seeker_without_rural_service_goes_first():
    c = _promotion_case()
    assert where(run(c)) == {"T1": "R1"}


@pytest.mark.parametrize("record", [
    went("T1", "R1", "2020秋", "2021春"),  # a 乡村 school of the 学校 sheet
    went("T1", "X9", "2020秋", "2021春"),  # a host the 学校 sheet does not know: counted as rural service
    went("T1", None, "2020秋", "2021春", name="外县某小学"),
])
def test_rural_service_in_the_history_ends_the_promotion_priority(record):
    c = _promotion_case(record)
    ctx = Context(c, settings())
    assert placement_cost(ctx, c.teacher("T1"), "R1") == -8  # no promotion bonus left, only the years
    assert where(run(c)) == {"T2": "R1"}
    details = [line.zh for line in teacher_details(ctx, c.teacher("T1"))]
    assert any("已有乡村交流经历" in line and "不再优先" in line for line in details)


def test_a_placement_at_an_urban_school_is_not_rural_service():
    c = _promotion_case(went("T1", "U2", "2020秋", "2021春", form="跟岗"), urban("U2"))
    assert placement_cost(Context(c, settings()), c.teacher("T1"), "R1") == -38
    assert where(run(c)) == {"T1": "R1"}


# --- item 6: 是否在编 and 在岗状态 -------------------------------------------------------------

def test_off_staff_and_on_leave_teachers_are_ineligible_with_their_reason(tmp_path):
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1").model_copy(update={"on_staff": False}),
             teacher("T2", "U1").model_copy(update={"status": "产假"}), teacher("T3", "U1"), need("R1", count=3))
    chosen = settings()
    result = run(c)
    assert where(result) == {"T3": "R1"}
    assert any("不在编" in line for line in why_not(c, chosen, result, "T1", "R1").lines("zh"))
    assert any("not on the permanent staff" in line for line in why_not(c, chosen, result, "T1", "R1").lines("en"))
    assert any("产假" in line for line in why_not(c, chosen, result, "T2", "R1").lines("zh"))
    target = tmp_path / "plan.xlsx"
    write_plan_workbook(c, chosen, result, target)
    rows = {r[0]: r for r in load_workbook(target)["未派出教师"].iter_rows(values_only=True)}
    assert "不符合交流条件" in rows["T1"] and any("不在编" in str(cell) for cell in rows["T1"])
    assert "免交流" in rows["T2"] and any("产假" in str(cell) for cell in rows["T2"])


def test_a_case_whose_history_was_looked_up_still_equals_a_fresh_read():
    """The history index is built on first use; it is no part of the case's value."""
    sheets = minimal()
    sheets["交流记录"] = [HISTORY_HEADER, ["T1", "S2", "2023秋", "2024春", ""]]
    used, fresh = read_sheets(sheets).case, read_sheets(sheets).case
    assert [e.teacher_id for e in used.history_of("T1")] == ["T1"]
    assert used == fresh
    assert used.model_copy(update={"history": []}) != fresh
