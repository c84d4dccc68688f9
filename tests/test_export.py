"""The exported plan: the assignment workbook, the JSON summary, headline figures, the reasons
teachers stay home, and the plan read back from a (hand-edited) workbook."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from scheduler.audit import audit
from scheduler.rules.context import Context
from scheduler.domain import Case, settings_from
from scheduler.domain.enums import PinAction
from scheduler.export import headline, plan_summary, read_plan, unplaced_teachers, write_plan_workbook
from scheduler.export.plan_sheet import PLACEMENTS
from scheduler.model import solve
from scheduler.workbook.xlsx import neutralised
from plan_counts import count
from scheduler.workbook import read_paths

LUEYANG = Path(__file__).resolve().parent.parent / "sample_data" / "lueyang_county.xlsx"

SHEETS_ZH = ["派出安排", "派出学校汇总", "接收学校汇总", "未满足需求", "未派出教师", "求解概要", "规则设置", "审核"]
SHEETS_EN = ["placements", "sending_schools", "receiving_schools", "unmet_need", "not_placed", "overview",
             "settings_used", "audit"]


@pytest.fixture(scope="module")
def solved():
    case = read_paths([LUEYANG]).case
    settings = settings_from(case.settings)
    plan = solve(case, settings)
    return case, settings, plan, audit(case, settings, plan)


@pytest.fixture(scope="module")
def exported(solved, tmp_path_factory) -> Path:
    case, settings, plan, report = solved
    path = tmp_path_factory.mktemp("plan") / "plan.xlsx"
    write_plan_workbook(case, settings, plan, path, report=report)
    return path


def _key(plan) -> list[tuple]:
    return sorted((p.teacher_id, p.school_id, p.subject, p.start.ordinal, p.terms) for p in plan.placements)


def _rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]


# --- the workbook --------------------------------------------------------------------------

def test_workbook_has_every_sheet_with_frozen_filtered_headers(exported, solved):
    _, _, plan, _ = solved
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == SHEETS_ZH
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
    placements = book["派出安排"]
    headers = [c.value for c in placements[1]]
    assert headers[:len(PLACEMENTS.columns)] == [c.zh for c in PLACEMENTS.columns]
    assert {"教师编号", "接收学校编号", "学科", "开始学期", "结束学期", "学期数", "结对项目", "骨干"} <= set(headers)
    assert len(_rows(placements)) == len(plan.placements) > 0
    assert [c.value for c in book["派出学校汇总"][1]][:8] == [
        "学校编号", "学校名称", "区县", "学年", "符合条件教师", "应交流", "实际交流", "缺口"]
    assert [c.value for c in book["接收学校汇总"][1]][:8] == [
        "学校编号", "学校名称", "区县", "学科", "学期", "需求", "已安排", "缺口"]
    assert [c.value for c in book["未派出教师"][1]][-2:] == ["原因", "说明"]


def test_placements_sheet_names_teachers_and_schools(exported, solved):
    case, _, plan, _ = solved
    sheet = openpyxl.load_workbook(exported)["派出安排"]
    headers = [c.value for c in sheet[1]]
    row = dict(zip(headers, _rows(sheet)[0]))
    teacher = case.teacher(row["教师编号"])
    assert row["姓名"] == teacher.name
    assert row["派出学校"] == case.school(teacher.school_id).name
    assert row["接收学校"] == case.school(row["接收学校编号"]).name
    assert row["开始学期"].endswith(("秋", "春")) and row["学期数"] == 2


def test_sheet_rows_agree_with_the_plan(exported, solved):
    case, settings, plan, report = solved
    book = openpyxl.load_workbook(exported)
    sending = _rows(book["派出学校汇总"])
    assert sum(row[6] for row in sending) == len(plan.placements)  # 实际交流
    unmet = _rows(book["未满足需求"])
    assert sum(row[9] for row in unmet) == sum(1 for v in report.shortfalls if v.rule == "need") and unmet
    not_placed = _rows(book["未派出教师"])
    assert len(not_placed) + len(plan.placements) == len(case.teachers)
    assert len(_rows(book["审核"])) == len(report.violations)


def test_overview_sheet_speaks_planners_words(exported, solved, tmp_path):
    case, settings, plan, report = solved
    rows = [row for row in openpyxl.load_workbook(exported)["求解概要"].iter_rows(min_row=2, values_only=True)]
    assert rows[0] == ("状态", "最优（已证明）", "每一步都已证明是最好的方案。")
    assert rows[1] == ("离最好可能", 0, "已证明最好")
    assert [row[0] for row in rows[2:6]] == ["第1步：完成交流比例和骨干比例", "第2步：填补学科缺口",
                                             "第3步：保持结对关系、照顾软规则", "第4步：照顾教师意愿与资历"]
    assert all(row[1] == "已证明最好" for row in rows[2:6])
    times = [row[0] for row in rows if str(row[0]).startswith("用时：")]
    assert times == ["用时：建模", "用时：初始方案", "用时：拆分为独立片区", "用时：第1步 完成交流比例和骨干比例",
                     "用时：第2步 填补学科缺口", "用时：第3步 保持结对关系、照顾软规则", "用时：第4步 照顾教师意愿与资历",
                     "用时：整理方案", "用时：总计"][:len(times)] and len(times) == len(plan.times)
    words = " ".join(str(v) for row in rows for v in row if v is not None)
    for jargon in ("用时·", "greedy", "level", "optimal", "bound", "下界"):
        assert jargon not in words, jargon
    path = tmp_path / "plan_en.xlsx"
    write_plan_workbook(case, settings, plan, path, lang="en", report=report)
    english = list(openpyxl.load_workbook(path)["overview"].iter_rows(min_row=2, values_only=True))
    assert english[0][2] == "Proven best on every step." and english[2][0] == "step 1: meet the rotation quota and backbone share"
    assert "time: starting plan" in [row[0] for row in english]


def test_english_workbook_reads_back(solved, tmp_path):
    case, settings, plan, report = solved
    path = tmp_path / "plan_en.xlsx"
    write_plan_workbook(case, settings, plan, path, lang="en", report=report)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS_EN
    assert [c.value for c in book["placements"][1]][:len(PLACEMENTS.columns)] == [c.key for c in PLACEMENTS.columns]
    back, problems = read_plan(case, path)
    assert problems.ok and _key(back) == _key(plan)


def test_formula_like_names_are_written_as_text_and_neutralised(solved, tmp_path):
    """OWASP's CSV-injection advice: a string cell is not enough (F2+Enter or a save as CSV runs it),
    so a text a spreadsheet could take for a formula begins with an apostrophe; the JSON keeps it."""
    case, settings, plan, _ = solved
    tricky_names = ["=1+2", '=HYPERLINK("http://example.com","x")', "+1", "-3", "@SUM(A1)", "\tx", "'=x"]
    # The smallest ids, HYPERLINK on the smallest: it heads its host's list in 接收学校汇总 (sorted by id), so
    # some cell of another sheet begins with it whatever the plan (plan order moved with 骨干比例基数).
    placed = sorted(p.teacher_id for p in plan.placements)[:len(tricky_names)]
    tricky = dict(zip(placed, sorted(tricky_names, key=lambda name: not name.startswith("=HYPERLINK"))))
    teachers = [t.model_copy(update={"name": tricky[t.teacher_id]}) if t.teacher_id in tricky else t
                for t in case.teachers]
    edited = Case(teachers=teachers, schools=case.schools, demands=case.demands, links=case.links,
                  pins=case.pins, settings=case.settings)
    path = tmp_path / "tricky.xlsx"
    write_plan_workbook(edited, settings, plan, path)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml for xml in sheets)
    book = openpyxl.load_workbook(path)
    names = {row[0]: row[1] for row in _rows(book["派出安排"])}
    assert {teacher: names[teacher] for teacher in placed} == {teacher: "'" + name for teacher, name in tricky.items()}
    texts = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [text for text in texts if text[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(text.startswith("'=HYPERLINK(") for text in texts if text not in names.values())  # other sheets too
    assert neutralised("\rx") == "'\rx"  # openpyxl shows a carriage return as _x000D_, so checked here
    summary = plan_summary(edited, settings, plan)
    assert {p["teacher_id"]: p["teacher_name"] for p in summary["placements"] if p["teacher_id"] in tricky} == tricky


# --- the summary ---------------------------------------------------------------------------

def test_summary_is_json_with_the_contract_keys(solved):
    case, settings, plan, report = solved
    summary = json.loads(json.dumps(plan_summary(case, settings, plan, report), ensure_ascii=False))
    assert {"status", "gap", "placements", "quota", "unmet", "objective_levels", "audit", "headline",
            "times"} <= set(summary)
    assert summary["status"] == plan.status and summary["gap"] == pytest.approx(plan.gap)
    assert [level["key"] for level in summary["objective_levels"]] == [level.key for level in plan.levels]
    assert {"key", "zh", "en", "value", "bound", "gap"} <= set(summary["objective_levels"][0])
    assert len(summary["placements"]) == len(plan.placements)
    first = summary["placements"][0]
    assert {"teacher_id", "teacher_name", "from_school_id", "to_school_id", "subject", "start_term", "end_term",
            "link_program"} <= set(first)
    placement = plan.by_teacher()[first["teacher_id"]]
    assert first["start_term"] == placement.start.label() and first["end_term"] == placement.end.label()
    assert first["teacher_name"] == case.teacher(first["teacher_id"]).name
    assert first["link_program"] is not None  # strict pairing: every placement follows a link
    assert {"school_id", "school_year", "eligible", "required", "rotated", "backbone_rotated"} <= set(summary["quota"][0])
    assert {"school_id", "subject", "term", "shortfall"} <= set(summary["unmet"][0])


def test_summary_figures_agree_with_the_audit(solved):
    case, settings, plan, report = solved
    summary = plan_summary(case, settings, plan, report)
    by_rule = report.by_rule()
    assert sum(q["shortfall"] for q in summary["quota"]) == sum(v.amount for v in by_rule.get("quota", []))
    assert (sum(q["backbone_shortfall"] for q in summary["quota"])
            == sum(v.amount for v in by_rule.get("backbone", [])))
    assert len(summary["unmet"]) == len(by_rule.get("need", []))
    assert summary["audit"]["ok"] is report.ok
    assert len(summary["audit"]["hard"]) == len(report.hard)
    assert len(summary["audit"]["shortfalls"]) == len(report.shortfalls)
    assert summary["audit"]["shortfalls"][0]["zh"] and summary["audit"]["shortfalls"][0]["en"]
    figures = summary["headline"]
    assert figures["placements"] == len(plan.placements)
    assert figures["quota_shortfall"] == sum(q["shortfall"] for q in summary["quota"])
    assert figures["need_total"] - figures["need_filled"] == sum(u["shortfall"] for u in summary["unmet"])
    assert set(figures["arts_by_subject"]) == {"音乐", "体育", "美术"}
    assert figures["arts_need"] == sum(s["need"] for s in figures["arts_by_subject"].values())


def test_headline_counts(solved):
    """Every figure against the same figure counted the long way from the case and the placements."""
    case, settings, plan, _ = solved
    figures = headline(case, settings, plan)
    expected = count(Context(case, settings), plan)
    assert (figures.placements, figures.backbone_placed) == (expected.placements, expected.backbone_placed)
    assert (figures.sending_schools, figures.schools_meeting_quota) == (expected.sending_schools,
                                                                       expected.schools_meeting_quota)
    assert (figures.school_years, figures.school_years_meeting_quota) == (expected.school_years,
                                                                         expected.school_years_meeting_quota)
    assert (figures.quota_shortfall, figures.backbone_shortfall) == (expected.quota_shortfall,
                                                                    expected.backbone_shortfall)
    assert (figures.need_total, figures.need_filled) == (expected.need_total, expected.need_filled)
    assert (figures.arts_need, figures.arts_filled) == (expected.arts_need, expected.arts_filled)
    assert (figures.link_years, figures.link_years_alive) == (expected.link_years, expected.link_years_alive)
    assert (figures.links, figures.links_used) == (len(case.links), expected.links_used)
    # the sample is not trivial, so the comparisons above can tell a right count from a wrong one
    assert 0 < expected.need_filled < expected.need_total and 0 < expected.link_years_alive
    assert expected.backbone_placed < expected.placements
    zh = figures.lines("zh")
    assert zh[0] == (f"派出 {expected.placements} 人，其中骨干 {expected.backbone_placed} 人"
                     f"（{expected.backbone_placed / expected.placements:.0%}）")
    assert f"需求满足：{expected.need_filled}/{expected.need_total} 人·学期" in zh[2]
    assert len(figures.lines("zh")) == len(figures.lines("en")) == 4


# --- teachers not placed -------------------------------------------------------------------

def test_every_teacher_not_placed_has_one_reason(solved):
    case, settings, plan, _ = solved
    ctx = Context(case, settings)
    items = unplaced_teachers(ctx, plan)
    placed = {p.teacher_id for p in plan.placements}
    assert len(items) == len(case.teachers) - len(placed)
    assert not placed & {item.teacher.teacher_id for item in items}
    by_id = {item.teacher.teacher_id: item for item in items}
    counts = Counter(item.category for item in items)
    assert {"exempt", "not_eligible", "not_sending", "no_option", "not_chosen"} <= set(counts)
    for item in items:
        t = item.teacher
        assert item.reason.zh and item.reason.en
        if t.teacher_id in ctx.excluded:
            assert item.category == "excluded"
        elif t.exemption:
            assert item.category == "exempt" and t.exemption in item.reason.zh
        elif t.years_at_school < settings.min_years:
            assert item.category == "not_eligible" and str(t.years_at_school) in item.reason.zh
        elif not ctx.is_sending(ctx.home(t)):
            assert item.category == "not_sending"
    excluded = [p.teacher_id for p in case.pins if p.action is PinAction.EXCLUDE]
    assert all(by_id[t].category == "excluded" for t in excluded if t in by_id)


# --- reading a plan back -------------------------------------------------------------------

def test_read_plan_round_trip(exported, solved):
    case, _, plan, _ = solved
    back, problems = read_plan(case, exported)
    assert problems.ok and not problems.problems
    assert back.status == "edited"
    assert _key(back) == _key(plan)
    assert back.stats["settings"]["quota_rate"] == "0.1"  # the settings used, for the audit


def test_read_plan_from_bytes_without_length_columns(exported, solved):
    case, settings, plan, _ = solved
    book = openpyxl.load_workbook(exported)
    sheet = book["派出安排"]
    headers = [c.value for c in sheet[1]]
    for header in ("学期数", "结束学期"):
        sheet.delete_cols(headers.index(header) + 1)
        headers.remove(header)
    buffer = io.BytesIO()
    book.save(buffer)
    back, problems = read_plan(case, buffer.getvalue())
    assert problems.ok
    assert _key(back) == _key(plan)  # placement_terms (2) fills the length


def test_read_plan_reports_bad_rows_by_sheet_row_and_column(exported, solved, tmp_path):
    case, _, plan, _ = solved
    book = openpyxl.load_workbook(exported)
    sheet = book["派出安排"]
    column = {c.value: c.column for c in sheet[1]}
    sheet.cell(2, column["教师编号"]).value = "NOBODY"
    sheet.cell(3, column["开始学期"]).value = "next spring"
    sheet.cell(4, column["学科"]).value = None
    sheet.cell(5, column["学期数"]).value = 0
    path = tmp_path / "bad.xlsx"
    book.save(path)
    back, problems = read_plan(case, path)
    assert not problems.ok
    found = {(p.row, p.code) for p in problems.errors}
    assert {(2, "unknown_teacher"), (3, "bad_term"), (4, "required_empty"), (5, "plan_bad_terms")} <= found
    text = problems.text("zh")
    assert "“派出安排”表，第2行，“教师编号”列" in text and "NOBODY" in text
    assert "sheet placements, row 3, column start_term" in problems.text("en")
    assert len(back.placements) == len(plan.placements) - 4


def test_read_plan_warns_when_a_name_no_longer_matches_its_id(exported, solved, tmp_path):
    case, _, plan, _ = solved
    book = openpyxl.load_workbook(exported)
    sheet = book["派出安排"]
    column = {c.value: c.column for c in sheet[1]}
    sheet.cell(2, column["接收学校"]).value = "另一所学校"
    path = tmp_path / "renamed.xlsx"
    book.save(path)
    back, problems = read_plan(case, path)
    assert problems.ok and [p.code for p in problems.warnings] == ["plan_name_mismatch"]
    assert _key(back) == _key(plan)


def test_read_plan_finds_a_renamed_sheet_by_its_headers(exported, solved, tmp_path):
    case, _, plan, _ = solved
    book = openpyxl.load_workbook(exported)
    book["派出安排"].title = "最终方案"
    path = tmp_path / "renamed_sheet.xlsx"
    book.save(path)
    back, problems = read_plan(case, path)
    assert problems.ok and _key(back) == _key(plan)


def test_read_plan_without_any_placements_sheet(solved, tmp_path):
    case = solved[0]
    book = openpyxl.Workbook()
    book.active.append(["随便", "什么"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    back, problems = read_plan(case, path)
    assert back.placements == [] and [p.code for p in problems.errors] == ["plan_no_sheet"]
    _, unreadable = read_plan(case, b"not a workbook")
    assert [p.code for p in unreadable.errors] == ["file_unreadable"]


def test_read_plan_keeps_the_settings_the_plan_was_made_with(solved, tmp_path):
    case, _, plan, _ = solved
    used = settings_from(case.settings, pairing_mode="prefer", quota_rate="12%", **{"rule:couples": "off"})
    path = tmp_path / "prefer.xlsx"
    write_plan_workbook(case, used, plan, path)
    recorded = read_plan(case, path)[0].stats["settings"]
    assert recorded["pairing_mode"] == "优先" and recorded["rule:couples"] == "关"
    assert "rule:pairing" not in recorded  # implied by pairing_mode, so a later pairing_mode change counts
    assert settings_from(case.settings, **recorded) == used


# --- a registry roster: the date the years are counted from ---------------------------------

REGISTRY = Path(__file__).resolve().parent.parent / "sample_data" / "registry_county.xlsx"


@pytest.fixture(scope="module")
def registry_solved():
    case = read_paths([REGISTRY]).case
    settings = settings_from(case.settings).model_copy(update={"time_limit_s": 20.0})
    return case, settings, solve(case, settings)


def test_unplaced_sheet_shows_the_joining_date_beside_the_years(registry_solved, tmp_path):
    case, settings, plan = registry_solved
    target = tmp_path / "plan.xlsx"
    write_plan_workbook(case, settings, plan, target)
    sheet = openpyxl.load_workbook(target)["未派出教师"]
    header = [c.value for c in sheet[1]]
    years, joined, status = header.index("本校任教年限"), header.index("进本校年月"), header.index("在岗状态")
    rows = _rows(sheet)
    assert len(rows) == len(case.teachers) - len(plan.placements)
    start = settings.horizon_from.first_day
    for row in rows:
        teacher = case.teacher(row[0])
        assert row[joined] == f"{teacher.joined_school.year}年{teacher.joined_school.month}月"
        assert row[years] == teacher.years_at_school
        came = teacher.joined_school
        assert row[years] == start.year - came.year - ((start.month, start.day) < (came.month, came.day))
    assert {"产假", "长期病休"} <= {row[status] for row in rows}
    assert "否" in {row[header.index("是否在编")] for row in rows}


def test_unplaced_sheet_of_a_roster_without_dates_has_no_date_column(exported):
    header = [c.value for c in openpyxl.load_workbook(exported)["未派出教师"][1]]
    assert "本校任教年限" in header and "进本校年月" not in header and "在岗状态" not in header


def test_teacher_details_name_the_date_the_years_and_the_status(registry_solved):
    from scheduler.explain.why import teacher_details, why_placed

    case, settings, plan = registry_solved
    ctx = Context(case, settings)
    away = next(t for t in case.teachers if t.leave == "产假")
    text = "\n".join(line.zh for line in teacher_details(ctx, away))
    joined = away.joined_school
    assert f"{joined.year}年{joined.month}月进本校" in text and f"任教{away.years_at_school}年" in text
    assert "在岗状态 产假" in text and "身份证号 " in text
    english = "\n".join(line.en for line in teacher_details(ctx, away))
    assert f"{joined:%Y-%m}" in english and f"{away.years_at_school} years" in english
    off = next(t for t in case.teachers if t.on_staff is False)
    assert "非在编" in "\n".join(line.zh for line in teacher_details(ctx, off))
    placement = plan.placements[0]
    went = case.teacher(placement.teacher_id)
    assert any(f"{went.joined_school.year}年{went.joined_school.month}月进本校" in line.zh
               for line in why_placed(ctx, plan, placement))
