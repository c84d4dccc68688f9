"""Plan versions side by side (export.compare through the store): two real solves of the Lüeyang
sample at 10 % and 12 %, stored as versions, compared; the command line `workspace compare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from scheduler.cli.commands import main
from scheduler.domain.models import Case
from scheduler.domain.settings import settings_with
from scheduler.export.compare import write_comparison
from scheduler.model import solve
from scheduler.store import open_store, settings_text, version_record
from scheduler.store.compare import compare_versions
from scheduler.workbook import read_files

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "lueyang_county.xlsx"
PROJECT = "略阳县2027学年"


@dataclass
class Stored:
    url: str
    case: Case
    ids: tuple[int, int]


def store_two_solves(url: str) -> Stored:
    """The sample solved at 10 % (scenario 10%) and at 12 % (scenario 12%), stored as two versions at `url`."""
    content = SAMPLE.read_bytes()
    loaded = read_files([(SAMPLE.name, content)])
    assert loaded.case is not None
    with open_store(url, user="王老师") as store:
        project = store.create_project(PROJECT)
        upload, _ = store.add_upload(project.id, SAMPLE.name, content, loaded.report)
        ids = []
        for name, rate in (("10%", 0.10), ("12%", 0.12)):
            settings = settings_with(loaded.settings, {"quota_rate": rate})
            scenario = store.save_scenario(project.id, name, settings_text(settings), loaded.case.pins, [upload.id])
            plan = solve(loaded.case, settings)
            ids.append(store.add_version(project.id, version_record(loaded.case, settings, plan, upload_ids=[upload.id],
                                                                    scenario_id=scenario.id)).id)
    return Stored(url, loaded.case, tuple(ids))


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Stored:
    return store_two_solves(f"sqlite:///{tmp_path_factory.mktemp('compare') / 'planner.db'}")


def test_two_stored_versions_side_by_side(stored):
    with open_store(stored.url) as store:
        ten, twelve = (store.version(i) for i in stored.ids)
    comparison = compare_versions(stored.case, [ten, twelve])
    assert comparison.labels == [f"#{stored.ids[0]} 10%", f"#{stored.ids[1]} 12%"]
    figures = {key: (values, totals) for key, values, totals in comparison.figures}
    assert figures["placements"][0] == [len(ten.plan.placements), len(twelve.plan.placements)]
    assert figures["schools_meeting_quota"] == ([ten.info.headline["schools_meeting_quota"],
                                                twelve.info.headline["schools_meeting_quota"]],
                                               [ten.info.headline["sending_schools"]] * 2)
    assert set(figures) >= {"backbone_placed", "need_filled", "arts_filled", "link_years_alive"}
    table = comparison.figures_table("zh")
    assert table.headers == ["指标", *comparison.labels] and table.rows[0][0] == "派出人数"

    # the teachers listed really are placed differently, and every teacher placed differently is listed
    a, b = ten.plan.by_teacher(), twelve.plan.by_teacher()
    differ = {t for t in set(a) | set(b) if (a.get(t) is None) != (b.get(t) is None) or
              (a.get(t) and (a[t].school_id, a[t].start, a[t].terms) != (b[t].school_id, b[t].start, b[t].terms))}
    assert differ and {row[0] for row in comparison.teachers} == differ
    teacher_id, name, home, (first, second) = comparison.teachers[0]
    assert name == stored.case.teacher(teacher_id).name
    assert home == stored.case.school(stored.case.teacher(teacher_id).school_id).name
    assert (first, second) == (a.get(teacher_id), b.get(teacher_id))
    row = comparison.teachers_table("en").rows[0]
    assert row[:3] == [teacher_id, name, home] and row[3] != row[4]

    # 12 % owes more: some school's quota figures differ, and only differing rows are listed
    quota = [values for _, kind, values in comparison.schools if kind == "quota"]
    assert quota and all(len(set(values)) == 2 for values in quota)
    assert all(twelve_owed >= ten_owed for (_, ten_owed), (_, twelve_owed) in quota)

    # the settings that differ: the quota only, by its Chinese label and as the settings sheet writes it
    assert comparison.settings_table("zh").rows == [["交流比例", "quota_rate", "0.1", "0.12"]]
    assert comparison.settings_table("en").rows[0][0].startswith("share of eligible teachers")
    assert comparison.same_files
    shares = comparison.shares("en")
    assert {plan for _, plan, _ in shares} == set(comparison.labels) and all(0 <= s <= 1 for *_, s in shares)


def test_the_comparison_workbook_has_one_sheet_per_table(stored, tmp_path):
    with open_store(stored.url) as store:
        comparison = compare_versions(stored.case, [store.version(i) for i in stored.ids])
    path = tmp_path / "compare.xlsx"
    write_comparison(comparison, path, "zh")
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["方案比较", "安排不同的教师", "指标不同的学校", "设置不同"]
    teachers = book.get_sheet_by_name("安排不同的教师").to_python()
    assert len(teachers) == 1 + len(comparison.teachers)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_workspace_compare_prints_the_tables_and_writes_the_workbook(stored, tmp_path, capsys):
    db = ["workspace", "--db", stored.url]
    first, second = map(str, stored.ids)
    out_file = tmp_path / "cmp.xlsx"
    code, out, _ = run(capsys, *db, "compare", "--project", PROJECT, "--plans", first, second, "--out", str(out_file))
    assert code == 0, out
    assert f"figure | #{first} 10% | #{second} 12%" in out and "placed | " in out
    assert "teachers placed differently:" in out and "quota_rate | 0.1 | 0.12" in out
    assert out_file.exists() and f"written: {out_file}" in out
    # a previous comparison is replaced; any other file needs --force
    assert run(capsys, *db, "compare", "--project", PROJECT, "--plans", first, second, "--out", str(out_file))[0] == 0
    other = tmp_path / "mine.xlsx"
    other.write_bytes(b"not mine to overwrite")
    code, _, err = run(capsys, *db, "compare", "--project", PROJECT, "--plans", first, second, "--out", str(other))
    assert code == 2 and "not a previous plan comparison workbook" in err
    code, _, err = run(capsys, *db, "compare", "--project", PROJECT, "--plans", first)
    assert code == 2 and "two different plan versions" in err
    code, _, err = run(capsys, *db, "compare", "--project", PROJECT, "--plans", first, "99")
    assert code == 2 and "no plan version 99" in err
