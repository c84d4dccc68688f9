"""The store (scheduler.store) on SQLite and on a real PostgreSQL server: what it keeps, that a plan
version never changes, hand edits as new versions, a failure in the middle of storing, a newer
schema refused, backup and restore."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text

from scheduler.audit import audit
from scheduler.domain.models import Case
from scheduler.domain.settings import Settings
from scheduler.model import solve
from scheduler.plan import Placement, Plan
from scheduler.store import (Store, StoreError, backup, edited_version, open_store, restore, settings_from_text,
                             settings_text, version_record)
from scheduler.store import codec
from scheduler.store.migrate import head_revision
from scheduler.workbook import read_files
from scheduler.workbook.setting_checks import check_entry, settings_of
from workbook_builder import minimal, set_cell, xlsx_bytes


@dataclass
class Solved:
    content: bytes
    case: Case
    settings: Settings
    plan: Plan


@pytest.fixture(scope="module")
def solved() -> Solved:
    sheets = minimal()
    sheets["教师"].append(["T3", "李娜", "女", "1988-01-05", "S1", "语文", "", 9, "", "", ""])
    set_cell(sheets, "需求", 2, "人数", 2)
    content = xlsx_bytes(sheets)
    loaded = read_files([("roster.xlsx", content)])
    assert loaded.case is not None, loaded.report.text("en")
    plan = solve(loaded.case, loaded.settings)
    assert len(plan.placements) == 2
    return Solved(content, loaded.case, loaded.settings, plan)


def _project_with_version(store: Store, solved: Solved) -> tuple[int, int, int]:
    project = store.create_project("略阳县2027学年")
    upload, _ = store.add_upload(project.id, "roster.xlsx", solved.content, read_files([("r.xlsx", solved.content)]).report)
    scenario = store.save_scenario(project.id, "默认", settings_text(solved.settings), solved.case.pins, [upload.id])
    version = store.add_version(project.id, version_record(solved.case, solved.settings, solved.plan,
                                                           upload_ids=[upload.id], scenario_id=scenario.id))
    return project.id, upload.id, version.id


def test_a_new_store_is_created_at_the_newest_schema_and_opens_again(store_url):
    with open_store(store_url) as store:
        assert store.projects() == []
        store.create_project("略阳县2027学年")
    with open_store(store_url) as store:
        assert [p.name for p in store.projects()] == ["略阳县2027学年"]
        with store.engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()


def test_projects_are_created_renamed_archived_and_each_change_is_in_the_history(store_url):
    with open_store(store_url, user="王老师") as store:
        project = store.create_project("略阳县2027学年")
        with pytest.raises(StoreError) as refused:
            store.create_project("略阳县2027学年")
        assert "已有名为" in refused.value.text.zh and "exists already" in refused.value.text.en
        other = store.create_project("宁强县2027学年")
        with pytest.raises(StoreError, match="exists already"):
            store.rename_project(other.id, "略阳县2027学年")
        store.rename_project(project.id, "略阳县2027学年（第二轮）")
        store.archive_project(project.id)
        assert [p.name for p in store.projects(include_archived=False)] == ["宁强县2027学年"]
        found = store.projects()[0]
        assert (found.name, found.archived) == ("略阳县2027学年（第二轮）", True)
        history = store.history(project.id)
        assert [action for _, _, action, _ in history] == ["create_project", "rename_project", "archive_project"]
        assert {user for _, user, _, _ in history} == {"王老师"}
        assert all(when.tzinfo is not None for when, _, _, _ in history)


def test_an_upload_is_kept_byte_for_byte_with_its_report_and_mapping_and_once_only(store_url, solved):
    content = solved.content + b""  # the very bytes
    loaded = read_files([("roster.xlsx", content)])
    columns = {"teachers": {"teacher_id": "教师编号"}}
    with open_store(store_url) as store:
        project = store.create_project("P")
        first, duplicate = store.add_upload(project.id, "roster.xlsx", content, loaded.report, columns)
        assert not duplicate
        again, duplicate = store.add_upload(project.id, "名册（副本）.xlsx", content, loaded.report)
        assert duplicate and again.id == first.id and again.file_name == "roster.xlsx"
        other = store.create_project("Q")  # another project keeps its own copy
        assert not store.add_upload(other.id, "roster.xlsx", content, loaded.report)[1]
        (kept,) = store.uploads(project.id)
        assert kept.sha256 == hashlib.sha256(content).hexdigest() and kept.size == len(content)
        assert kept.columns == columns
        assert kept.report.problems == loaded.report.problems
        assert store.upload_content(first.id) == ("roster.xlsx", content)


def test_a_scenario_keeps_settings_rule_modes_and_pins_exactly(store_url, solved):
    settings = settings_of([check_entry("quota_rate", "0.12"), check_entry("rule:pairing", "soft"),
                            check_entry("horizon_from", "2026秋")], solved.settings)
    pins = [codec.pins_of([{"teacher_id": "T1", "action": "pin", "school_id": "S2",
                            "start_term": {"year": 2026, "season": "fall"}}])[0]]
    with open_store(store_url) as store:
        project = store.create_project("P")
        store.save_scenario(project.id, "12%", settings_text(settings), pins, [])
        store.save_scenario(project.id, "12%", settings_text(settings), pins, [7])  # changed, not duplicated
        (scenario,) = store.scenarios(project.id)
    assert scenario.settings == settings
    assert scenario.settings.rule_modes["pairing"] == "soft" and scenario.settings.quota_rate == 0.12
    assert scenario.pins == pins and scenario.upload_ids == [7]


def test_a_plan_version_keeps_the_plan_its_audit_headline_settings_and_files(store_url, solved):
    with open_store(store_url) as store:
        project_id, upload_id, version_id = _project_with_version(store, solved)
        project = store.project("略阳县2027学年")
        assert project.current_version_id == version_id and project.versions == 1
        stored = store.version(version_id)
        (listed,) = store.versions(project_id)
    plan = stored.plan
    assert plan.placements == solved.plan.placements
    assert plan.levels == solved.plan.levels and plan.parts == solved.plan.parts
    assert (plan.status, plan.ended) == (solved.plan.status, solved.plan.ended)
    assert stored.settings == solved.settings
    assert stored.info.upload_ids == [upload_id] == listed.upload_ids
    assert listed.headline["placements"] == 2 and listed.status == solved.plan.status
    assert stored.findings["ok"] is True
    assert stored.findings["summary"]["en"] == audit(solved.case, solved.settings, solved.plan).summary("en")


def test_a_stored_version_never_changes_not_even_by_sql(store_url, solved):
    with open_store(store_url) as store:
        _, upload_id, version_id = _project_with_version(store, solved)
        engine = create_engine(store_url)
        try:
            for statement in (f"UPDATE plan_versions SET status = 'edited' WHERE id = {version_id}",
                              f"DELETE FROM plan_versions WHERE id = {version_id}",
                              f"UPDATE uploads SET file_name = 'x' WHERE id = {upload_id}"):
                with pytest.raises(Exception, match="never change"), engine.begin() as connection:
                    connection.execute(text(statement))
        finally:
            engine.dispose()
        assert store.version(version_id).plan.placements == solved.plan.placements


def test_a_hand_edit_is_a_new_version_listing_who_when_and_what(store_url, solved):
    with open_store(store_url, user="李主任") as store:
        project_id, _, first_id = _project_with_version(store, solved)
        parent = store.version(first_id)
        moved = parent.plan.placements[0]
        changes: dict[str, Placement | None] = {moved.teacher_id: None}
        edit = store.add_version(project_id, edited_version(parent, solved.case, changes, who="李主任"))
        assert store.project("略阳县2027学年").current_version_id == edit.id
        edited = store.version(edit.id)
        assert store.version(first_id).plan.placements == solved.plan.placements  # the parent as it was
    assert edited.info.parent_id == first_id and edited.info.origin == "edit" and edited.plan.status == "edited"
    assert len(edited.plan.placements) == 1 and edited.info.headline["placements"] == 1
    (change,) = edited.info.edits
    assert change["who"] == "李主任" and change["teacher_id"] == moved.teacher_id and change["after"] is None
    assert change["before"] == {"school_id": moved.school_id, "subject": moved.subject,
                                "start_term": moved.start.label("en"), "terms": moved.terms}
    assert change["when"]


def test_a_failure_in_the_middle_of_storing_leaves_the_earlier_versions_and_nothing_half_stored(
        store_url, solved, monkeypatch):
    with open_store(store_url) as store:
        project_id, upload_id, first_id = _project_with_version(store, solved)
        history = len(store.history(project_id))

        def crash(*args, **kwargs):  # after the version row is written, before the pointer moves
            raise StoreError(codec_text())

        monkeypatch.setattr(Store, "_make_current", crash)
        new = version_record(solved.case, solved.settings, Plan(placements=[]), upload_ids=[upload_id])
        with pytest.raises(StoreError):
            store.add_version(project_id, new)
        assert [v.id for v in store.versions(project_id)] == [first_id]
        assert store.project("略阳县2027学年").current_version_id == first_id
        assert len(store.history(project_id)) == history
        assert store.version(first_id).plan.placements == solved.plan.placements


def codec_text():
    from scheduler.rules import Text
    return Text("模拟故障", "simulated fault")


def test_a_database_from_a_newer_planner_is_refused_untouched(store_url):
    with open_store(store_url) as store:
        store.create_project("P")
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StoreError) as refused:
        open_store(store_url)
    assert "更新版本" in refused.value.text.zh and "9999_from_the_future" in refused.value.text.zh
    assert "newer version" in refused.value.text.en and "upgrade" in refused.value.text.en
    engine = create_engine(store_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "9999_from_the_future"
        assert connection.scalar(text("SELECT name FROM projects")) == "P"
    engine.dispose()


def test_a_backup_restored_into_an_empty_store_gives_the_same_projects(store_url, other_store_url, solved, tmp_path):
    path = tmp_path / "store.backup"
    with open_store(store_url) as store:
        project_id, upload_id, first_id = _project_with_version(store, solved)
        parent = store.version(first_id)
        store.add_version(project_id, edited_version(parent, solved.case, {parent.plan.placements[0].teacher_id: None},
                                                     who="x"))
        store.add_note(project_id, "教育局要求比较10%与12%", version_id=first_id)
        before = _everything(store)
        counts = backup(store, path)
        assert counts["plan_versions"] == 2 and counts["uploads"] == 1
        with pytest.raises(StoreError, match="already holds projects"):
            restore(store, path)
    with open_store(other_store_url) as other:
        restore(other, path)
        assert _everything(other) == before
        # ids continue after the restored ones
        assert other.create_project("新项目").id == project_id + 1
        assert other.add_version(project_id, version_record(solved.case, solved.settings, solved.plan,
                                                            upload_ids=[upload_id])).id == 3


def _everything(store: Store) -> list:
    result = []
    for project in store.projects():
        result.append((project, store.uploads(project.id), store.scenarios(project.id), store.versions(project.id),
                       [store.version(v.id).plan.placements for v in store.versions(project.id)],
                       [store.upload_content(u.id) for u in store.uploads(project.id)],
                       store.notes(project.id), store.history(project.id)))
    return result


def test_a_backup_of_sqlite_restores_into_postgresql(postgres_cluster, solved, tmp_path):  # noqa: F811
    path = tmp_path / "store.backup"
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        _project_with_version(store, solved)
        before = _everything(store)
        backup(store, path)
    with open_store(postgres_cluster.database()) as other:
        restore(other, path)
        assert _everything(other) == before


def test_settings_text_round_trips_every_setting(solved):
    assert settings_from_text(settings_text(solved.settings)) == solved.settings


def test_a_change_made_meanwhile_by_someone_else_is_refused_not_overwritten(store_url, solved):
    from scheduler.store import Conflict

    with open_store(store_url, user="tab 1") as one, open_store(store_url, user="tab 2") as two:
        project_id, upload_id, first_id = _project_with_version(one, solved)
        read_by_one = one.scenario(project_id, "默认")
        read_by_two = two.scenario(project_id, "默认")
        twelve = settings_of([check_entry("quota_rate", "0.12")], solved.settings)
        two.save_scenario(project_id, "默认", settings_text(twelve), [], [upload_id], seen=read_by_two.updated_at)
        with pytest.raises(Conflict) as refused:
            one.save_scenario(project_id, "默认", settings_text(solved.settings), [], [upload_id],
                              seen=read_by_one.updated_at)
        assert "someone else" in refused.value.text.en and "他人" in refused.value.text.zh
        assert one.scenario(project_id, "默认").settings.quota_rate == 0.12  # tab 2's change stands
        new = version_record(solved.case, solved.settings, solved.plan, upload_ids=[upload_id], parent_id=first_id)
        second = two.add_version(project_id, new, seen_current=first_id)
        with pytest.raises(Conflict):
            one.add_version(project_id, new, seen_current=first_id)
        assert [v.id for v in one.versions(project_id)] == [first_id, second.id]


def test_a_plan_knows_when_its_scenario_changed_since_it_was_solved(store_url, solved):
    from scheduler.store import changed_inputs

    with open_store(store_url) as store:
        project_id, upload_id, version_id = _project_with_version(store, solved)
        (version,) = store.versions(project_id)
        scenario = store.scenario(project_id, "默认")
        assert changed_inputs(version, scenario) == []
        twelve = settings_of([check_entry("quota_rate", "0.12")], solved.settings)
        pins = codec.pins_of([{"teacher_id": "T1", "action": "exclude"}])
        scenario = store.save_scenario(project_id, "默认", settings_text(twelve), pins, [upload_id, 99])
        assert changed_inputs(version, scenario) == ["settings", "pins", "files"]


def test_the_migrations_make_exactly_the_tables_the_code_declares(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from scheduler.store.schema import Base

    with open_store(store_url) as store, store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def _rewritten(path, change) -> None:
    import gzip
    import json

    body = json.loads(gzip.decompress(path.read_bytes()))
    change(body)
    path.write_bytes(gzip.compress(json.dumps(body).encode()))


def test_a_damaged_backup_or_one_from_a_newer_planner_restores_nothing(store_url, other_store_url, solved, tmp_path):
    import base64

    path = tmp_path / "store.backup"
    with open_store(store_url) as store:
        _project_with_version(store, solved)
        backup(store, path)

    def flip_a_byte(body):
        upload = body["tables"]["uploads"][0]
        content = bytearray(base64.b64decode(upload["content"]["base64"]))
        content[100] ^= 1
        upload["content"]["base64"] = base64.b64encode(bytes(content)).decode()

    _rewritten(path, flip_a_byte)
    with open_store(other_store_url) as other:
        with pytest.raises(StoreError, match="does not match its hash"):
            restore(other, path)
        assert other.projects() == []  # the projects row went in first, and was rolled back
        _rewritten(path, lambda body: body.update(revision="9999_from_the_future"))
        with pytest.raises(StoreError) as refused:
            restore(other, path)
        assert "newer planner" in refused.value.text.en and other.projects() == []


def _unreadable(text: str) -> str:
    """`text` as an older planner might have written it: 结对模式 with a value this one does not know."""
    import json

    data = json.loads(text)
    data["settings"]["pairing_mode"] = "loose"
    return json.dumps(data, ensure_ascii=False)


def test_a_stored_setting_that_cannot_be_read_opens_at_its_default_named_and_its_text_is_kept(store_url, solved):
    from scheduler.store import workspace
    from scheduler.store.store import settings_read

    twelve = settings_of([check_entry("quota_rate", "0.12"), check_entry("pairing_mode", "preferred")],
                         solved.settings)
    old_text = _unreadable(settings_text(twelve))
    with open_store(store_url) as store:
        project = store.create_project("旧版本的项目")
        upload, _ = store.add_upload(project.id, "roster.xlsx", solved.content, read_files([("r", solved.content)]).report)
        store.save_scenario(project.id, workspace.SCENARIO, old_text, [], [upload.id])
        with pytest.raises(StoreError, match="pairing_mode"):
            settings_from_text(old_text)
        settings, problems = settings_read(old_text)
        assert settings.quota_rate == 0.12 and settings.pairing_mode == Settings().pairing_mode
        assert len(problems) == 1 and "pairing_mode" in problems[0].zh and "loose" in problems[0].zh

        opened = workspace.open_scenario(store, store.project("旧版本的项目"), lambda files, columns: read_files(
            list(files), columns=columns or None))
        assert opened.settings == settings and [p.zh for p in opened.problems] == [problems[0].zh]
        assert opened.overrides["quota_rate"] == 0.12 and opened.loaded.case is not None
        assert store.scenario(project.id, workspace.SCENARIO).settings_text == old_text, "opening changes nothing"

        saved = store.scenario(project.id, workspace.SCENARIO)
        store.save_scenario(project.id, workspace.SCENARIO, settings_text(settings), [], [upload.id],
                            seen=saved.updated_at)
        (change,) = [d for _, _, action, d in store.history(project.id) if action == "change_scenario"]
        assert change["replaced_settings_text"] == old_text, "the text that could not be read is kept"
        assert "原文已记入" in workspace.project_history(store, project.id)[0].zh


def test_sqlite_is_in_wal_mode_so_a_reading_tab_never_blocks_a_storing_one(tmp_path):
    import sqlite3

    path = tmp_path / "planner.db"
    with open_store(f"sqlite:///{path}") as store:
        store.create_project("略阳县2027学年")
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM projects").fetchone() == (1,)  # a read held open
        with open_store(f"sqlite:///{path}", busy_timeout=0.2) as store:
            store.create_project("第二个项目")  # in the old rollback journal: "database is locked"
        assert reader.execute("SELECT count(*) FROM projects").fetchone() == (1,), "the reader's snapshot"
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM projects").fetchone() == (2,)
    finally:
        reader.close()


def test_the_history_says_who_did_what_when_in_sentences_with_notes(store_url, solved):
    from scheduler.store.history import project_history
    from scheduler.store.workspace import touch

    with open_store(store_url, user="张三") as store:
        project_id, upload_id, version_id = _project_with_version(store, solved)
        touch(store, project_id)  # opening is no change
        store.add_note(project_id, "局长要求比较10%与12%")
        store.add_note(project_id, "这一版报局里", version_id=version_id)
        events = project_history(store, project_id)
    lines = [e.line("zh") for e in events]
    assert lines[0].startswith("张三 在 ") and lines[0].endswith(f"为方案 #{version_id} 添加了备注：“这一版报局里”")
    assert lines[1].endswith("为项目添加了备注：“局长要求比较10%与12%”")
    assert lines[2].endswith(f"求解了方案 #{version_id}（比例 {solved.settings.quota_rate * 100:g}%，派出 2 人）")
    assert not [line for line in lines if "设为当前方案" in line or "打开" in line], "one sentence per change"
    assert lines[-1].endswith("新建了项目“略阳县2027学年”")
    assert events[2].line("en").endswith(f"solved plan #{version_id} (quota {solved.settings.quota_rate * 100:g}%, 2 placed)")
