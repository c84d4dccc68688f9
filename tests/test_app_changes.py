"""The 变更 page through AppTest, on the bundled Lüeyang sample and a store of its own: publishing
on the Export page records the published version; a withdrawal recorded on the 变更 page, a re-plan
in the background, the diff against the published plan (the withdrawn teacher dropped, the seat
refilled, everybody else kept, with reasons in names); the 变更通知 offered; accepting stores a new
current version and leaves the published one as it was; next year's project from it."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pandas as pd
from docx import Document
from streamlit.testing.v1 import AppTest

from app_support import planner, start
from scheduler.present.pins_table import teacher_choice
from scheduler.store import open_store
from scheduler.store import changes as store_changes


def _wait(at: AppTest, done, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done():
        time.sleep(0.3)
    at.run()
    assert not at.exception, at.exception


def _solve_and_publish(at: AppTest) -> None:
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    _wait(at, lambda: planner(at).job is not None and not planner(at).job.running)
    assert planner(at).current is not None and planner(at).plan.placements
    at.switch_page("ui/pages/export.py").run()
    at.button(key="publish_make").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]


def _table(at: AppTest, index: int) -> pd.DataFrame:
    return at.table[index].value


def test_publish_withdraw_replan_accept_and_next_year(tmp_path: Path, downloads) -> None:
    db = tmp_path / "planner.db"
    at = start(db)
    _solve_and_publish(at)
    state = planner(at)
    published_version = state.current.info.id
    publication = store_changes.published(state.store, state.project.id)
    assert publication is not None and publication.version_id == published_version  # the Export page recorded it
    assert any(a == "publish" for _, _, a, _ in state.store.history(state.project.id))

    at.switch_page("ui/pages/changes.py").run()
    assert not at.exception
    assert f"版本 #{published_version}" in " ".join(m.value for m in at.markdown)
    case = state.case
    withdrawn = state.plan.placements[0]
    name = case.teacher(withdrawn.teacher_id).name
    at.selectbox(key="change_teacher_0").set_value(teacher_choice(case, withdrawn.teacher_id)).run()
    at.text_input(key="change_reason_0").set_value("怀孕").run()
    at.button(key="change_record").click().run()
    assert not at.error, [e.value for e in at.error]
    recorded = _table(at, 0)
    assert list(recorded["教师"]) == [name] and list(recorded["内容"]) == ["怀孕"]
    assert list(recorded["登记人"]) == ["本机管理员"], "the planner on this computer, not the OS account"
    # the form is empty again, and the message names whom the change is about
    assert any(s.value == f"已登记：{name} · 退出交流（怀孕）。" for s in at.success), [s.value for s in at.success]
    assert at.selectbox(key="change_teacher_1").value is None and at.text_input(key="change_reason_1").value == ""
    assert "本机管理员 记录" in " ".join(m.value for m in at.markdown)
    assert any(f"登记变更：{name}退出交流（怀孕）" in e.line() for e in state.history()), "worded, not record_change"

    at.button(key="changes_replan").click().run()
    deadline = time.monotonic() + 90
    while len(at.table) < 3 and time.monotonic() < deadline:  # the re-plan runs in the background
        time.sleep(0.5)
        at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    changed, kept = _table(at, 1), _table(at, 2)
    assert list(changed["类别"]) == ["取消", "新增"], changed
    assert changed["姓名"].iloc[0] == name and changed["原因"].iloc[0] == f"{name}退出交流（怀孕）"
    refill = changed["姓名"].iloc[1]
    assert f"接替{name}" in changed["原因"].iloc[1] and refill != name
    assert len(kept) == len(state.plan.placements) - 1 and set(kept["类别"]) == {"保留"}
    kept_box = next(e for e in at.expander if e.label.startswith("保留的安排"))
    assert not kept_box.proto.expanded, "what changed comes first; the kept placements are one click away"
    # the change notice names only the two changed teachers
    notice = Document(io.BytesIO(downloads["变更通知.docx"]))
    names = [row.cells[1].text for row in notice.tables[0].rows[1:]]
    assert names == [name, refill]
    assert "变更通知.pdf" in downloads

    at.button(key="changes_accept").click().run()
    assert not at.exception
    with open_store(f"sqlite:///{db}") as store:
        project = store.project(state.project.name)
        current = store.version(project.current_version_id)
        assert current.info.origin == "replan" and current.info.parent_id == published_version
        assert withdrawn.teacher_id not in {p.teacher_id for p in current.plan.placements}
        assert store.version(published_version).plan.placements[0] == withdrawn  # the published one unchanged
        assert store_changes.published(store, project.id).version_id == current.info.id

    at.button(key="next_year_start").click().run()
    assert not at.exception
    assert planner(at).project.name == "示例项目（下一年度）"
    history = planner(at).case.history
    assert {e.teacher_id for e in history} >= {p.teacher_id for p in current.plan.placements}

