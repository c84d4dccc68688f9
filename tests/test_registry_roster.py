"""Rosters as the registry exports them (WORKBOOK.md, issue #12): aliases, layout, ID numbers,
进本校年月, school names, 在岗状态 / 是否在编, old titles, every date format, .xls, column mapping."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from registry_builder import REGISTRY, TODAY, id_number, xls_bytes, xlsx_bytes
from scheduler.domain.personal import mask_id_number
from scheduler.domain.settings import settings_from
from scheduler.rules.context import Context
from scheduler.rules.eligibility import eligible
from scheduler.workbook import UnmatchedSheet, read_files
from workbook_builder import located, minimal, read_sheets, set_cell

FIXTURE = Path(__file__).with_name("fixtures") / "registry_roster.xls"
SAME = ("teacher_id", "name", "school_id", "subject", "years_at_school", "gender", "birth_date", "title",
        "backbone", "backbone_level")


def _summary(case):
    ctx = Context(case, settings_from(case.settings))
    return ([tuple(getattr(t, f) for f in SAME) for t in case.teachers],
            [s.model_dump(exclude={"extra"}) for s in case.schools],
            [d.model_dump(exclude={"extra"}) for d in case.demands],
            [link.model_dump(exclude={"extra"}) for link in case.links],
            {t.teacher_id: eligible(ctx, t) for t in case.teachers})


@pytest.mark.parametrize("name,data", [("registry.xlsx", lambda: xlsx_bytes(REGISTRY)),
                                       ("registry.xls", FIXTURE.read_bytes)])
def test_a_registry_workbook_checks_clean_and_reads_to_the_same_case_as_todays_format(name, data):
    today = read_files([("today.xlsx", xlsx_bytes(TODAY))])
    registry = read_files([(name, data())])
    assert today.report.problems == [] and registry.report.problems == [], registry.report.text("en")
    assert _summary(registry.case) == _summary(today.case)
    assert {t.teacher_id for t in today.case.teachers if eligible(Context(today.case, settings_from(today.case.settings)), t)} == {"T1", "T2", "T6"}


def test_the_xls_fixture_is_the_registry_workbook_of_the_builder():
    xlwt = pytest.importorskip("xlwt")  # noqa: F841 - regenerating needs it; reading the fixture does not
    fresh = read_files([("fresh.xls", xls_bytes(REGISTRY))])
    committed = read_files([("committed.xls", FIXTURE.read_bytes())])
    assert fresh.case.model_dump() == committed.case.model_dump()


def test_an_xls_goes_through_the_guarded_child_reader(monkeypatch):
    from scheduler.workbook import sources

    seen = []
    real = sources.ChildReader

    class Spy(real):
        def __init__(self, data, wanted):
            seen.append(data[:8])
            super().__init__(data, wanted)

    monkeypatch.setattr(sources, "ChildReader", Spy)
    assert read_files([("registry.xls", FIXTURE.read_bytes())]).ok
    assert seen == [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


def test_registry_fields_reach_the_teacher():
    teacher = read_files([("r.xlsx", xlsx_bytes(REGISTRY))]).case.teacher("T4")
    assert (teacher.joined_school, teacher.started_work, teacher.status, teacher.on_staff, teacher.post) == (
        date(2023, 9, 1), date(2001, 9, 1), "在岗", True, "副校长")
    assert teacher.id_number == id_number("19790205", 17)


def test_status_and_on_staff_make_the_teacher_ineligible_with_that_reason():
    from scheduler.rules.eligibility import Eligibility

    case = read_files([("r.xlsx", xlsx_bytes(REGISTRY))]).case
    ctx, rule = Context(case, settings_from(case.settings)), Eligibility()
    assert rule.why_not_teacher(ctx, case.teacher("T3")).zh == "李娜免交流：产假"
    assert rule.why_unplaced(ctx, case.teacher("T3")).category == "exempt"
    assert "不在编" in rule.why_not_teacher(ctx, case.teacher("T5")).zh
    assert rule.why_unplaced(ctx, case.teacher("T5")).category == "not_eligible"
    assert rule.why_not_teacher(ctx, case.teacher("T1")) is None


# --- ID numbers ------------------------------------------------------------------------------

def test_mask_id_number_keeps_six_and_four():
    assert mask_id_number("11010519850301123X") == "110105********123X"
    assert mask_id_number("ID 11010519850301123X and 610727197902050173.") == \
        "ID 110105********123X and 610727********0173."
    assert mask_id_number("T1001") == "T1001" and mask_id_number(None) == ""


def _registry(cells: dict) -> dict:
    sheets = copy.deepcopy(REGISTRY)
    rows = sheets["花名册"]
    for (row, header), value in cells.items():
        rows[row - 1][rows[2].index(header)] = value
    return sheets


def test_a_wrong_check_digit_is_an_error_and_never_shown_in_full():
    good = id_number("19850312", 101)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    loaded = read_files([("r.xlsx", xlsx_bytes(_registry({(4, "身份证号码"): bad})))])
    assert located(loaded) == [("error", "bad_id_number", "teachers", 4, "id_number", mask_id_number(bad))]
    for lang in ("zh", "en"):
        assert bad not in loaded.report.text(lang) and bad[6:14] not in loaded.report.text(lang)
    assert "校验码" in loaded.report.text("zh")
    assert bad not in loaded.frames["teachers"].text.to_string()  # the Data page's preview


def test_duplicate_id_numbers_are_an_error_naming_the_first_row():
    same = REGISTRY["花名册"][3][3]
    loaded = read_files([("r.xlsx", xlsx_bytes(_registry({(5, "身份证号码"): same})))])
    problems = [(p.code, p.row, p.params.get("first_row")) for p in loaded.report.errors]
    assert ("duplicate_id_number", 5, 4) in problems
    assert same not in loaded.report.text("zh")


def test_given_birth_date_and_gender_that_disagree_with_the_id_are_warnings():
    sheets = minimal()
    rows = sheets["教师"]
    rows[0].append("身份证号")
    rows[1].append(id_number("19850312", 102))  # even: female, while the row says 男
    rows[2].append(id_number("19910701", 202))  # born 1991, the row says 1990-07-01
    codes = [(p.severity, p.code, p.row, p.column) for p in read_sheets(sheets).report.problems]
    assert codes == [("warning", "id_gender_mismatch", 2, "gender"), ("warning", "id_birth_mismatch", 3, "birth_date")]


def test_a_month_alone_agrees_with_any_day_of_the_id():
    sheets = minimal()
    sheets["教师"][0].append("身份证号")
    sheets["教师"][1].append(id_number("19850312", 101))
    sheets["教师"][2].append("")
    set_cell(sheets, "教师", 2, "出生日期", "1985-03")
    assert read_sheets(sheets).report.problems == []


# --- 进本校年月 --------------------------------------------------------------------------------

def test_years_counted_from_joined_school_to_the_horizons_first_day():
    sheets = minimal()
    sheets["教师"][0].append("进本校年月")
    sheets["教师"][1].append("2019-09")  # to 2026-09-01: 7 years; the roster says 8
    sheets["教师"][2].append("2019-10")  # 6 years; says 7
    loaded = read_sheets(sheets)
    assert [(p.code, p.row) for p in loaded.report.problems] == [("years_disagree", 2), ("years_disagree", 3)]
    assert [t.years_at_school for t in loaded.case.teachers] == [7, 6]


def test_the_horizon_setting_moves_the_day_years_are_counted_to():
    sheets = minimal()
    sheets["教师"][0].append("进本校年月")
    sheets["教师"][1].append("2019-09")
    sheets["教师"][2].append("2019-09")
    sheets["需求"][1][3:5] = ["2028秋", "2029春"]
    drop = sheets["教师"][0].index("本校任教年限")
    for row in sheets["教师"]:
        del row[drop]
    loaded = read_sheets(sheets)
    assert loaded.report.problems == [] and [t.years_at_school for t in loaded.case.teachers] == [9, 9]


def test_joined_after_the_horizon_starts_is_an_error():
    sheets = minimal()
    sheets["教师"][0].append("进本校年月")
    sheets["教师"][1].append("2026.10")
    sheets["教师"][2].append("")
    assert located(read_sheets(sheets)) == [("error", "joined_after_horizon", "teachers", 2, "joined_school",
                                             "2026-10-01")]


def test_without_years_or_joined_the_years_column_is_missing():
    sheets = minimal()
    drop = sheets["教师"][0].index("本校任教年限")
    for row in sheets["教师"]:
        del row[drop]
    assert [p.code for p in read_sheets(sheets).report.errors] == ["missing_column"]


# --- school names -----------------------------------------------------------------------------

def test_a_school_name_that_matches_no_school_is_one_message_with_the_closest_names():
    sheets = _registry({(4, "现任教学校"): "城关小校", (5, "现任教学校"): "城关小校"})
    loaded = read_files([("r.xlsx", xlsx_bytes(sheets))])
    assert [(p.code, p.row, p.column, p.value) for p in loaded.report.problems] == [
        ("unknown_school_name", 4, "school_name", "城关小校")]
    problem = loaded.report.problems[0]
    assert "“城关小学”" in problem.message("zh") and "2 teacher(s)" in problem.message("en")
    assert "表头“现任教学校”" in problem.text("zh")


def test_two_schools_of_one_name_is_one_precise_message():
    sheets = copy.deepcopy(REGISTRY)
    sheets["学校信息"][6][1] = "城关中学"  # S4 renamed like S3
    loaded = read_files([("r.xlsx", xlsx_bytes(sheets))])
    assert [(p.code, p.row) for p in loaded.report.problems] == [("ambiguous_school_name", 8)]
    assert "S3、S4" in loaded.report.problems[0].message("zh")


def test_a_name_column_beside_a_code_column_passes_through():
    sheets = minimal()
    sheets["教师"][0].append("学校名称")
    sheets["教师"][1].append("随便")
    sheets["教师"][2].append("城关小学")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == [] and loaded.case.teacher("T1").extra == {"学校名称": "随便"}


# --- values -------------------------------------------------------------------------------------

@pytest.mark.parametrize("written,title", [("中学高级教师", "高级"), ("中学一级", "一级"), ("中学二级", "二级"),
                                           ("小学高级教师", "一级"), ("小学一级", "二级"), ("小学二级", "三级"),
                                           ("中小学一级教师", "一级"), ("正高级教师", "正高级")])
def test_old_titles_map_to_the_unified_ones(written, title):
    sheets = minimal()
    sheets["教师"][0].append("现聘职称")
    sheets["教师"][1].append(written)
    sheets["教师"][2].append("")
    assert read_sheets(sheets).case.teacher("T1").title.zh == title


@pytest.mark.parametrize("written,counts", [("县级骨干教师", True), ("市级骨干教师", True), ("省级骨干教师", True),
                                            ("学科带头人", True), ("教学能手", True), ("名师", True),
                                            ("特级教师", True), ("无", False), ("否", False), ("", False)])
def test_backbone_values_as_registries_write_them(written, counts):
    sheets = minimal()
    sheets["教师"][0].append("骨干教师级别")
    sheets["教师"][1].append(written)
    sheets["教师"][2].append("")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == [] and loaded.case.teacher("T1").backbone is counts


DATES = ["2015-09-01", "2015/9/1", "2015-09", "2015/09", "201509", "20150901", "2015.09", "2015.9",
         "2015年9月", "2015年9月1日", date(2015, 9, 1), 2015.09, 201509, 20150901]


@pytest.mark.parametrize("column,field", [("出生年月", "birth_date"), ("进本校年月", "joined_school"),
                                          ("参加工作年月", "started_work")])
@pytest.mark.parametrize("written", DATES, ids=str)
def test_every_date_format_in_every_date_column(column, field, written):
    sheets = minimal()
    for row in sheets["教师"]:
        del row[3]  # 出生日期
    sheets["教师"][0].append(column)
    sheets["教师"][1].append(written if field != "birth_date" else written)
    sheets["教师"][2].append("")
    if field == "birth_date":
        sheets["教师"][1][-1] = written if not isinstance(written, str) else written.replace("2015", "1985")
        expected = date(1985, 9, 1) if isinstance(written, str) else None
    else:
        expected = date(2015, 9, 1)
    loaded = read_sheets(sheets)
    if field == "birth_date" and not isinstance(written, str):
        return  # a 2015 birth is under 18: the range check, tested elsewhere
    assert [p.code for p in loaded.report.problems if p.code != "years_disagree"] == [], loaded.report.text("en")
    assert getattr(loaded.case.teacher("T1"), field) == expected


def test_a_year_and_one_typed_as_a_number_stays_ambiguous_in_new_date_columns():
    sheets = minimal()
    sheets["教师"][0].append("参加工作年月")
    sheets["教师"][1].append(2010.1)
    sheets["教师"][2].append("")
    assert [p.code for p in read_sheets(sheets).report.problems] == ["ambiguous_month"]


# --- layout --------------------------------------------------------------------------------------

def test_ten_title_rows_above_the_header_keep_excel_rows():
    sheets = minimal()
    sheets["教师"][1][sheets["教师"][0].index("本校任教年限")] = "八"
    sheets["教师"] = [[f"标题{i}"] for i in range(10)] + sheets["教师"]
    assert located(read_sheets(sheets)) == [("error", "bad_int", "teachers", 12, "years_at_school", "八")]


def test_a_note_block_below_the_table_is_not_data_but_a_note_like_name_is():
    sheets = minimal()
    sheets["教师"] += [["注：年限算到9月1日"], ["填表说明", "见附件"], ["T9"]]
    assert read_sheets(sheets).case is not None
    sheets = minimal()
    sheets["教师"].append(["注1", "注意", "", "", "S1", "语文", "", 8, "", "", ""])  # a row of data, not a note
    assert [t.teacher_id for t in read_sheets(sheets).case.teachers] == ["T1", "T2", "注1"]


@pytest.mark.parametrize("tab", ["教师名册", "教师信息", "花名册", "教职工"])
def test_sheet_name_aliases(tab):
    sheets = minimal()
    sheets[tab] = sheets.pop("教师")
    assert read_sheets(sheets).ok


@pytest.mark.parametrize("header", ["工号", "人员编号", "教职工号", "*工号", "工号（必填）", "工\u3000号", "工\n号"])
def test_header_aliases_with_marks(header):
    sheets = minimal()
    sheets["教师"][0][0] = header
    assert read_sheets(sheets).ok


def test_problems_name_the_header_as_written():
    sheets = minimal()
    sheets["教师"][0][5] = "任教学科"
    set_cell(sheets, "教师", 2, "任教学科", "音悦")
    problem = read_sheets(sheets).report.problems[0]
    assert "“学科”列（表头“任教学科”）" in problem.text("zh") and "(header '任教学科')" in problem.text("en")


# --- column mapping --------------------------------------------------------------------------------

def _unknown_headers():
    sheets = minimal()
    sheets["教师"][0][0] = "人员代码"   # not an alias
    sheets["教师"][0][5] = "所教课程"
    return sheets


def test_missing_columns_come_back_with_the_files_headers_and_suggestions():
    from workbook_builder import xlsx_bytes as plain_xlsx

    loaded = read_files([("r.xlsx", plain_xlsx(_unknown_headers()))])
    assert not loaded.ok
    unmatched = loaded.unmatched["teachers"]
    assert isinstance(unmatched, UnmatchedSheet)
    assert unmatched.missing == ("teacher_id", "subject") and unmatched.header_row == 1
    assert unmatched.headers[0] == "人员代码" and unmatched.suggestions["teacher_id"] == "人员代码"
    assert set(loaded.unmatched) == {"teachers"}


def test_a_column_mapping_is_applied_before_the_aliases():
    from workbook_builder import xlsx_bytes as plain_xlsx

    data = plain_xlsx(_unknown_headers())
    loaded = read_files([("r.xlsx", data)], columns={"teachers": {"teacher_id": "人员代码", "subject": "所教课程"}})
    assert loaded.ok and loaded.unmatched == {}, loaded.report.text("en")
    assert [t.subject for t in loaded.case.teachers] == ["语文", "数学"]
    # the mapping wins over an alias: 姓名 mapped to another header leaves the 姓名 column as extra
    sheets = minimal()
    sheets["教师"][0].append("教师全名")
    sheets["教师"][1].append("张老师")
    sheets["教师"][2].append("王老师")
    mapped = read_files([("r.xlsx", plain_xlsx(sheets))], columns={"teachers": {"name": "教师全名"}})
    assert [t.name for t in mapped.case.teachers] == ["张老师", "王老师"]
    assert mapped.case.teacher("T1").extra == {"姓名": "张伟"}
