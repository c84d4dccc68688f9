"""`python -m scheduler workspace ...` on a real store: import (once), solve into versions, list,
export, backup and restore into an empty store, PLANNER_DB; SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

import pytest

from scheduler.cli.commands import main
from workbook_builder import minimal, set_cell, xlsx_bytes

PROJECT = "略阳县2027学年"


@pytest.fixture
def roster(tmp_path):
    sheets = minimal()
    sheets["教师"].append(["T3", "李娜", "女", "1988-01-05", "S1", "语文", "", 9, "", "", ""])
    set_cell(sheets, "需求", 2, "人数", 2)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(sheets))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_solve_list_export_backup_restore(store_url, roster, tmp_path, capsys, request):
    db = ["workspace", "--db", store_url]
    code, out, _ = run(capsys, *db, "import", str(roster), "--project", PROJECT)
    assert code == 0 and "stored file #1" in out and "scenario '默认'" in out
    code, out, _ = run(capsys, *db, "import", str(roster), "--project", PROJECT)
    assert code == 0 and "already" in out and "not stored again" in out
    code, out, _ = run(capsys, *db, "solve", "--project", PROJECT)
    assert code == 0 and "stored as plan version #1" in out and "now current" in out
    code, out, _ = run(capsys, *db, "solve", "--project", PROJECT, "--scenario", "12%", "--set", "quota_rate=0.12",
                       "--time-limit", "10")
    assert code == 0 and "stored as plan version #2 (scenario '12%')" in out
    code, out, _ = run(capsys, *db, "list")
    assert PROJECT in out and "2 plan version(s), current #2" in out
    code, listed, _ = run(capsys, *db, "list", "--project", PROJECT)
    assert code == 0 and "#1  roster.xlsx" in listed and "默认" in listed and "12%" in listed
    assert " *#2" in listed and "optimal (proven)" in listed and "2 placed" in listed

    plan, summary = tmp_path / "plan.xlsx", tmp_path / "summary.json"
    code, out, _ = run(capsys, *db, "export", "--project", PROJECT, "--plan", "1", "--out", str(plan),
                       "--json", str(summary))
    assert code == 0 and "plan version #1 written" in out
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["headline"]["placements"] == len(data["placements"]) == 2
    assert data["settings"]["quota_rate"] == "0.1"  # version 1 was solved at 10 %, whatever came later

    backup = tmp_path / "store.backup"
    code, out, _ = run(capsys, *db, "backup", "--out", str(backup))
    assert code == 0 and "1 project(s), 1 file(s), 2 plan version(s)" in out
    fresh = (request.getfixturevalue("postgres_cluster").database() if store_url.startswith("postgresql")
             else f"sqlite:///{tmp_path / 'restored.db'}")
    code, out, _ = run(capsys, "workspace", "--db", fresh, "restore", str(backup))
    assert code == 0 and "2 plan version(s)" in out
    assert run(capsys, "workspace", "--db", fresh, "list", "--project", PROJECT)[1] == listed
    code, _, err = run(capsys, "workspace", "--db", fresh, "restore", str(backup))
    assert code == 2 and "only into an empty store" in err


def test_planner_mistakes_exit_2_with_a_message(tmp_path, roster, capsys, monkeypatch):
    db_path = tmp_path / "planner.db"
    monkeypatch.setenv("PLANNER_DB", f"sqlite:///{db_path}")
    assert run(capsys, "workspace", "import", str(roster), "--project", PROJECT)[0] == 0
    assert db_path.exists()  # PLANNER_DB named the store
    code, _, err = run(capsys, "workspace", "solve", "--project", "nope")
    assert code == 2 and f"there is no project 'nope'; projects: {PROJECT}" in err
    code, _, err = run(capsys, "workspace", "export", "--project", PROJECT, "--out", str(tmp_path / "p.xlsx"))
    assert code == 2 and "no plan version yet" in err
    code, _, err = run(capsys, "workspace", "solve", "--project", PROJECT, "--set", "quota_rate=lots")
    assert code == 2 and "invalid --set" in err
    before = db_path.read_bytes()
    code, _, err = run(capsys, "workspace", "export", "--project", PROJECT, "--out", str(db_path))
    assert code == 2 and "input file" in err and db_path.read_bytes() == before
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run(capsys, "workspace", "backup", "--out", str(tmp_path / "notes.txt"))
    assert code == 2 and "not a previous backup" in err and (tmp_path / "notes.txt").read_text() == "mine"
    code, _, err = run(capsys, "workspace", "restore", str(tmp_path / "notes.txt"))
    assert code == 2 and "not a planner backup" in err


def test_a_file_with_errors_is_kept_with_its_report_but_used_by_no_scenario(tmp_path, capsys):
    sheets = minimal()
    set_cell(sheets, "教师", 2, "学校编号", "S9")
    path = tmp_path / "broken.xlsx"
    path.write_bytes(xlsx_bytes(sheets))
    db = ["workspace", "--db", f"sqlite:///{tmp_path / 'planner.db'}"]
    code, out, _ = run(capsys, *db, "import", str(path), "--project", PROJECT)
    assert code == 1 and "stored file #1" in out and "not used by a scenario" in out
    code, out, _ = run(capsys, *db, "list", "--project", PROJECT)
    assert "broken.xlsx" in out and "1 error(s)" in out
    code, _, err = run(capsys, *db, "solve", "--project", PROJECT)
    assert code == 2 and "no data yet" in err
