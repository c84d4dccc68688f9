"""Write a case as a workbook and read it back: the same case comes out, and nothing in it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.domain.models import Case
from scheduler.domain.settings import settings_from
from scheduler.export import read_plan, write_plan_workbook
from scheduler.model import solve
from scheduler.samples import generate_case
from scheduler.workbook import read_files, read_paths, write_case, write_template
from scheduler.workbook.schema import SHEETS
from workbook_builder import located, minimal, read_sheets

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.toml"))


def _solve(case: Case) -> object:
    """A later year's seed (`[previous]`) starts from the plan of its earlier year."""
    return solve(case, settings_from(case.settings, time_limit_s=20))


@pytest.fixture(scope="module", params=SEEDS, ids=lambda p: p.stem)
def seed_case(request) -> Case:
    return generate_case(request.param, scale=1, solve_previous=_solve)


def test_there_are_seed_scenarios():
    assert len(SEEDS) >= 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_case_survives_write_and_read(seed_case, lang, tmp_path):
    target = tmp_path / f"case_{lang}.xlsx"
    write_case(seed_case, target, lang=lang)
    loaded = read_paths([target])
    assert loaded.report.problems == []
    assert loaded.case == seed_case
    names = load_workbook(target, read_only=True).sheetnames
    assert names == [sheet.label(lang) for sheet in SHEETS]


def test_seed_cases_use_every_sheet(seed_case):
    """Guards the round trip above: it only proves something if the case fills the optional sheets."""
    assert seed_case.links and seed_case.pins and seed_case.settings
    assert any(t.spouse_id for t in seed_case.teachers)
    assert any(t.other_subjects for t in seed_case.teachers)
    assert any(t.backbone_level for t in seed_case.teachers)
    assert any(t.preferences for t in seed_case.teachers)
    assert any(t.exemption for t in seed_case.teachers)


#: optional fields some seed must fill (not each: a county that plans every exchange from one term
#: has no teacher available only later), so that the round trip of that seed proves they survive
SOME_SEED_FILLS = {
    "teacher available_from": lambda case: any(t.available_from for t in case.teachers),
    "school district": lambda case: any(s.district for s in case.schools),
    "need terms": lambda case: any(d.terms for d in case.demands),
    "need form": lambda case: any(d.form for d in case.demands),
    "history": lambda case: bool(case.history),
}


def test_some_seed_fills_each_newer_optional_field():
    cases = [generate_case(path, scale=1, solve_previous=_solve) for path in SEEDS]
    missing = [name for name, fills in SOME_SEED_FILLS.items() if not any(fills(case) for case in cases)]
    assert missing == []


def test_unknown_columns_are_passed_through(tmp_path):
    sheets = minimal()
    sheets["教师"][0].append("联系电话")
    sheets["教师"][1].append(13800000000)
    sheets["教师"][2].append("")
    sheets["学校"][0].append("校长")
    sheets["学校"][1].extend(["刘校长"])
    sheets["学校"][2].extend(["007"])
    first = read_sheets(sheets)
    assert first.report.problems == []
    assert first.case.teacher("T1").extra == {"联系电话": "13800000000"}
    assert first.case.teacher("T2").extra == {"联系电话": ""}
    assert first.case.school("S2").extra == {"校长": "007"}

    target = tmp_path / "out.xlsx"
    write_case(first.case, target)
    headers = [cell.value for cell in load_workbook(target)["教师"][1]]
    assert headers[-1] == "联系电话"
    again = read_paths([target])
    assert again.report.problems == []
    assert again.case == first.case



FORMULAS = ['=HYPERLINK("http://x","y")', "=1+1", "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3"]


def test_formula_text_is_written_as_neutralised_text(tmp_path):
    case = read_sheets(minimal()).case
    teachers = [t.model_copy(update={"extra": {"备注": FORMULAS[i + 1]}}) for i, t in enumerate(case.teachers)]
    teachers[0] = teachers[0].model_copy(update={"name": FORMULAS[0]})
    schools = [s.model_copy(update={"name": FORMULAS[3 + i]}) for i, s in enumerate(case.schools)]
    case = Case(teachers=teachers, schools=schools, demands=case.demands, links=case.links)

    target = tmp_path / "formulas.xlsx"
    write_case(case, target)
    workbook = load_workbook(target)  # formulas stay formulas here: data_type "f"
    name_cell = workbook["教师"]["B2"]
    assert name_cell.value == "'" + FORMULAS[0]  # F2+Enter in Excel keeps it text
    assert name_cell.data_type == "s"
    cells = [cell for page in workbook for row in page.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert {cell.value for cell in cells} >= {"'" + text for text in FORMULAS}
    assert all(cell.hyperlink is None for cell in cells)


def test_formula_text_reads_back_as_typed(tmp_path):
    case = read_sheets(minimal()).case
    teachers = [t.model_copy(update={"extra": {"备注": FORMULAS[i + 1]}}) for i, t in enumerate(case.teachers)]
    case = Case(**{**dict(case), "teachers": teachers})  # model_copy would keep the old id index
    target = tmp_path / "formulas.xlsx"
    write_case(case, target)
    again = read_paths([target])
    assert again.report.problems == []
    assert again.case == case  # the reader takes the apostrophe off again


@pytest.mark.parametrize("name", [
    '=HYPERLINK("http://x","y")', "-3", "+86 138", "@home", "'=kept", "'plain", "a=b"])
def test_a_formula_like_name_survives_write_and_read(name, tmp_path):
    """Case and plan workbooks: written with a guarding apostrophe, read back as typed."""
    case = read_sheets(minimal()).case
    teachers = [case.teachers[0].model_copy(update={"name": name}), *case.teachers[1:]]
    case = Case(**{**dict(case), "teachers": teachers})  # model_copy would keep the old id index
    target = tmp_path / "case.xlsx"
    write_case(case, target)
    again = read_paths([target])
    assert again.report.problems == []
    assert again.case.teacher(teachers[0].teacher_id).name == name

    settings = settings_from(case.settings)
    placed = solve(case, settings)
    assert placed.placements
    plan_path = tmp_path / "plan.xlsx"
    write_plan_workbook(case, settings, placed, plan_path)
    back, problems = read_plan(case, plan_path, settings)
    assert not problems.problems  # a name read back differently from the roster would warn plan_name_mismatch
    assert len(back.placements) == len(placed.placements)


def test_blank_template_reads_back_as_empty_required_sheets(tmp_path):
    target = tmp_path / "template.xlsx"
    write_template(target)
    assert load_workbook(target, read_only=True).sheetnames[0] == "说明"
    loaded = read_paths([target])
    assert loaded.case is None
    assert sorted(located(loaded)) == sorted(
        ("error", "empty_sheet", sheet.key, None, None, "") for sheet in SHEETS if sheet.required)


def test_template_headers_name_every_column(tmp_path):
    target = tmp_path / "template.xlsx"
    write_template(target)
    workbook = load_workbook(target, read_only=True)
    for sheet in SHEETS:
        rows = list(workbook[sheet.zh].iter_rows(min_row=1, max_row=2, values_only=True))
        assert list(rows[0]) == [c.zh for c in sheet.columns]
        assert list(rows[1]) == [c.key for c in sheet.columns]


def test_written_case_is_read_from_bytes_too(tmp_path):
    case = read_sheets(minimal()).case
    target = tmp_path / "case.xlsx"
    write_case(case, target, lang="en")
    loaded = read_files([("upload.xlsx", target.read_bytes())])
    assert loaded.case == case
