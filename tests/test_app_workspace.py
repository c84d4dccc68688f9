"""The planner's workspace through AppTest: everything a planner does is in the store (PLANNER_DB),
so a second session on the same database (a reload, another tab, a server restart) sees exactly
what the first one left; a store that cannot be opened leaves the app working, saying so."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_support import ROOT, XLSX, planner, start, uploader
from sqlalchemy import text as sa_text

from scheduler.domain.enums import PinAction
from scheduler.domain.settings import DEFAULTS
from scheduler.plan import ENDED_STOPPED, Plan
from scheduler.present.pins_table import teacher_choice
from scheduler.store import open_store, workspace

REGISTRY = ROOT / "sample_data" / "registry_county.xlsx"


def _solve(at: AppTest) -> None:
    """Press 开始求解 and wait until the session shows a new current plan."""
    at.switch_page("ui/pages/solve.py").run()
    before = planner(at).current
    at.button(key="solve").click().run()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = planner(at).job
        if job is not None and not job.running:
            break
        time.sleep(0.3)
    at.run()
    assert not at.exception
    job = planner(at).job
    assert planner(at).current is not before and job.error is None, (job.error, job.plan and job.plan.status)


def _add_pin(at: AppTest, row: dict[str, str]) -> None:
    version = at.session_state["pins_version"]
    at.session_state[f"pins_{version}"] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    at.run()
    assert not at.error, [e.value for e in at.error]


def _rows(plan: Plan) -> list[tuple]:
    return sorted((p.teacher_id, p.school_id, p.subject, p.start.label("en"), p.terms) for p in plan.placements)


def _texts(at: AppTest) -> list[str]:
    return [e.value for e in [*at.warning, *at.info, *at.caption, *at.error]]


def test_upload_quota_pin_solve_and_edit_are_all_there_in_a_new_session(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    at = start(db)
    assert planner(at).saving and planner(at).is_sample  # a new store: a project made from the sample
    uploader(at).set_value((REGISTRY.name, REGISTRY.read_bytes(), XLSX)).run()
    assert planner(at).source == REGISTRY.name and not planner(at).is_sample
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_quota_rate").set_value(12.0).run()
    case = planner(at).case
    teacher = case.teachers[3]
    _add_pin(at, {"teacher": teacher_choice(case, teacher.teacher_id), "action": "禁止交流"})
    _solve(at)
    first = planner(at)
    solved = first.plan
    assert solved.placements and first.current.info.origin == "solve"
    # a hand edit: the first placement stays home
    at.switch_page("ui/pages/plan.py").run()
    at.session_state[f"edit_{first.plan_version}"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.button(key="apply_edit").click().run()
    assert not at.exception
    edited = first.plan
    assert edited.status == "edited" and len(edited.placements) == len(solved.placements) - 1
    assert first.current.info.origin == "edit" and first.current.info.parent_id == first.solved.info.id

    again = start(db)  # a reload, a second tab, a restarted server: a new session on the same store
    state = planner(again)
    assert state is not first
    assert state.project.id == first.project.id and state.source == REGISTRY.name and not state.is_sample
    assert state.files == first.files
    assert state.settings() == first.settings() and state.settings().quota_rate == pytest.approx(0.12)
    assert [(p.teacher_id, p.action) for p in state.case.pins if p.teacher_id == teacher.teacher_id] == [
        (teacher.teacher_id, PinAction.EXCLUDE)]
    assert state.plan.status == "edited" and _rows(state.plan) == _rows(edited)
    assert _rows(state.solved_plan) == _rows(solved)  # 撤销修改 still reaches the solve
    again.switch_page("ui/pages/rules.py").run()
    assert again.number_input(key="set_quota_rate").value == pytest.approx(12.0)
    again.switch_page("ui/pages/plan.py").run()
    assert int(again.metric[0].value) == len(edited.placements)
    assert not [s for s in _texts(again) if "已更改" in s], "the plan is its inputs' own: no stale notice"
    again.button(key="revert_edit").click().run()
    assert state.plan.status != "edited" and state.current.info.id == state.solved.info.id
    with open_store(f"sqlite:///{db}") as store:
        origins = [v.origin for v in store.versions(state.project.id)]
    assert origins == ["solve", "edit"], "undoing moves the current pointer; no version is removed"


def test_a_plan_whose_inputs_changed_says_so_and_export_asks_first(tmp_path: Path) -> None:
    at = start(tmp_path / "planner.db")
    _solve(at)
    at.switch_page("ui/pages/export.py").run()
    assert at.get("download_button") and not [c for c in at.checkbox if c.key == "stale_confirm"]
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_quota_rate").set_value(12.0).run()
    assert planner(at).stale() == ["settings"]
    assert planner(at).plan_settings.quota_rate != pytest.approx(0.12), "the plan keeps the settings it was solved by"
    at.switch_page("ui/pages/plan.py").run()
    assert [w for w in at.warning if "已更改" in w.value and "设置" in w.value], _texts(at)
    at.switch_page("ui/pages/export.py").run()
    assert [w for w in at.warning if "已更改" in w.value], _texts(at)
    assert not at.get("download_button"), "a stale plan is not offered before the planner confirms"
    at.checkbox(key="stale_confirm").check().run()
    assert at.get("download_button")
    # and a new session sees the same: the stale plan, said so
    again = start(tmp_path / "planner.db")
    assert planner(again).stale() == ["settings"]


def test_projects_are_created_renamed_archived_and_the_last_used_reopens(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    at = start(db)
    first = planner(at).project
    at.text_input(key="project_new_name").input("略阳县2027学年").run()
    at.button(key="project_create").click().run()
    assert not at.exception
    assert planner(at).project.name == "略阳县2027学年" and planner(at).is_sample  # a new project starts from the sample
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_min_years").set_value(9).run()
    at.switch_page("ui/pages/data.py").run()
    at.text_input(key=f"project_rename_{planner(at).project.id}").input("略阳县2027学年（12%）").run()
    at.button(key="project_rename_do").click().run()
    assert planner(at).project.name == "略阳县2027学年（12%）"
    again = start(db)
    assert planner(again).project.name == "略阳县2027学年（12%）", "the project used last reopens"
    assert planner(again).settings().min_years == 9
    # the other project is there, with its own settings
    again.selectbox(key=f"project_pick_{planner(again).project.id}").set_value(first.id).run()
    assert planner(again).project.id == first.id and planner(again).settings().min_years != 9
    again.button(key="project_archive").click().run()
    assert planner(again).project.name == "略阳县2027学年（12%）"
    with open_store(f"sqlite:///{db}") as store:
        assert [p.name for p in store.projects(include_archived=False)] == ["略阳县2027学年（12%）"]
        assert store.project(first.name).archived


def test_a_store_that_cannot_be_opened_leaves_the_app_working_and_says_nothing_is_saved(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    db.write_bytes(b"this is not a database" * 100)
    at = start(db)
    assert not planner(at).saving and planner(at).loaded.case is not None
    assert [w for w in at.sidebar.warning if "不会保存" in w.value], [w.value for w in at.sidebar.warning]
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_quota_rate").set_value(12.0).run()
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    deadline = time.monotonic() + 90
    while planner(at).job.running and time.monotonic() < deadline:
        time.sleep(0.3)
    at.run()
    assert planner(at).plan is not None and planner(at).plan_settings.quota_rate == pytest.approx(0.12)
    assert db.read_bytes() == b"this is not a database" * 100, "the file is left as it was"


def _plan(status: str, placed: int, ended: str | None = None) -> Plan:
    plan = Plan(placements=[], status=status, ended=ended)
    return dataclasses.replace(plan, placements=[None] * placed)  # only the count is read


def test_stop_and_infeasible_never_replace_a_proven_or_larger_current_plan() -> None:
    outcome = workspace.solve_outcome
    assert outcome(_plan("infeasible", 0), "optimal", 414) == (False, False)
    assert outcome(_plan("infeasible", 0), None) == (False, False)
    assert outcome(_plan("feasible", 3, ENDED_STOPPED), "optimal", 414) == (True, False)
    assert outcome(_plan("feasible", 3, ENDED_STOPPED), "feasible", 414) == (True, False)
    assert outcome(_plan("feasible", 0, ENDED_STOPPED), None) == (False, False)
    assert outcome(_plan("feasible", 3, ENDED_STOPPED), None) == (True, True)
    assert outcome(_plan("feasible", 420, ENDED_STOPPED), "feasible", 414) == (True, True)
    assert outcome(_plan("optimal", 380, "done"), "optimal", 414) == (True, True)  # a finished solve is the new plan
    assert outcome(_plan("feasible", 380, "time_limit"), "optimal", 414) == (True, True)


def test_a_stopped_solve_keeps_the_stored_proven_plan_current(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    at = start(db)
    _solve(at)
    state = planner(at)
    proven = state.current
    assert proven.plan.status == "optimal"
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    planner(at).job.stop()
    planner(at).job.wait(60)
    at.run()
    at.run()
    assert state.current.info.id == proven.info.id and state.plan.placements == proven.plan.placements
    again = start(db)
    assert planner(again).current.info.id == proven.info.id


def test_two_tabs_on_one_project_see_each_others_changes_and_a_clash_is_said(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    one, two = start(db), start(db)
    assert planner(one).project.id == planner(two).project.id
    one.switch_page("ui/pages/rules.py").run()
    one.number_input(key="set_quota_rate").set_value(12.0).run()
    two.run()
    assert planner(two).settings().quota_rate == pytest.approx(0.12), "the other tab's change is taken up"
    # both change before either sees the other's change: the later one is refused, and says so
    two.switch_page("ui/pages/rules.py").run()
    one.number_input(key="set_min_years").set_value(5).run()
    two.slider(key="set_arts_weight").set_value(3.5).run()
    refused = [w.value for w in two.sidebar.warning if "未保存" in w.value]
    assert refused and "他人修改" in refused[0], [w.value for w in two.sidebar.warning]
    assert planner(two).settings().min_years == 5, "the change that was saved first is shown"
    _solve(one)
    two.run()
    assert planner(two).current.info.id == planner(one).current.info.id


def test_an_infeasible_solve_keeps_the_stored_plan_current(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    at = start(db)
    _solve(at)
    kept = planner(at).current
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_quota_rate").set_value(12.0).run()
    at.number_input(key="set_min_years").set_value(9).run()
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    planner(at).job.wait(90)
    at.run()
    assert planner(at).job.plan.status == "infeasible"
    assert planner(at).current.info.id == kept.info.id and planner(at).plan.placements == kept.plan.placements
    at.switch_page("ui/pages/plan.py").run()
    assert [w for w in at.warning if "已更改" in w.value], "the kept plan is said to be of the old settings"
    with open_store(f"sqlite:///{db}") as store:
        assert len(store.versions(planner(at).project.id)) == 1, "an infeasible solve stores nothing"


def test_a_plan_of_replaced_data_is_not_shown_against_the_new_data(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    at = start(db)
    _solve(at)
    at.switch_page("ui/pages/data.py").run()
    uploader(at).set_value((REGISTRY.name, REGISTRY.read_bytes(), XLSX)).run()
    assert planner(at).plan is None
    again = start(db)
    assert planner(again).source == REGISTRY.name and planner(again).plan is None
    again.switch_page("ui/pages/plan.py").run()
    assert not again.exception and [i for i in again.info if "还没有方案" in i.value]
    with open_store(f"sqlite:///{db}") as store:
        assert len(store.versions(planner(again).project.id)) == 1, "the earlier plan stays stored"


def test_a_solve_outlives_its_tab_and_shows_in_every_session(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    first = start(db)
    first.switch_page("ui/pages/solve.py").run()
    first.button(key="solve").click().run()
    job = planner(first).job
    del first  # the tab is closed: nothing of its session is run again
    other = start(db)
    assert planner(other).job is job, "the server's solve of this project, seen from a new session"
    if job.running:
        assert [c for c in other.sidebar.caption if c.value.startswith("求解中")], [c.value for c in other.sidebar.caption]
    job.wait(90)
    other.run()
    assert planner(other).current is not None and planner(other).current.info.origin == "solve"
    assert planner(other).plan.placements == job.plan.placements
    assert [c for c in other.sidebar.caption if c.value.startswith("求解已结束")]


def test_a_stored_setting_an_older_version_wrote_opens_at_its_default_said_and_its_text_kept(tmp_path: Path) -> None:
    """The bad text is written straight into the store before the next session opens the project
    (as an older planner left it): the pages open, name the setting, and change nothing stored."""
    import json

    db = tmp_path / "planner.db"
    at = start(db)
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_quota_rate").set_value(12.0).run()
    project_id = planner(at).project.id
    with open_store(f"sqlite:///{db}") as store:
        scenario = store.scenario(project_id, workspace.SCENARIO)
        data = json.loads(scenario.settings_text)
        data["settings"]["pairing_mode"] = "loose"
        old_text = json.dumps(data, ensure_ascii=False)
        with store.transaction() as session:
            session.execute(sa_text("UPDATE scenarios SET settings_text = :t WHERE id = :i"),
                            {"t": old_text, "i": scenario.id})

    again = start(db)  # a reload after the upgrade
    state = planner(again)
    assert state.settings().quota_rate == pytest.approx(0.12), "the settings that can be read are as stored"
    assert state.settings().pairing_mode == DEFAULTS.pairing_mode
    said = [w.value for w in again.sidebar.warning if "无法读取" in w.value]
    assert said and "pairing_mode" in said[0] and "loose" in said[0], [w.value for w in again.sidebar.warning]
    for page in ("ui/pages/rules.py", "ui/pages/solve.py", "ui/pages/plan.py", "ui/pages/data.py"):
        again.switch_page(page).run()
        assert not again.exception, (page, again.exception)
    with open_store(f"sqlite:///{db}") as store:
        assert store.scenario(project_id, workspace.SCENARIO).settings_text == old_text, "nothing lost by opening"
    again.switch_page("ui/pages/rules.py").run()
    again.number_input(key="set_min_years").set_value(5).run()
    assert not [w for w in again.sidebar.warning if "无法读取" in w.value], "said until a setting is changed"
    with open_store(f"sqlite:///{db}") as store:
        kept = [d for _, _, action, d in store.history(project_id) if d.get("replaced_settings_text")]
        assert [d["replaced_settings_text"] for d in kept] == [old_text], "the replaced text is in the history"


def test_the_data_page_shows_the_project_history_in_sentences_and_takes_notes(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    at = start(db)
    _solve(at)
    version = planner(at).current.info.id
    at.switch_page("ui/pages/data.py").run()
    at.text_input(key=[k.key for k in at.text_input if k.key.startswith("note_text_")][0]).input("局长要求再算12%").run()
    at.selectbox(key="note_about").set_value(version).run()
    at.button(key="note_add").click().run()
    assert not at.exception, at.exception
    history = "\n".join(m.value for m in at.markdown)
    user = "本机管理员"  # the planner on this computer, not the server's OS account (root)
    assert f"为方案 #{version} 添加了备注：“局长要求再算12%”" in history, history
    assert f"求解了方案 #{version}（比例 10%" in history and f"- {user} 在 " in history
    at.radio(key="lang").set_value("en").run()
    history = "\n".join(m.value for m in at.markdown)
    assert f"noted on plan #{version}: “局长要求再算12%”" in history and f"solved plan #{version} (quota 10%" in history


def test_two_tabs_hand_editing_one_plan_the_later_edit_is_refused_and_said_never_lost_silently(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    one = start(db)
    _solve(one)
    two = start(db)
    solved = planner(two).current
    assert solved.info.id == planner(one).current.info.id
    for tab in (one, two):
        tab.switch_page("ui/pages/plan.py").run()
    # tab one stores its edit first; tab two, still showing the solved plan, edits it too
    one.session_state[f"edit_{planner(one).plan_version}"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    one.button(key="apply_edit").click().run()
    edited = planner(one).current
    assert edited.info.origin == "edit" and edited.info.parent_id == solved.info.id
    two.session_state[f"edit_{planner(two).plan_version}"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [1]}
    two.button(key="apply_edit").click().run()
    assert not two.exception, two.exception
    refused = [w.value for w in two.sidebar.warning if "未保存" in w.value]
    assert refused and "他人改为版本" in refused[0] and "没有保存" in refused[0], [w.value for w in two.sidebar.warning]
    assert planner(two).current.info.id == edited.info.id, "tab two now shows tab one's edit"
    assert _rows(planner(two).plan) == _rows(edited.plan)
    with open_store(f"sqlite:///{db}") as store:
        assert [v.origin for v in store.versions(planner(one).project.id)] == ["solve", "edit"]
