"""The registry-style sample (seeds/registry_county.toml → sample_data/registry_county.xlsx): a roster
as the teacher registry exports it, with fictitious but valid ID numbers, dates instead of years,
old titles, 在岗状态 and a note block; it reads clean and gives the case the seed describes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scheduler.domain import Case, Gender, settings_from
from scheduler.domain.personal import id_birth_date, id_gender, id_number_problem
from scheduler.samples import generate_case, load_scenario, registry_layout
from scheduler.samples.registry import fictitious_id_number, joined_month
from scheduler.workbook import read_paths, write_case, write_template
from scheduler.workbook.writer import REGISTRY_SHEET

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "registry_county.toml"
SAMPLE = ROOT / "sample_data" / "registry_county.xlsx"


@pytest.fixture(scope="module")
def case() -> Case:
    return generate_case(SEED)


@pytest.fixture(scope="module")
def loaded():
    return read_paths([SAMPLE])


def _month(day: date | None) -> date | None:
    return None if day is None else day.replace(day=1)


def _whole_years(since: date, until: date) -> int:
    return until.year - since.year - ((until.month, until.day) < (since.month, since.day))


# --- the ID numbers -------------------------------------------------------------------------

def test_id_numbers_are_valid_unique_and_agree_with_the_teacher(case):
    codes = set(load_scenario(SEED).roster.region_codes)
    numbers = [t.id_number for t in case.teachers]
    assert all(numbers) and len(set(numbers)) == len(numbers)
    for teacher in case.teachers:
        number = teacher.id_number
        assert id_number_problem(number) is None, teacher.teacher_id
        assert number[:6] in codes
        assert id_birth_date(number) == teacher.birth_date
        assert id_gender(number) is teacher.gender


def test_region_codes_are_no_real_county():
    """Fictitious by construction: 汉中市 (6107) numbers its counties 02-30, never 98 or 99."""
    assert set(load_scenario(SEED).roster.region_codes) <= {"610798", "610799"}


def test_a_fictitious_id_number_has_the_iso_7064_check_digit():
    # The example of GB 11643's annex: 11010519491231002X.
    assert fictitious_id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"


def test_a_registry_seed_without_region_codes_is_refused(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace('region_codes = ["610799", "610798"]', "")
    path = tmp_path / "no_codes.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="region_codes"):
        load_scenario(path)


# --- the registry's own fields --------------------------------------------------------------

def test_joined_school_gives_the_years_at_school(case):
    start = settings_from(case.settings).horizon_from.first_day
    for teacher in case.teachers:
        assert teacher.joined_school.day == 1
        assert teacher.joined_school < start
        assert _whole_years(teacher.joined_school, start) == teacher.years_at_school, teacher.teacher_id
        assert teacher.started_work <= teacher.joined_school
        assert teacher.started_work > teacher.birth_date.replace(year=teacher.birth_date.year + 18)


def test_joined_month_counts_whole_years_to_the_first_term():
    import random
    rng, start = random.Random(1), date(2026, 9, 1)
    for years in range(0, 30):
        for _ in range(20):
            joined = joined_month(rng, start, years)
            assert _whole_years(joined, start) == years and joined < start


def test_statuses_posts_and_staff_look_like_a_registry(case):
    statuses = Counter(t.status for t in case.teachers)
    assert statuses["在岗"] > 0.9 * len(case.teachers)
    assert {"产假", "哺乳期", "长期病休", "借调"} <= set(statuses)
    # A status that keeps a teacher away replaces the exemption; near retirement stays an exemption.
    assert all(t.exemption is None for t in case.teachers if t.leave)
    assert {t.exemption for t in case.teachers if t.exemption} <= {"距退休不足3年"}
    assert 0 < sum(t.on_staff is False for t in case.teachers) < 0.1 * len(case.teachers)
    posts = Counter(t.post for t in case.teachers if t.post)
    assert posts["校长"] <= len(case.schools) and posts["副校长"] and posts["党支部书记"]
    heads = Counter(t.school_id for t in case.teachers if t.post == "校长")
    assert max(heads.values()) == 1


def test_teachers_on_leave_or_off_the_staff_are_never_pinned_or_in_a_team(case):
    """The generator counts them out of the eligible teachers (pins, teams and needs are drawn on those)."""
    away = {t.teacher_id for t in case.teachers if t.leave or t.on_staff is False}
    assert len(away) > 20
    assert not {p.teacher_id for p in case.pins} & away
    assert not {t.teacher_id for t in case.teachers if t.team_id} & away


def test_other_seeds_are_unchanged_by_the_registry_fields():
    """Scenarios without a registry roster get none of its fields (and draw as before)."""
    other = generate_case(ROOT / "seeds" / "lueyang_county.toml")
    assert not any(t.id_number or t.joined_school or t.status or t.post for t in other.teachers)


# --- the workbook ---------------------------------------------------------------------------

def test_sample_reads_clean(loaded):
    assert loaded.report.problems == []
    assert loaded.case is not None


def test_sample_is_the_seed_written_in_the_registry_layout(loaded, case):
    """The committed workbook is what the seed gives (`make sample`); a birth date written as
    出生年月 (1985.03) reads as the first of its month."""
    def teachers(of: Case) -> list:
        return [t.model_copy(update={"birth_date": _month(t.birth_date)}) for t in of.teachers]

    got = loaded.case
    assert teachers(got) == teachers(case)
    assert (got.schools, got.links, got.demands, got.pins, got.settings) == (
        case.schools, case.links, case.demands, case.pins, case.settings)


def test_written_again_it_reads_as_the_same_case(case, tmp_path):
    target = tmp_path / "again.xlsx"
    write_case(case, target, registry=registry_layout(SEED))
    again = read_paths([target])
    assert again.report.problems == []
    assert [t.years_at_school for t in again.case.teachers] == [t.years_at_school for t in case.teachers]
    assert [t.id_number for t in again.case.teachers] == [t.id_number for t in case.teachers]


def test_teacher_sheet_looks_like_a_registry_export():
    book = openpyxl.load_workbook(SAMPLE)
    assert book.sheetnames[0] == REGISTRY_SHEET and "学校信息" in book.sheetnames and "岗位需求" in book.sheetnames
    sheet = book[REGISTRY_SHEET]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert any(r.startswith("A1:") for r in merged) and any(r.startswith("A2:") for r in merged)
    header = [c.value for c in sheet[3]]
    assert header[0] == "序号"
    for name in ("工号", "教师姓名", "身份证号", "出生年月", "所在学校", "任教学科", "现聘专业技术职称", "骨干教师级别",
                 "进本校年月", "参加工作年月", "在岗状态", "是否在编", "职务"):
        assert name in header
    assert "本校任教年限" not in header and "学校编号" not in header
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    data = [r for r in rows if isinstance(r[0], int)]
    column = {name: header.index(name) for name in header}
    births = [r[column["出生年月"]] for r in data]
    assert any(isinstance(b, float) for b in births) and any(isinstance(b, str) and "年" in b for b in births)
    assert not any(isinstance(b, float) and f"{b:.2f}".endswith(".10") for b in births)  # 1985.1: January or October?
    assert all(isinstance(r[column["身份证号"]], str) for r in data)  # a number would lose digits
    titles = {r[column["现聘专业技术职称"]] for r in data}
    assert {"中学高级教师", "小学高级教师"} & titles and {"中小学一级教师"} & titles
    assert {"产假", "长期病休"} <= {r[column["在岗状态"]] for r in data}
    notes = [r[0] for r in rows if isinstance(r[0], str)]
    assert notes and notes[0].startswith("注")


def test_registry_template_reads_back_as_empty_required_sheets(tmp_path):
    target = tmp_path / "registry_template.xlsx"
    write_template(target, layout="registry")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["说明", REGISTRY_SHEET]
    header = [c.value for c in book[REGISTRY_SHEET][2]]
    assert header[0] == "序号" and "身份证号" in header and "进本校年月" in header and "在岗状态" in header
    loaded = read_paths([target])
    assert loaded.case is None
    assert sorted(p.code for p in loaded.report.problems) == ["empty_sheet"] * 3


def test_both_templates_explain_both_layouts(tmp_path):
    for layout in ("contract", "registry"):
        target = tmp_path / f"{layout}.xlsx"
        write_template(target, layout=layout)
        text = "\n".join(str(v) for row in openpyxl.load_workbook(target)["说明"].iter_rows(values_only=True)
                         for v in row if v)
        assert "花名册" in text and "标准格式" in text and "进本校年月" in text
        assert "工号" in text and "现聘专业技术职称" in text  # the aliases a registry uses
        assert re.search(r"脱敏", text)


def test_unknown_template_layout_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write_template(tmp_path / "x.xlsx", layout="fancy")
