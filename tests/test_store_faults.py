"""A SQLite store that cannot be used as asked gives a clear message (zh/en) and loses nothing: a
read-only file, a file of random bytes, another program's database, a second connection holding
the write lock, a process killed in the middle of storing. Real files throughout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from scheduler.cli.commands import main
from scheduler.store import StoreError, open_store

REPO = Path(__file__).resolve().parents[1]


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _store_with_project(path: Path) -> None:
    with open_store(_url(path)) as store:
        store.create_project("略阳县2027学年")


@contextmanager
def _read_only(path: Path):
    """chmod a-w; as root (who writes whatever the mode) the file is also made immutable (chattr +i)."""
    os.chmod(path, 0o444)
    immutable = os.getuid() == 0
    if immutable and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root and chattr +i is not supported here, so no file is read-only to root")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        os.chmod(path, 0o644)


def test_a_read_only_file_is_read_and_a_change_is_refused_with_a_message(tmp_path):
    path = tmp_path / "planner.db"
    _store_with_project(path)
    before = path.read_bytes()
    with _read_only(path):
        with open_store(_url(path)) as store:
            assert [p.name for p in store.projects()] == ["略阳县2027学年"]
            with pytest.raises(StoreError) as refused:
                store.create_project("第二个项目")
        assert "只读" in refused.value.text.zh and "read-only" in refused.value.text.en
        assert "Nothing was changed" in refused.value.text.en
        assert path.read_bytes() == before
    with open_store(_url(path)) as store:
        assert [p.name for p in store.projects()] == ["略阳县2027学年"]


def test_a_file_of_random_bytes_is_refused_and_left_as_it_was(tmp_path, capsys):
    path = tmp_path / "planner.db"
    content = os.urandom(8192)
    path.write_bytes(content)
    with pytest.raises(StoreError) as refused:
        open_store(_url(path))
    assert "不是规划数据库" in refused.value.text.zh and "damaged" in refused.value.text.en
    assert main(["--lang", "en", "workspace", "--db", _url(path), "list"]) == 2
    assert "not a planner database" in capsys.readouterr().err
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["planner.db"]  # no journal left behind


def test_another_programs_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    before = path.read_bytes()
    with pytest.raises(StoreError) as refused:
        open_store(_url(path))
    assert "invoices" in refused.value.text.en and "not a planner database" in refused.value.text.en
    assert path.read_bytes() == before


def test_a_write_lock_held_by_another_connection_gives_a_message_and_loses_neither_change(tmp_path):
    path = tmp_path / "planner.db"
    _store_with_project(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE projects SET archived = 1")
        with open_store(_url(path), busy_timeout=0.2) as store:
            with pytest.raises(StoreError) as refused:
                store.create_project("第二个项目")
            assert "锁定" in refused.value.text.zh and "locked" in refused.value.text.en
            other.execute("COMMIT")
            store.create_project("第二个项目")  # once the lock is gone, the same call goes through
            assert [(p.name, p.archived) for p in store.projects()] == [("略阳县2027学年", True), ("第二个项目", False)]
    finally:
        other.close()


def test_a_process_killed_in_the_middle_of_storing_leaves_the_earlier_versions(tmp_path):
    path = tmp_path / "planner.db"
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(REPO / 'tests')!r})
        from workbook_builder import minimal, xlsx_bytes
        from scheduler.workbook import read_files
        from scheduler.model import solve
        from scheduler.store import Store, open_store, settings_text, version_record
        content = xlsx_bytes(minimal())
        loaded = read_files([("roster.xlsx", content)])
        plan = solve(loaded.case, loaded.settings)
        store = open_store({_url(path)!r})
        project = store.create_project("P")
        upload, _ = store.add_upload(project.id, "roster.xlsx", content, loaded.report)
        new = version_record(loaded.case, loaded.settings, plan, upload_ids=[upload.id])
        store.add_version(project.id, new)
        def die(*args, **kwargs):  # the new row is written, the transaction not committed
            os._exit(9)
        Store._make_current = die
        store.add_version(project.id, new)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    with open_store(_url(path)) as store:
        project = store.project("P")
        assert [v.id for v in store.versions(project.id)] == [1]
        assert project.current_version_id == 1
        assert len(store.version(1).plan.placements) >= 1
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_store_whose_folder_cannot_be_made_says_so(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as refused:
        open_store(_url(blocker / "planner.db"))
    assert str(blocker / "planner.db") in refused.value.text.en


def test_not_a_database_url_is_refused_with_an_example(tmp_path, capsys):
    assert main(["workspace", "--db", "planner.db", "list"]) == 2
    assert "不是数据库地址" in capsys.readouterr().err


def test_a_server_that_does_not_answer_and_a_missing_driver_are_said_in_words(capsys):
    with pytest.raises(StoreError) as refused:
        open_store("postgresql+psycopg://planner:secret@127.0.0.1:1/planner")
    assert "cannot connect" in refused.value.text.en and "secret" not in refused.value.text.en
    assert main(["--lang", "en", "workspace", "--db", "mysql://planner@localhost/planner", "list"]) == 2
    assert "the driver MySQLdb" in capsys.readouterr().err
