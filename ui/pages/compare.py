"""比较 page: plan versions of one project side by side (scheduler.export.compare), and the
project's history (who did what, when). Only reads the store: a viewer sees all of it."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from scheduler.config.rules_file import load_rules
from scheduler.domain.models import Case
from scheduler.export import status_label
from scheduler.export.compare import Comparison, write_comparison
from scheduler.present.activity import activity_rows
from scheduler.store import ProjectInfo, Store, StoredVersion, StoreError, VersionInfo
from scheduler.store import changes as store_changes
from scheduler.store.compare import compare_versions, settings_shown, version_labels
from scheduler.store.workspace import SCENARIO

from ui import charts
from ui.i18n import lang, t
from ui.login import signed_in, store
from ui.state import read_cached


@st.cache_resource(show_spinner=False, max_entries=16)
def _version(_store: Store, where: str, version_id: int) -> StoredVersion:
    """A stored version never changes: loaded once per server."""
    return _store.version(version_id)


def _case(opened: Store, first: StoredVersion) -> Case | None:
    files = tuple(opened.upload_content(i) for i in first.info.upload_ids)
    loaded = read_cached(files, load_rules(first.info.settings_text).columns)
    if loaded.case is None:
        st.error(t("compare_unreadable") + loaded.report.summary(lang()))
        return None
    return loaded.case.model_copy(update={"pins": list(first.pins)})


def _version_label(version: VersionInfo, scenarios: dict[int | None, str], current: int | None,
                   published: int | None = None) -> str:
    """"版本#3（已公示，当前）· 12-02 05:20 · 最优 · 派出 47 人": the number the history uses, what it
    is to the planner, then when and what; a scenario other than the default one by its name."""
    zh = lang() == "zh"
    marks = ([t("compare_published")] if version.id == published else []) + \
        ([t("compare_current")] if version.id == current else [])
    head = (f"版本#{version.id}" if zh else f"version #{version.id}") + \
        ((f"（{'，'.join(marks)}）" if zh else f" ({', '.join(marks)})") if marks else "")
    placed = version.headline.get("placements", 0)
    words = f"派出 {placed} 人" if zh else f"{placed} placed"
    scenario = scenarios.get(version.scenario_id, "")
    parts = [head, f"{version.created_at.astimezone():%m-%d %H:%M}"]
    if scenario and scenario != SCENARIO:  # the default scenario's name (工作方案) says nothing of the version
        parts.append(scenario)
    return " · ".join(parts + [status_label(version.status, lang()), words])


def _project(opened: Store) -> ProjectInfo | None:
    projects = opened.projects()
    if not projects:
        st.info(t("compare_no_projects"))
        return None
    state = st.session_state.get("planner")
    working = getattr(getattr(state, "project", None), "id", None)  # the project the other pages have open
    ids = [p.id for p in projects]
    names = {p.id: p.name for p in projects}
    chosen = st.selectbox(t("compare_project"), ids, index=ids.index(working) if working in ids else len(ids) - 1,
                          format_func=names.get, key="compare_project")
    return next(p for p in projects if p.id == chosen)


def _frame(headers: list[str], rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers).astype(str)


def _show(comparison: Comparison, versions: list[StoredVersion]) -> None:
    st.caption(t("compare_heads"))
    tables = comparison.tables(lang())
    tables["settings"] = settings_shown(comparison, versions, lang())
    if not comparison.same_files:
        st.warning(t("compare_files_differ"))
    st.subheader(t("compare_figures"))
    st.dataframe(_frame(tables["figures"].headers, tables["figures"].rows), hide_index=True,
                 width="stretch", key="compare_figures")
    # below the table, the page's whole width: beside it the chart (its figure names and 0–100 %
    # axis) was cut off at about 60 %
    shares = pd.DataFrame(comparison.shares(lang()), columns=[t("figure"), t("version"), t("share")])
    st.caption(t("compare_shares"))
    st.altair_chart(charts.grouped_bars(shares, t("figure"), t("version"), t("share")))
    for name, title in (("teachers", "compare_teachers"), ("schools", "compare_schools"),
                        ("settings", "compare_settings")):
        table = tables[name]
        st.subheader(t(title, n=len(table.rows)))
        if table.rows:
            st.dataframe(_frame(table.headers, table.rows), hide_index=True, width="stretch",
                         key=f"compare_{name}")
        else:
            st.caption(t("compare_none"))
    buffer = io.BytesIO()
    write_comparison(comparison, buffer, lang())
    st.download_button(t("compare_download"), buffer.getvalue(),
                       file_name="方案比较.xlsx" if lang() == "zh" else "comparison.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="compare_download")


def _history(opened: Store, project: ProjectInfo) -> None:
    with st.expander(t("history"), expanded=False):
        local = base.user if (base := store()) is not None else None  # the server's own account: 本机管理员
        rows = activity_rows(opened.history(project.id), lang(), local_user=local)
        st.dataframe(pd.DataFrame(rows, columns=t("history_cols").split("|")), hide_index=True,
                     width="stretch", key="compare_history")


def render() -> None:
    st.header(t("page_compare"))
    st.caption(t("compare_intro"))
    opened = store()
    if opened is None:
        st.info(t("compare_no_store"))
        return
    opened = signed_in(opened)
    try:
        project = _project(opened)
        if project is None:
            return
        versions = opened.versions(project.id)
        scenarios = {s.id: s.name for s in opened.scenarios(project.id)}
        publication = store_changes.published(opened, project.id)
        published = publication.version_id if publication is not None else None
        if len(versions) < 2:
            st.info(t("compare_few", n=len(versions)))
        else:
            labels = {v.id: _version_label(v, scenarios, project.current_version_id, published) for v in versions}
            chosen = st.multiselect(t("compare_pick"), list(labels), default=[v.id for v in versions[-2:]],
                                    format_func=labels.get, key=f"compare_versions_{project.id}")
            if len(chosen) < 2:
                st.info(t("compare_pick_more"))
            else:
                stored = [_version(opened, opened.where, i) for i in chosen]
                with st.spinner("…"):
                    case = _case(opened, stored[0])
                    if case is not None:
                        heads = version_labels(stored, lang(), published)
                        _show(compare_versions(case, stored, heads), stored)
        _history(opened, project)
    except StoreError as error:
        st.error(error.text.get(lang()))


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
