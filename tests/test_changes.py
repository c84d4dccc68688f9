"""Publication and the changes after it, in the store (SQLite and a real PostgreSQL server), the
re-plan they feed (scheduler.present.replan) and the 变更通知 read back (python-docx, pypdf).

The case is tests/test_replan.py's three teachers: T1 → R1 and T3 → R2 are published; when T1
withdraws, a re-plan keeps T3 at R2 and sends T2 to R1 (a plan from scratch would move T3)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import text

from cases import settings
from scheduler.domain.models import Case
from scheduler.model import solve
from scheduler.present.replan import (FORBID, NEED, WITHDRAWAL, Amendment, case_with_amendments, diff_rows,
                                      match_published, replan)
from scheduler.publish import change_notice
from scheduler.store import StoreError, backup, open_store, restore, version_record
from scheduler.store import changes as store_changes
from test_replan import three_teachers, where

DAY = dt.date(2027, 6, 1)


@pytest.fixture(scope="module")
def published_plan():
    plan = solve(three_teachers(), settings())
    assert where(plan) == {"T1": "R1", "T3": "R2"}
    return plan


def _published_project(store, plan):
    project = store.create_project("略阳县2027学年")
    version = store.add_version(project.id, version_record(three_teachers(), settings(), plan, upload_ids=[]))
    publication = store_changes.record_publication(store, project.id, version.id, DAY, settings())
    return project, version, publication


def test_publishing_records_the_version_date_and_notice_days_and_never_changes(store_url, published_plan):
    with open_store(store_url, user="王科长") as store:
        project, version, publication = _published_project(store, published_plan)
        found = store_changes.published(store, project.id)
        assert found == publication
        assert (found.version_id, found.publication_date, found.notice_days, found.recorded_by) == \
            (version.id, DAY, settings().notice_days, "王科长")
        entry = [(who, detail) for _, who, action, detail in store.history(project.id) if action == "publish"]
        assert entry == [("王科长", {"version_id": version.id, "publication_id": publication.id,
                                    "publication_date": "2027-06-01", "notice_days": found.notice_days,
                                    "replaces": None})]
        with pytest.raises(StoreError):  # a publication is history: the database refuses to rewrite it
            with store.transaction() as session:
                session.execute(text("UPDATE publications SET publication_date = '2030-01-01'"))
        assert store_changes.published(store, project.id).publication_date == DAY


def test_a_withdrawal_of_a_teacher_not_published_is_refused_by_name(store_url, published_plan):
    case = three_teachers()
    with open_store(store_url) as store:
        project, _, _ = _published_project(store, published_plan)
        with pytest.raises(StoreError) as refused:
            store_changes.record_change(store, project.id, Amendment(WITHDRAWAL, teacher_id="T2", reason="调动"), case)
        assert "T2不在已公示的方案中" in refused.value.text.zh
        assert store_changes.recorded_changes(store, project.id) == []
        with pytest.raises(StoreError) as unknown:
            store_changes.record_change(store, project.id, Amendment(NEED, school_id="R9", subject="数学", count=1),
                                        case)
        assert "R9" in unknown.value.text.zh


def test_changes_are_kept_in_order_in_the_history_and_survive_a_backup(store_url, other_store_url, published_plan,
                                                                       tmp_path):
    case = three_teachers()
    with open_store(store_url, user="李老师") as store:
        project, _, publication = _published_project(store, published_plan)
        store_changes.record_change(store, project.id, Amendment(WITHDRAWAL, teacher_id="T1", reason="怀孕",
                                                                 date="2027-06-03"), case)
        store_changes.record_change(store, project.id, Amendment(FORBID, teacher_id="T2", school_id="R2"), case)
        recorded = store_changes.recorded_changes(store, project.id)
        assert [(c.amendment.kind, c.amendment.teacher_id, c.created_by, c.publication_id) for c in recorded] == \
            [(WITHDRAWAL, "T1", "李老师", publication.id), (FORBID, "T2", "李老师", publication.id)]
        logged = [d for _, _, action, d in store.history(project.id) if action == "record_change"]
        assert [(d["kind"], d["teacher"], d["reason"]) for d in logged] == [(WITHDRAWAL, "T1", "怀孕"), (FORBID, "T2", "")]
        with pytest.raises(StoreError):
            store_changes.record_change(store, project.id, Amendment(WITHDRAWAL, teacher_id="T1"), case)  # twice
        backup(store, tmp_path / "store.backup")
    with open_store(other_store_url) as other:
        restore(other, tmp_path / "store.backup")
        assert [c.amendment for c in store_changes.recorded_changes(other, 1)] == [c.amendment for c in recorded]
        assert store_changes.published(other, 1).publication_date == DAY


def test_a_replan_after_a_withdrawal_is_accepted_as_a_new_published_version(store_url, published_plan):
    case = three_teachers()
    with open_store(store_url) as store:
        project, version, publication = _published_project(store, published_plan)
        store_changes.record_change(store, project.id, Amendment(WITHDRAWAL, teacher_id="T1", reason="怀孕"), case)
        changed = case_with_amendments(case, store_changes.amendments(store, project.id))
        matched, unmatched, problems = match_published(changed, store.version(version.id).plan)
        assert problems == [] and unmatched == []
        result = replan(changed, settings(), matched)
        assert where(result.plan) == {"T3": "R2", "T2": "R1"}  # only what it must: T3 stays
        assert diff_rows(result, kinds=("dropped", "added")) == [
            ["取消", "T1", "U1", "R1·数学（2026秋起2学期）", "—", "T1退出交流（怀孕）"],
            ["新增", "T2", "U1", "—", "R1·数学（2026秋起2学期）", "接替T1（T1）在R1的岗位"]]
        new, again = store_changes.accept_replan(store, project.id, publication, changed, settings(), result,
                                                 dt.date(2027, 6, 20))
        assert new.origin == "replan" and new.parent_id == version.id
        assert [(e["teacher_id"], e["kind"]) for e in new.edits] == [("T1", "dropped"), ("T2", "added")]
        assert store_changes.published(store, project.id) == again and again.replaces_id == publication.id
        assert where(store.version(version.id).plan) == {"T1": "R1", "T3": "R2"}  # the published version as it was


def test_published_rows_the_workbook_lacks_are_named_row_by_row(published_plan):
    case = three_teachers()
    without_t3 = Case(**{**dict(case), "teachers": [t for t in case.teachers if t.teacher_id != "T3"]})
    matched, unmatched, problems = match_published(without_t3, published_plan)
    assert [p.teacher_id for p in unmatched] == ["T3"] and [p.teacher_id for p in matched.placements] == ["T1"]
    row = [p.teacher_id for p in published_plan.placements].index("T3") + 1
    assert [p.zh for p in problems] == [f"已公示方案第{row}行：教师编号“T3”已不在名册中"]
    result = replan(without_t3, settings(), matched, unmatched)
    gone = [(c.teacher_id, c.reason) for c in result.dropped]
    assert gone == [("T3", "unknown_teacher")]  # the re-plan says which published placement had to go, and why


def test_a_need_that_changed_applies_to_the_case():
    case = three_teachers()
    changed = case_with_amendments(case, [Amendment(NEED, school_id="R1", subject="数学", count=0),
                                          Amendment(NEED, school_id="R2", subject="数学", count=2, terms=4)])
    assert [(d.school_id, d.count, d.terms) for d in changed.demands] == [("R2", 2, 4)]


def test_the_change_notice_lists_only_the_changed_teachers(published_plan):
    changed = case_with_amendments(three_teachers(), [Amendment(WITHDRAWAL, teacher_id="T1", reason="怀孕")])
    result = replan(changed, settings().model_copy(update={"issuer": "略阳县教育局"}), published_plan)
    chosen = settings().model_copy(update={"issuer": "略阳县教育局"})
    docx, pdf = change_notice(changed, chosen, result.plan, result.changes, published_plan, dt.date(2027, 6, 20))
    document = Document(io.BytesIO(docx))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0].startswith("关于调整") and paragraphs[0].endswith("教师交流轮岗人员的通知")
    assert "略阳县教育局（盖章）" in paragraphs and "2027年6月20日" in paragraphs
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["序号", "姓名", "原单位", "变更", "原安排", "现安排", "原因"]
    assert [(r[1], r[3]) for r in rows[1:]] == [("T1", "取消"), ("T2", "新增")]  # T3, kept, is not there
    assert rows[1][5] == "不参加交流" and rows[2][4] == "—"
    pages = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    squeezed = pages.replace("\n", "").replace(" ", "")
    assert "教师交流轮岗人员的通知" in squeezed and "略阳县教育局" in squeezed and "第1页/共1页" in squeezed
    assert "T1" in squeezed and "T2" in squeezed and "T3" not in squeezed


def test_next_year_starts_from_the_published_plan(store_url, published_plan):
    with open_store(store_url) as store:
        project, version, _ = _published_project(store, published_plan)
        following = store_changes.start_next_year(store, project.id, three_teachers(), "略阳县2028学年")
        scenario = store.scenario(following.id, "工作方案")
        name, content = store.upload_content(scenario.upload_ids[0])
        from scheduler.workbook import read_files

        history = read_files([(name, content)]).case.history
        assert sorted((e.teacher_id, e.host_school_id) for e in history) == [("T1", "R1"), ("T3", "R2")]
        assert any(a == "start_next_year" for _, _, a, _ in store.history(project.id))
