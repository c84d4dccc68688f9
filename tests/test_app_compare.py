"""The 比较 page and the login in AppTest, on a temporary PLANNER_DB: two stored versions side by
side and the project's history; a login from elsewhere (PLANNER_LOGIN=always stands in for a
remote address), a wrong password refused, a viewer's pages and store read-only."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app_support import ROOT
from scheduler.store import open_store
from test_compare import PROJECT, store_two_solves


@pytest.fixture
def two_versions(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    stored = store_two_solves(url)
    monkeypatch.setenv("PLANNER_DB", url)
    monkeypatch.delenv("PLANNER_LOGIN", raising=False)
    return stored


def _table(at: AppTest, first_header: str):
    """The page's table whose first column is `first_header` (AppTest's dataframes carry no key)."""
    return next(d.value for d in at.dataframe if list(d.value.columns)[:1] == [first_header])


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def test_the_compare_page_shows_two_stored_versions_side_by_side(two_versions):
    at = _app()
    assert "compare" in at.session_state["pages"] and "people" in at.session_state["pages"]  # local: the admin
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception, at.exception
    project = at.selectbox(key="compare_project")
    assert project.format_func(project.value) == PROJECT
    picked = at.multiselect(key=f"compare_versions_{project.value}")
    assert sorted(picked.value) == sorted(two_versions.ids)
    subheaders = [s.value for s in at.subheader]
    assert any(s.startswith("安排不同的教师（") and not s.startswith("安排不同的教师（0") for s in subheaders)
    settings = _table(at, "参数")
    assert list(settings.iloc[0]) == ["交流比例", "10%", "12%"], "the label and a percentage, not quota_rate and 0.1"
    figures = _table(at, "指标")
    assert figures.iloc[0, 0] == "派出人数"
    history = _table(at, "时间")
    assert "王老师" in set(history.iloc[:, 1]) and "保存方案版本" in set(history.iloc[:, 2])
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]  # the grouped bar of the shares
    assert any(spec.get("encoding", {}).get("row") for spec in specs)

    picked.set_value([two_versions.ids[0]]).run()
    assert not at.exception and any("至少选择两个" in i.value for i in at.info)


def test_from_elsewhere_a_login_is_required_and_a_viewer_only_looks(two_versions, monkeypatch):
    monkeypatch.setenv("PLANNER_LOGIN", "always")
    with open_store(two_versions.url) as store:
        store.add_user("赵老师", "viewer", "viewer's horse")
        store.add_user("李老师", "planner", "planner's horse")
    at = _app()
    assert at.text_input(key="login_name") is not None and "pages" not in at.session_state
    at.text_input(key="login_name").input("赵老师")
    at.text_input(key="login_password").input("wrong horse")
    at.button[0].click().run()
    assert any("不正确" in e.value for e in at.error) and "pages" not in at.session_state
    at.text_input(key="login_password").input("viewer's horse")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert set(at.session_state["pages"]) == {"plan", "export", "compare"}
    assert any("只能查看" in c.value for c in at.sidebar.caption)
    state = at.session_state["planner"]
    if getattr(state, "store", None) is not None:  # the pages' store is the viewer's: it refuses every change
        assert (state.store.user, state.store.role) == ("赵老师", "viewer")
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception and _table(at, "指标").iloc[0, 0] == "派出人数"


def test_a_planner_signs_in_and_plans_but_manages_no_users(two_versions, monkeypatch):
    monkeypatch.setenv("PLANNER_LOGIN", "always")
    with open_store(two_versions.url) as store:
        store.add_user("李老师", "planner", "planner's horse")
    at = _app()
    at.text_input(key="login_name").input("李老师")
    at.text_input(key="login_password").input("planner's horse")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert {"data", "rules", "solve", "plan", "export", "compare", "changes"} == set(at.session_state["pages"])
    assert any("李老师" in c.value for c in at.sidebar.caption)


def test_each_version_is_headed_by_its_number_what_sets_it_apart_and_published(two_versions):
    import datetime as dt

    from scheduler.store import changes as store_changes

    first, second = two_versions.ids
    with open_store(two_versions.url) as store:
        project = store.project(PROJECT)
        store_changes.record_publication(store, project.id, first, dt.date(2027, 6, 1), store.version(first).settings)
    at = _app()
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception, at.exception
    picked = at.multiselect(key=f"compare_versions_{at.selectbox(key='compare_project').value}")
    shown = [picked.format_func(v) for v in picked.value]
    assert shown[0].startswith(f"版本#{first}（已公示）") and shown[1].startswith(f"版本#{second}（当前）"), shown
    assert not any("工作方案" in label for label in shown), "the default scenario's name says nothing of a version"
    heads = [f"版本#{first}（已公示，交流比例10%）", f"版本#{second}（交流比例12%）"]
    assert list(_table(at, "指标").columns) == ["指标", *heads]
    assert list(_table(at, "参数").columns) == ["参数", *heads]
    assert any("已公示" in c.value and "#号" in c.value for c in at.caption)
    history = _table(at, "时间")
    assert "发布方案" in set(history.iloc[:, 2]), "the publication is worded, not 'publish'"

    at.session_state["lang"] = "en"
    at.run()
    assert list(_table(at, "figure").columns)[1:] == [f"version #{first} (published, quota rate 10%)",
                                                      f"version #{second} (quota rate 12%)"]
