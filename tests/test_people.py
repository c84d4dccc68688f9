"""People (scheduler.store.people): passwords kept as salted scrypt hashes, sign-in, and roles
enforced by the store itself (a viewer changes nothing, only an admin manages users), SQLite and
PostgreSQL alike; `workspace user add` on the command line."""

from __future__ import annotations

import io

import pytest

from scheduler.cli.commands import main
from scheduler.store import Forbidden, StoreError, check_password, hash_password, open_store, restore, settings_text
from scheduler.domain.settings import DEFAULTS


def test_a_password_hash_round_trips_and_is_salted():
    stored = hash_password("春季学期2027")
    assert stored.startswith("scrypt$") and "春季学期2027" not in stored
    assert check_password("春季学期2027", stored)
    assert not check_password("春季学期2028", stored)
    assert not check_password("", stored)
    assert hash_password("春季学期2027") != stored  # a fresh salt each time
    assert not check_password("x", "garbage") and not check_password("x", "bcrypt$1$2$3$aa$bb")


def test_sign_in_takes_the_right_password_only_and_no_disabled_user(store_url):
    with open_store(store_url, user="admin") as store:
        store.add_user("李老师", "planner", "correct horse")
        assert store.authenticate("李老师", "correct horse").role == "planner"
        assert store.authenticate("李老师", "wrong horse") is None
        assert store.authenticate("nobody", "correct horse") is None
        store.disable_user("李老师")
        assert store.authenticate("李老师", "correct horse") is None
        store.disable_user("李老师", False)
        store.set_password("李老师", "another horse")
        assert store.authenticate("李老师", "correct horse") is None
        assert store.authenticate("李老师", "another horse") is not None
        with pytest.raises(StoreError, match="at least 8"):
            store.add_user("王老师", "viewer", "short")
        with pytest.raises(StoreError, match="a role is admin, planner or viewer"):
            store.add_user("王老师", "boss", "long enough")
        with pytest.raises(StoreError, match="already"):
            store.add_user("李老师", "viewer", "long enough")
        actions = [entry[2] for entry in _user_log(store)]
        assert actions[:3] == ["add_user", "login", "login_refused"]
        assert all("horse" not in str(entry) for entry in _user_log(store))  # no password is ever logged


def _user_log(store):
    from sqlalchemy import select

    from scheduler.store.schema import AuditEntry

    with store.transaction() as session:
        return [(e.at, e.user, e.action, e.detail) for e in
                session.scalars(select(AuditEntry).where(AuditEntry.project_id.is_(None)).order_by(AuditEntry.id))]


def test_a_viewer_changes_nothing_through_the_store_and_a_planner_manages_no_users(store_url):
    with open_store(store_url, user="admin") as store:
        project = store.create_project("略阳县2027学年")
        viewer = store.as_user("赵老师", "viewer")
        refusals = [lambda: viewer.create_project("另一个"), lambda: viewer.rename_project(project.id, "改名"),
                    lambda: viewer.archive_project(project.id), lambda: viewer.add_note(project.id, "看看"),
                    lambda: viewer.save_scenario(project.id, "默认", settings_text(DEFAULTS), [], []),
                    lambda: viewer.set_current(project.id, 1),
                    lambda: viewer.add_user("x", "admin", "long enough")]
        for refused in refusals:
            with pytest.raises(Forbidden) as error:
                refused()
            assert "赵老师" in error.value.text.zh
        assert viewer.projects()[0].name == "略阳县2027学年"  # looking is allowed
        assert [p.name for p in store.projects()] == ["略阳县2027学年"] and store.scenarios(project.id) == []
        planner = store.as_user("李老师", "planner")
        planner.add_note(project.id, "教育局要求比较10%与12%")
        with pytest.raises(Forbidden, match="only an admin manages users"):
            planner.add_user("x", "admin", "long enough")
        with pytest.raises(Forbidden):
            planner.set_role("李老师", "admin")
        assert store.history(project.id)[-1][1:3] == ("李老师", "note")  # the change is recorded as its author


def test_only_an_admin_restores_a_backup(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'p.db'}") as store:
        with pytest.raises(Forbidden):
            restore(store.as_user("李老师", "planner"), tmp_path / "whatever.backup")


def test_workspace_user_add_reads_the_password_from_stdin_or_a_file(tmp_path, capsys, monkeypatch):
    db = ["--lang", "en", "workspace", "--db", f"sqlite:///{tmp_path / 'planner.db'}", "user"]
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    assert main([*db, "add", "李老师", "--role", "planner"]) == 0
    assert "added user '李老师' (planner)" in capsys.readouterr().out
    secret = tmp_path / "pw.txt"
    secret.write_text("viewer's horse\n", encoding="utf-8")
    assert main([*db, "add", "赵老师", "--role", "viewer", "--password-file", str(secret)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main([*db, "add", "王老师"]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    assert main([*db, "list"]) == 0
    listed = capsys.readouterr().out
    assert "李老师  planner" in listed and "赵老师  viewer" in listed and "王老师" not in listed
    with open_store(f"sqlite:///{tmp_path / 'planner.db'}") as store:
        assert store.authenticate("赵老师", "viewer's horse").role == "viewer"
        assert store.authenticate("李老师", "correct horse\n") is None
