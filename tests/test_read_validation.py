"""Reading a planning workbook: each kind of mistake is reported once, at the cell a planner must fix.

Every test starts from the clean minimal workbook in `workbook_builder`, breaks one thing, and
checks the report names the right code, sheet, Excel row, column and value.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from scheduler.domain.enums import Locality
from scheduler.domain.terms import Term
from scheduler.workbook import read_files, write_template
import hostile_files as h
from scheduler.workbook import isolated_read, limits, zip_scan
from scheduler.workbook.cells import cell_text, undo_formula_guard
from scheduler.workbook.messages import MESSAGES
from workbook_builder import (csv_bytes, drop_column, in_english, located, minimal, read_sheets, set_cell,
                              xlsx_bytes)


def only_problem(sheets) -> tuple:
    loaded = read_sheets(sheets)
    problems = located(loaded)
    assert len(problems) == 1, problems
    if problems[0][0] == "error":
        assert loaded.case is None
    return problems[0]


def test_clean_minimal_workbook_gives_a_case_and_no_problems():
    loaded = read_sheets(minimal())
    assert loaded.report.problems == []
    case = loaded.case
    assert case is not None
    assert [t.teacher_id for t in case.teachers] == ["T1", "T2"]
    assert case.teacher("T1").years_at_school == 8
    assert case.teacher("T1").birth_date == date(1985, 3, 12)
    assert case.school("S2").locality is Locality.RURAL
    assert (case.links[0].lead_school_id, case.links[0].member_school_id) == ("S1", "S2")
    need = case.demands[0]
    assert (need.school_id, need.subject, need.count) == ("S2", "语文", 1)
    assert (need.from_term, need.to_term) == (Term(year=2026, season="fall"), Term(year=2027, season="spring"))


def test_missing_required_sheet():
    sheets = minimal()
    del sheets["需求"]
    assert only_problem(sheets) == ("error", "missing_sheet", "demand", None, None, "")


def test_missing_optional_sheet_is_no_problem():
    sheets = minimal()
    del sheets["结对"]
    sheets["设置"] = [["参数", "值"], ["结对模式", "不限"]]
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case is not None and loaded.case.links == []


def test_missing_required_column():
    sheets = minimal()
    drop_column(sheets, "教师", "姓名")
    assert only_problem(sheets) == ("error", "missing_column", "teachers", 1, "name", "")


def test_missing_optional_column_is_no_problem():
    sheets = minimal()
    drop_column(sheets, "教师", "出生日期")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case.teacher("T1").birth_date is None


def test_duplicate_teacher_id_names_the_first_row():
    sheets = minimal()
    set_cell(sheets, "教师", 3, "教师编号", "T1")
    loaded = read_sheets(sheets)
    assert located(loaded) == [("error", "duplicate_id", "teachers", 3, "teacher_id", "T1")]
    assert loaded.report.problems[0].params["first_row"] == 2
    assert "第2行" in loaded.report.problems[0].message("zh")


def test_teacher_whose_school_does_not_exist():
    sheets = minimal()
    set_cell(sheets, "教师", 3, "学校编号", "S9")
    assert only_problem(sheets) == ("error", "unknown_school", "teachers", 3, "school_id", "S9")


def test_link_naming_unknown_school():
    sheets = minimal()
    sheets["结对"].append(["学区", "S1", "S404"])
    assert only_problem(sheets) == ("error", "unknown_school", "links", 3, "member_school_id", "S404")


def test_demand_naming_unknown_school():
    sheets = minimal()
    sheets["需求"].append(["S404", "数学", 1, "2026秋", "2027春"])
    assert only_problem(sheets) == ("error", "unknown_school", "demand", 3, "school_id", "S404")


def test_spouse_not_in_roster():
    sheets = minimal()
    set_cell(sheets, "教师", 2, "配偶编号", "T99")
    assert only_problem(sheets) == ("error", "unknown_teacher", "teachers", 2, "spouse_id", "T99")


def test_mutual_spouses_are_accepted():
    sheets = minimal()
    set_cell(sheets, "教师", 2, "配偶编号", "T2")
    set_cell(sheets, "教师", 3, "配偶编号", "T1")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case.spouse(loaded.case.teacher("T1")).teacher_id == "T2"


def test_unparseable_date():
    sheets = minimal()
    set_cell(sheets, "教师", 3, "出生日期", "1990-13-45")
    assert only_problem(sheets) == ("error", "bad_date", "teachers", 3, "birth_date", "1990-13-45")


@pytest.mark.parametrize("text", ["2026冬", "秋季", "26秋", "2026-summer"])
def test_unparseable_term(text):
    sheets = minimal()
    set_cell(sheets, "需求", 2, "开始学期", text)
    assert only_problem(sheets) == ("error", "bad_term", "demand", 2, "from_term", text)


@pytest.mark.parametrize("text", ["八年", "7.5", "7年"])
def test_unparseable_number(text):
    sheets = minimal()
    set_cell(sheets, "教师", 2, "本校任教年限", text)
    assert only_problem(sheets) == ("error", "bad_int", "teachers", 2, "years_at_school", text)


def test_negative_count():
    sheets = minimal()
    set_cell(sheets, "需求", 2, "人数", -1)
    assert only_problem(sheets) == ("error", "negative", "demand", 2, "count", "-1")


def test_from_term_after_to_term():
    sheets = minimal()
    set_cell(sheets, "需求", 2, "开始学期", "2027秋")
    loaded = read_sheets(sheets)
    assert located(loaded) == [("error", "term_order", "demand", 2, "from_term", "2027秋")]
    assert loaded.report.problems[0].params == {"first": "2027秋", "last": "2027春"}


@pytest.mark.parametrize("typo", ["音悦", "Musik", "音乐老师"])
def test_unknown_subject_suggests_the_closest(typo):
    sheets = minimal()
    set_cell(sheets, "教师", 3, "学科", typo)
    loaded = read_sheets(sheets)
    assert located(loaded) == [("error", "unknown_subject", "teachers", 3, "subject", typo)]
    problem = loaded.report.problems[0]
    assert "是否为“音乐”" in problem.message("zh")
    assert "did you mean '音乐'" in problem.message("en")


def test_traditional_subject_name_is_not_a_typo():
    sheets = minimal()
    set_cell(sheets, "教师", 3, "学科", "音樂")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case.teacher("T2").subject == "音乐"


def _demand_at_unlinked_school(sheets) -> None:
    sheets["学校"].append(["S3", "金家河小学", "略阳县", "乡村", "小学"])
    sheets["需求"].append(["S3", "音乐", 1, "2026秋", "2027春"])


def test_demand_without_link_warns_under_strict_pairing():
    sheets = minimal()
    _demand_at_unlinked_school(sheets)
    loaded = read_sheets(sheets)
    assert located(loaded) == [("warning", "demand_no_link", "demand", 3, "school_id", "S3")]
    assert "金家河小学" in loaded.report.problems[0].message("zh")
    assert loaded.case is not None  # a warning does not stop planning


@pytest.mark.parametrize("mode", ["不限", "any"])
def test_demand_without_link_is_fine_when_pairing_is_not_required(mode):
    sheets = minimal()
    _demand_at_unlinked_school(sheets)
    sheets["设置"] = [["参数", "值"], ["结对模式", mode]]
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case.settings["pairing_mode"] == mode


def test_all_problems_are_reported_at_once():
    sheets = minimal()
    set_cell(sheets, "教师", 2, "本校任教年限", "很久")
    set_cell(sheets, "教师", 3, "学科", "Musik")
    set_cell(sheets, "学校", 3, "城乡类型", "山区")
    sheets["结对"].append(["学区", "S1", "S404"])
    set_cell(sheets, "需求", 2, "结束学期", "2027夏")
    loaded = read_sheets(sheets)
    assert loaded.case is None
    assert sorted(located(loaded)) == sorted([
        ("error", "bad_int", "teachers", 2, "years_at_school", "很久"),
        ("error", "unknown_subject", "teachers", 3, "subject", "Musik"),
        ("error", "bad_choice", "schools", 3, "locality", "山区"),
        ("error", "unknown_school", "links", 3, "member_school_id", "S404"),
        ("error", "bad_term", "demand", 2, "to_term", "2027夏"),
    ])


def test_english_and_chinese_names_read_the_same_case():
    chinese = read_sheets(minimal())
    english = read_sheets(in_english(minimal()))
    assert english.report.problems == []
    assert english.case == chinese.case
    mixed = minimal()
    mixed["teachers"] = mixed.pop("教师")  # English sheet name, Chinese headers
    mixed["学校"] = in_english(minimal())["schools"]  # Chinese sheet name, English headers
    assert read_sheets(mixed).case == chinese.case


def test_headers_with_spaces_and_capitals_are_recognised():
    sheets = in_english(minimal())
    sheets["teachers"][0] = [f"  {h.upper()} " for h in sheets["teachers"][0]]
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case == read_sheets(minimal()).case


@pytest.mark.parametrize("space", [" ", "\t", "\u3000", "\xa0"])
def test_space_around_a_cell_is_not_part_of_the_value(space):
    """Copied from another system, cells carry spaces (full-width ones too): the case is the same."""
    sheets = minimal()
    set_cell(sheets, "教师", 2, "姓名", f"{space}张伟")  # before, in the middle of the sheet
    set_cell(sheets, "教师", 3, "学校编号", f"S1{space}")  # after, in the last row
    set_cell(sheets, "学校", 3, "学校名称", f"{space}白水江小学{space}")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case == read_sheets(minimal()).case
    assert loaded.case.teacher("T1").name == "张伟"


def test_title_row_above_the_header_keeps_excel_row_numbers():
    sheets = minimal()
    set_cell(sheets, "教师", 3, "本校任教年限", "x")  # Excel row 3 before the title is added
    sheets["教师"].insert(0, ["略阳县2026年在编教师名册"])
    sheets["教师"].insert(3, [])  # and a blank row between the two teachers
    loaded = read_sheets(sheets)
    assert located(loaded) == [("error", "bad_int", "teachers", 5, "years_at_school", "x")]


def test_second_english_header_row_is_skipped():
    sheets = minimal()
    sheets["需求"].insert(1, ["school_id", "subject", "count", "from_term", "to_term"])
    set_cell(sheets, "需求", 3, "人数", "一个")
    loaded = read_sheets(sheets)
    assert located(loaded) == [("error", "bad_int", "demand", 3, "count", "一个")]


def test_filled_in_template_reads_from_row_three():
    """A planner fills the blank template: row 1 Chinese headers, row 2 English, data from row 3."""
    blank = io.BytesIO()
    write_template(blank)
    workbook = load_workbook(blank)
    for name, rows in minimal().items():
        page = workbook[name]
        headers = [cell.value for cell in page[1]]
        for row in rows[1:]:
            values = dict(zip(rows[0], row))
            page.append([values.get(header) for header in headers])
    years = [cell.value for cell in workbook["教师"][1]].index("本校任教年限") + 1
    workbook["教师"].cell(row=4, column=years, value="七")  # the second teacher
    filled = io.BytesIO()
    workbook.save(filled)
    loaded = read_files([("模板.xlsx", filled.getvalue())])
    assert located(loaded) == [("error", "bad_int", "teachers", 4, "years_at_school", "七")]


def test_subjects_are_normalised_across_scripts_and_languages():
    sheets = minimal()
    sheets["教师"][1:] = [
        ["T1", "张伟", "男", "", "S1", "音樂", "PE、美術", 8, "", "", ""],
        ["T2", "王芳", "女", "", "S1", "music", "體育，Art; 音乐", 7, "", "", ""],
        ["T3", "李娜", "女", "", "S1", " Mathematics ", "語文", 6, "", "", ""],
    ]
    sheets["需求"][1] = ["S2", "Music", 1, "2026秋", "2027春"]
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    case = loaded.case
    assert case.teacher("T1").subjects == ("音乐", "体育", "美术")
    assert case.teacher("T2").subjects == ("音乐", "体育", "美术")
    assert case.teacher("T3").subjects == ("数学", "语文")
    assert case.demands[0].subject == "音乐"


def test_terms_in_both_notations():
    sheets = minimal()
    sheets["需求"][1:] = [["S2", "语文", 1, "2026-fall", "2027春"], ["S2", "数学", 1, "2026秋", "2027-Spring"]]
    set_cell(sheets, "教师", 2, "可交流开始学期", "2027-spring")
    set_cell(sheets, "教师", 2, "可交流结束学期", "2028秋")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    fall, spring = Term(year=2026, season="fall"), Term(year=2027, season="spring")
    assert [(d.from_term, d.to_term) for d in loaded.case.demands] == [(fall, spring), (fall, spring)]
    teacher = loaded.case.teacher("T1")
    assert (teacher.available_from, teacher.available_to) == (spring, Term(year=2028, season="fall"))


def test_bad_settings_value_is_reported_on_the_settings_sheet():
    sheets = minimal()
    sheets["设置"] = [["参数", "值"], ["最低任教年限", "6"], ["交流比例", "百分之十"]]
    loaded = read_sheets(sheets)
    assert located(loaded) == [("error", "bad_setting", "settings", 3, "value", "百分之十")]
    assert loaded.report.problems[0].params["key"] == "交流比例"
    assert "交流比例" in loaded.report.problems[0].message("zh")


def test_good_settings_reach_the_case_under_english_keys():
    sheets = minimal()
    sheets["设置"] = [["参数", "值"], ["交流比例", "15%"], ["min_years", "9"]]
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case.settings == {"quota_rate": "15%", "min_years": "9"}


# --- every message in the catalogue, produced by a real input and rendered in both languages ---

def _kitchen_sink_workbook() -> bytes:
    """One workbook with a mistake of almost every kind, each in its own cell."""
    teachers = [
        ["教师编号", "姓名", "性别", "出生日期", "学校编号", "学科", "职称", "骨干", "本校任教年限",
         "可交流开始学期", "可交流结束学期", "志愿学校", "配偶编号", "拟申报高级职称"],
        ["T1", "张伟", "X", "1985-13-45", "S9", "音悦", "特级", "也许", "八", "2027秋", "2026秋", "S404", "T1", "也许"],
        ["T1", "", "男", "", "S1", "语文", "一级", "是", -2, "", "", "", "T99", "否"],
        ["T3", "李娜", "女", "", "S1", "数学", "二级", "县级", 7, "", "", "S2", "T4", "否"],
        ["T4", "赵磊", "男", "", "S1", "数学", "", "", 7, "", "", "", "", ""],
        ["T5", "钱多", "男", 1992.1, "S1", "数学", "", "", 1000, "", "", "", "", ""],
        ["T6", "孙少", "女", 1990, "S1", "数学", "", "", 7, "", "", "", "", ""],
        ["T7", "周老", "女", "1930-05-01", "S1", "数学", "", "", 7, "", "", "", "", ""],
    ]
    schools = [
        ["学校编号", "学校名称", "区县", "城乡类型", "学段", "优先级", "经度"],
        ["S1", "城关小学", "略阳县", "城区", "小学", 9, "东经106度"],
        ["S2", "白水江小学", "略阳县", "乡村", "小学", 1, 106.1],
        ["S3", "金家河小学", "略阳县", "乡村", "小学", 1, ""],
    ]
    links = [
        ["项目", "牵头学校", "成员学校", "每年最少派出", "每年最多派出"],
        ["学区", "S1", "S2", 3, 1],
        ["学区", "S1", "S2", "", ""],
        ["学区", "S1", "S1", "", ""],
    ]
    demand = [
        ["学校编号", "学科", "人数", "开始学期", "结束学期"],
        ["S2", "语文", 0, "2026秋", "2027春"],
        ["S3", "音乐", 1, "2026冬", "2027春"],
    ]
    pins = [["教师编号", "学校编号", "操作"], ["T3", "", "锁定"], ["T404", "S2", "禁止"]]
    settings = [["参数", "值"], ["交流比例", "很多"], ["最低任教年限", "6"], ["min_years", "9"], ["天气", "晴"],
                ["规则:need", "硬"], ["rule:unknown", "hard"], ["规划开始学期", "2027秋"], ["规划结束学期", "2026秋"]]
    history = [["教师编号", "交流学校编号", "开始学期", "结束学期"], ["T404", "S2", "2025冬", "2026春"]]
    return xlsx_bytes({"教师": teachers, "学校": schools, "结对": links, "需求": demand, "锁定": pins,
                       "设置": settings, "交流记录": history, "备注": [["随便写写"]]})


def _problems_of_every_kind() -> list:
    broken_header = minimal()
    broken_header["学校"][0] = ["学校编号", "学校名称", "学校名称", "城乡类型", "学段"]  # 区县 missing, name twice
    broken_header["需求"] = broken_header["需求"][:1]  # header only
    broken_header["锁定"] = [["这张表还没填"], ["待定"]]
    del broken_header["结对"]
    no_teachers = minimal()
    del no_teachers["教师"]
    no_demand = minimal()
    del no_demand["需求"]
    reads = [
        read_files([("kitchen.xlsx", _kitchen_sink_workbook())]),
        read_files([("headers.xlsx", xlsx_bytes(broken_header))]),
        read_files([("no_teachers.xlsx", xlsx_bytes(no_teachers)),
                    ("teachers.csv", b"teacher_id,name\x00\r\n"),
                    ("学校.csv", b"\x80\x80\xff"),
                    ("需求.csv", '学校编号,"学科"x\r\n'.encode()),
                    ("说明.docx", b"PK"),
                    ("readme.csv", b"hello"),
                    ("broken.xlsx", b"this is not a zip file")]),
        read_files([("no_demand.xlsx", xlsx_bytes(no_demand))]),
        read_files([("roster.xlsx", xlsx_bytes(minimal())), ("教师.csv", csv_bytes(minimal()["教师"]))]),
        read_files([]),
        read_files([("registry.xlsx", xlsx_bytes(_registry_sink()))]),
    ]
    return [problem for loaded in reads for problem in loaded.report.problems]


def _registry_sink() -> dict:
    """The registry's own mistakes (WORKBOOK.md "Rosters as the registry exports them")."""
    from registry_builder import id_number

    valid = id_number("19850312", 102)  # female
    teachers = [
        ["工号", "姓名", "性别", "出生日期", "身份证号", "现任教学校", "学科", "进本校年月", "本校任教年限"],
        ["R1", "甲", "", "", valid[:-1] + ("1" if valid[-1] == "0" else "0"), "城关小学", "语文", "", 8],
        ["R2", "乙", "男", "1986-01-01", valid, "城关小学", "语文", "", 8],
        ["R3", "丙", "", "", valid, "城关小学", "语文", "", 8],
        ["R4", "丁", "", "", "", "城关小学", "语文", "2030-01", ""],
        ["R5", "戊", "", "", "", "城关小学", "语文", "2019-09", 3],
        ["R6", "己", "", "", "", "不存在小学", "语文", "", 8],
        ["R7", "庚", "", "", "", "重名小学", "语文", "", 8],
    ]
    schools = [["学校编号", "学校名称", "区县", "城乡类型", "学段"], ["S1", "城关小学", "略阳县", "城区", "小学"],
               ["S2", "重名小学", "略阳县", "乡村", "小学"], ["S3", "重名小学", "略阳县", "乡村", "小学"]]
    demand = [["学校编号", "学科", "人数", "开始学期", "结束学期"], ["S2", "语文", 1, "2026秋", "2027春"]]
    return {"花名册": teachers, "学校信息": schools, "岗位需求": demand,
            "结对": [["项目", "牵头学校", "成员学校"], ["学区", "S1", "S2"]]}


def _hostile_problems(monkeypatch) -> list:
    """The refusals of files that must not reach the reader (test_hostile_files has one test each)."""
    tables = {name: rows for name, rows in minimal().items()}
    parts = h.workbook_parts(h.table_sheets(tables))
    many = {**parts, **{f"xl/media/{n}.txt": b"" for n in range(10_001)}}
    strings = {**parts, "xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                                 b'2006/main" uniqueCount="4000000000"><si><t>a</t></si></sst>'}
    members = h.honest(parts)
    packed = members[4][1]
    members[4] = (members[4][0], packed[:10] + bytes(b ^ 0x5A for b in packed[10:40]) + packed[40:],
                  members[4][2], members[4][3])
    files = [("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le")),
             ("page.xls", b"<html></html>"), ("cut.xlsx", h.zip_bytes(parts)[:200]),
             ("damaged.xlsx", h.raw_zip(members)), ("many.xlsx", h.zip_bytes(many)),
             ("big.xlsx", h.declared_bomb_xlsx(tables, 3 << 30)),
             ("liar.xlsx", h.lying_bomb_xlsx(tables, "教师", filler_mb=1)),
             ("far.xlsx", h.xlsx({"教师": h.sheet_xml([], {"XFD1048576": 1})})),
             ("strings.xlsx", h.zip_bytes(strings))]
    problems = [p for name, data in files for p in read_files([(name, data)]).report.problems]
    monkeypatch.setattr(zip_scan, "MAX_CELLS", 1 << 62)
    problems += read_files([("panic.xlsx", h.xlsx({"教师": h.sheet_xml([], {"XFD1048576": 1})}))]).report.problems
    monkeypatch.setattr(limits, "READ_SECONDS", 0)
    # Linux takes a CPU limit of 0 as 1 s, which a small file's read may never reach on a quiet
    # machine: the wall-clock watchdog at 0 s stops the read for certain.
    monkeypatch.setattr(isolated_read, "_WALL_MARGIN_S", 0)
    problems += read_files([("slow.xlsx", h.xlsx(h.table_sheets(tables)))]).report.problems
    monkeypatch.setattr(zip_scan, "RATIO_FROM_BYTES", 0)
    problems += read_files([("ratio.xlsx", h.bomb_xlsx(tables, "教师", filler_mb=1))]).report.problems
    return problems


def test_every_message_code_is_produced_and_renders_in_both_languages(monkeypatch):
    problems = _problems_of_every_kind() + _hostile_problems(monkeypatch)
    for problem in problems:
        for lang in ("zh", "en"):
            message, text = problem.message(lang), problem.text(lang)
            assert message and "{" not in message, (problem, lang)
            assert message in text
    assert {p.code for p in problems} == set(MESSAGES)


def test_messages_locate_the_cell_in_the_planners_language():
    sheets = minimal()
    set_cell(sheets, "教师", 3, "学校编号", "S9")
    problem = read_sheets(sheets).report.problems[0]
    assert problem.text("zh") == "[错误] roster.xlsx，“教师”表，第3行，“学校编号”列: 学校编号“S9”不在“学校”表中"
    assert problem.text("en") == ("[error] roster.xlsx, sheet teachers, row 3, column school_id: "
                                  "school id 'S9' is not in the schools sheet")


# --- registry rosters, read-back exports, implausible values ---

@pytest.mark.parametrize("header", ["*教师编号", "＊教师编号", "教师编号（必填）", "教师编号(必填)", "教师编号 (required)",
                                    "教师编号 ", "教师\n编号", "教师编号*"])
def test_required_field_markers_on_headers_are_ignored(header):
    sheets = minimal()
    sheets["教师"][0][0] = header
    loaded = read_sheets(sheets)
    assert loaded.report.problems == [], loaded.report.text("en")
    assert loaded.case.teacher("T1").name == "张伟"


def test_a_missing_key_column_is_one_error_not_one_per_reference():
    sheets = minimal()
    sheets["教师"][0][0] = "教职工代号"  # not a known header: the teacher_id column is missing
    sheets["教师"][1][-1], sheets["教师"][2][-1] = "T2", "T1"  # spouses refer to teacher ids
    sheets["锁定"] = [["教师编号", "学校编号", "操作"], ["T1", "S2", "禁止"]]
    sheets["学校"][0][0] = "学校代号"  # and schools lose their school_id
    loaded = read_sheets(sheets)
    assert [(p.code, p.sheet, p.column) for p in loaded.report.errors] == [
        ("missing_column", "teachers", "teacher_id"), ("missing_column", "schools", "school_id")]


def test_a_year_and_month_typed_as_a_number_is_not_an_excel_serial_day():
    sheets = minimal()
    set_cell(sheets, "教师", 2, "出生日期", 1992.03)
    set_cell(sheets, "教师", 3, "出生日期", 1988.12)
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case.teacher("T1").birth_date == date(1992, 3, 1)
    assert loaded.case.teacher("T2").birth_date == date(1988, 12, 1)


def test_a_year_and_month_typed_into_a_date_formatted_cell_is_read_as_typed():
    """Excel shows 1992.03 typed into a date cell as 1905-06-14 (serial day 1992); it is March 1992."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in minimal().items():
        page = book.create_sheet(name)
        for row in rows:
            page.append(row)
    for row, number in ((2, 1992.03), (3, 1992.1)):
        cell = book["教师"].cell(row=row, column=4, value=number)
        cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    loaded = read_files([("roster.xlsx", out.getvalue())])
    assert located(loaded) == [("error", "ambiguous_month", "teachers", 3, "birth_date", "1992.1")]
    message = loaded.report.errors[0].message("zh")
    assert "1992-10" in message and "1992-01" in message


@pytest.mark.parametrize("typed, written", [(1992.1, "1992.1"), (1992, "1992")])
def test_an_ambiguous_or_bare_year_number_asks_for_the_month(typed, written):
    sheets = minimal()
    set_cell(sheets, "教师", 2, "出生日期", typed)
    problem = read_sheets(sheets).report.errors[0]
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "ambiguous_month" if "." in written else "date_year_only", 2, "birth_date", written)


def test_year_month_written_as_text_is_unambiguous():
    sheets = minimal()
    set_cell(sheets, "教师", 2, "出生日期", "1992.1")
    set_cell(sheets, "教师", 3, "出生日期", "1990年10月")
    loaded = read_sheets(sheets)
    assert loaded.report.problems == []
    assert loaded.case.teacher("T1").birth_date == date(1992, 1, 1)
    assert loaded.case.teacher("T2").birth_date == date(1990, 10, 1)


@pytest.mark.parametrize("born", ["2099-01-01", "1930-05-01", date.today().replace(year=date.today().year - 10).isoformat()])
def test_implausible_birth_dates_are_errors(born):
    sheets = minimal()
    set_cell(sheets, "教师", 3, "出生日期", born)
    assert located(read_sheets(sheets)) == [("error", "birth_date_range", "teachers", 3, "birth_date", born)]


@pytest.mark.parametrize("years", ["1e3", 61, 1000])
def test_years_at_school_beyond_a_working_life_are_errors(years):
    sheets = minimal()
    set_cell(sheets, "教师", 2, "本校任教年限", years)
    problems = located(read_sheets(sheets))
    assert [(code, row, column) for _, code, _, row, column, _ in problems] == [("out_of_range", 2, "years_at_school")]


@pytest.mark.parametrize("exported, undone, meant", [
    ("'=1+1", "=1+1", "=1+1"), ("'+86 138", "+86 138", "+86 138"), ("'-5", "-5", "-5"), ("'@home", "@home", "@home"),
    ("'\tT1", "\tT1", "\tT1"), ("'\rT1", "\rT1", "T1"), ("'plain", "'plain", "'plain"), ("'", "'", "'")])
def test_the_exporters_formula_guard_is_undone_on_reading(exported, undone, meant):
    assert undo_formula_guard(exported) == undone
    assert cell_text(exported) == cell_text(meant)


def test_an_exported_teacher_name_starting_with_a_formula_sign_reads_back_the_same():
    sheets = minimal()
    set_cell(sheets, "教师", 2, "姓名", "'=张伟")
    set_cell(sheets, "教师", 3, "姓名", "-王芳")
    loaded = read_sheets(sheets)
    assert [loaded.case.teacher(t).name for t in ("T1", "T2")] == ["=张伟", "-王芳"]
