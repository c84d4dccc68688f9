"""数据 page: the bundled sample or an upload, its validation report, previews, supply and need."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from scheduler.config.rules_file import dump_settings
from scheduler.present.masking import masked_frame, masked_text
from scheduler.present.overview import need_by_county, supply_need
from scheduler.workbook import write_template
from scheduler.workbook.schema import SHEET_BY_KEY

from ui import charts
from ui.i18n import lang, t
from ui.login import can_plan
from ui.login import store as server_store
from ui.state import DEFAULT_SAMPLE, load_sample, planner, read_cached, sample_names, sample_title


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


def _project() -> None:
    """The project picker: open, create, rename, archive (everything in a project is saved as it changes)."""
    state = planner()
    if not state.saving:
        return
    projects = state.store.projects(include_archived=False)
    if state.project.id not in [p.id for p in projects]:
        projects.append(state.project)
    created = st.session_state.pop("project_created", None)
    if created:
        st.success(created)
    with st.expander(t("projects") + f"：{state.project.name}", expanded=False):
        st.caption(t("project_help"))
        ids = [p.id for p in projects]
        names = {p.id: p.name for p in projects}
        left, middle, right = st.columns(3)
        chosen = left.selectbox(t("project"), ids, ids.index(state.project.id), format_func=names.get,
                                key=f"project_pick_{state.project.id}")
        if chosen != state.project.id:
            state.open_project(next(p for p in projects if p.id == chosen))
            st.rerun()
        name = middle.text_input(t("project_new"), key="project_new_name")
        # the words made now, in this run's language (a format_func calling t() is also called between runs)
        starts = {v: t(f"project_start_{v}", name=state.project.name, sample=sample_title(DEFAULT_SAMPLE, lang()))
                  for v in ("copy", "sample")}
        start = middle.radio(t("project_start"), list(starts), key=f"project_start_{lang()}", format_func=starts.get)
        if middle.button(t("project_create"), key="project_create", disabled=not name.strip()):
            if _create(name, copy=start == "copy"):
                st.rerun()
        rename = right.text_input(t("project_rename"), state.project.name, key=f"project_rename_{state.project.id}")
        if right.button(t("project_rename_do"), key="project_rename_do", disabled=rename.strip() == state.project.name):
            if state.rename_project(rename):
                st.rerun()
        if st.button(t("project_archive"), key="project_archive", help=t("project_archive_help")):
            state.archive_project()
            st.rerun()


def _create(name: str, copy: bool) -> bool:
    """A new project, opened: with this project's files, settings, pins and column mapping (`copy`),
    or the bundled sample at the default settings; said once it is made."""
    state = planner()
    before = state.project.name
    kept = (state.source, state.loaded, state.is_sample, state.files, dict(state.overrides), state.pins,
            dict(state.columns))
    if not copy:  # a new project opens on the settings in use: at their defaults, for a fresh start
        state.overrides, state.columns = {}, {}
    if not state.create_project(name):
        state.overrides, state.columns = kept[4], kept[6]  # refused (a name in use): this project as it was
        return False
    if copy:
        source, loaded, is_sample, files, overrides, pins, columns = kept
        state.overrides, state.columns = overrides, columns
        state.replace_data(source, loaded, is_sample=is_sample, files=files)
        state.pins = pins
        state.autosave()
    for key in [k for k in st.session_state if str(k).startswith(("set_", "mode_"))]:
        del st.session_state[key]  # the Rules page shows the new project's settings
    st.session_state["project_created"] = t("project_created_copy" if copy else "project_created_sample",
                                            name=state.project.name, source=before,
                                            sample=sample_title(DEFAULT_SAMPLE, lang()))
    return True


def _history() -> None:
    """The project's history, newest first, in sentences (who, when, what), and a note to add to it."""
    state = planner()
    if not state.saving:
        return
    events = state.history()
    # open after a note is added, to show it in the history (a new count is a new expander)
    with st.expander(t("project_history", n=len(events)), expanded=st.session_state.pop("note_added", False)):
        if can_plan():
            versions = [None] + [v.id for v in reversed(state.store.versions(state.project.id))]
            left, right = st.columns([3, 1])
            text = left.text_input(t("note_text"), key=f"note_text_{len(events)}", placeholder=t("note_placeholder"))
            about = right.selectbox(t("note_about"), versions, key="note_about",
                                    format_func=lambda v: t("note_project") if v is None else f"#{v}")
            if st.button(t("note_add"), key="note_add", disabled=not text.strip()):
                if state.add_note(text, about):
                    st.session_state["note_added"] = True
                    st.rerun()
        shown = events if st.session_state.get("history_all") else events[:30]
        opened = server_store()
        local = opened.user if opened is not None else None  # the server's own account: 本机管理员, not root
        st.markdown("\n".join(f"- {e.line(lang(), local)}" for e in shown) or t("history_empty"))
        if len(events) > 30:
            st.checkbox(t("history_all", n=len(events)), key="history_all")


def _choose_data() -> None:
    state = planner()
    left, right = st.columns([3, 2])
    with left:
        # The uploader is keyed by the data version: once read, a fresh empty uploader takes its
        # place, so the next upload replaces the data instead of joining the files still listed.
        uploads = st.file_uploader(t("upload"), type=["xlsx", "xls", "xlsm", "ods", "csv", "txt"],
                                   accept_multiple_files=True, help=t("upload_help"), key=f"upload_{state.data_version}")
        st.caption(t("upload_caption"))
        if uploads:
            files = tuple((f.name, f.getvalue()) for f in uploads)
            with st.spinner("…"):
                # The planner's column mapping (from an earlier upload or a rules file) maps a file
                # laid out the same way at once.
                state.replace_data(" + ".join(name for name, _ in files), read_cached(files, state.columns),
                                   files=files)
            st.rerun()
    with right:
        names = sample_names()
        titles = [sample_title(name, lang()) for name in names]
        # Titles as options (no format_func): the choice survives a language switch cleanly. No
        # sample is shown as chosen while uploaded data is in use.
        index = names.index(state.source) if state.is_sample and state.source in names else None
        title = st.selectbox(t("sample"), titles, index=index, placeholder=t("sample_placeholder"),
                             key=f"sample_choice_{lang()}_{state.data_version}")
        if st.button(t("use_sample"), key="use_sample", disabled=title is None):
            choice = names[titles.index(title)]
            state.replace_data(choice, load_sample(choice), is_sample=True)
            st.rerun()
        st.download_button(t("template"), template_bytes(), file_name="教师交流轮岗模板.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="template")


def _mapping() -> None:
    """Sheets whose required columns were not found: each missing field with a picker of the
    file's headers, pre-filled by the closest one; applying reads the upload again, mapped."""
    state = planner()
    unmatched = getattr(state.loaded, "unmatched", None) or {}
    if not unmatched or not state.files:
        return
    st.subheader(t("mapping"))
    st.caption(t("mapping_help"))
    picks: dict[str, dict[str, str]] = {}
    complete = True
    for key, sheet in unmatched.items():
        schema = SHEET_BY_KEY[key]
        headers = [h for h in dict.fromkeys(sheet.headers) if h]
        with st.container(border=True):
            st.markdown(f"**{t('mapping_sheet', sheet=schema.label(lang()))}**")
            cells = st.columns(3)
            for position, field_key in enumerate(sheet.missing):
                column = schema.known_column(field_key) or schema.column(field_key)
                suggested = sheet.suggestions.get(field_key)
                label = column.zh if lang() == "zh" else f"{column.key}（{column.zh}）"
                choice = cells[position % 3].selectbox(
                    label, headers, index=headers.index(suggested) if suggested in headers else None,
                    placeholder=t("mapping_pick"), help=column.zh_help if lang() == "zh" else column.en_help,
                    key=f"map_{state.data_version}_{key}_{field_key}")
                if choice is None:
                    complete = False
                else:
                    picks.setdefault(key, {})[field_key] = choice
    if not complete:
        st.caption(t("mapping_incomplete"))
    if st.button(t("apply_mapping"), key="apply_mapping", type="primary", disabled=not picks):
        columns = {sheet: dict(fields) for sheet, fields in state.columns.items()}
        for sheet, fields in picks.items():
            columns.setdefault(sheet, {}).update(fields)
        state.columns = columns
        with st.spinner("…"):
            state.replace_data(state.source, read_cached(state.files, columns), is_sample=state.is_sample,
                               files=state.files)
        st.rerun()


def _mapping_kept() -> None:
    """The mapping in use: said once, with the way to keep it (the rules file) and to drop it."""
    state = planner()
    if not state.columns:
        return
    lines = []
    for key, fields in state.columns.items():
        schema = SHEET_BY_KEY[key]
        lines += [f"- {schema.label(lang())} · {(schema.known_column(f) or schema.column(f)).label(lang())} ← “{header}”"
                  for f, header in fields.items()]
    with st.expander(t("mapping_kept", n=sum(len(f) for f in state.columns.values()))):
        st.caption(t("mapping_kept_help"))
        st.markdown("\n".join(lines))
        left, right = st.columns(2)
        left.download_button(t("save_settings"), dump_settings(state.settings(), state.columns).encode("utf-8"),
                             file_name="规划规则.json", mime="application/json", key="save_rules_data")
        if right.button(t("mapping_clear"), key="mapping_clear"):
            state.columns = {}
            st.rerun()


def _report() -> None:
    report = planner().loaded.report
    st.subheader(t("report"))
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        st.error(t("has_errors", errors=errors, warnings=warnings))
    elif warnings:
        st.warning(t("only_warnings", warnings=warnings))
    else:
        st.success(t("no_problems"))
    if report.problems:
        frame = report.to_frame(lang())
        # A problem of a whole sheet has no row: show an empty cell, not the word None.
        frame[frame.columns[2]] = [("" if pd.isna(v) else str(v)) for v in frame[frame.columns[2]]]
        sheets = [t("filter_all")] + sorted(set(frame.iloc[:, 1]) - {""})
        chosen = st.selectbox(t("filter_sheet"), sheets, key="report_sheet")
        if chosen != t("filter_all"):
            frame = frame[frame.iloc[:, 1] == chosen]
        severity, sheet, row, column, value, message = frame.columns
        # A bad ID number is reported with its value: shown masked, as everywhere on the pages.
        st.dataframe(masked_frame(frame), hide_index=True, width="stretch", height=min(400, 38 + 35 * len(frame)),
                     column_config={severity: st.column_config.TextColumn(width="small"),
                                    row: st.column_config.TextColumn(width="small"),
                                    value: st.column_config.TextColumn(width="small"),
                                    message: st.column_config.TextColumn(width="large")})
        if len(frame) <= 20:
            # The grid cuts long messages at the column's edge; a short report is also given in full.
            with st.expander(t("report_full"), expanded=len(frame) <= 10):
                st.markdown("\n".join(f"- {masked_text(p.text(lang()))}" for p in report.sorted()
                                       if chosen == t("filter_all") or p.sheet_label(lang()) == chosen))


def _previews() -> None:
    frames = planner().loaded.frames
    if not frames:
        return
    st.subheader(t("sheets"))
    keys = list(frames)
    tabs = st.tabs([f"{SHEET_BY_KEY[k].label(lang())}（{len(frames[k].text)}）" for k in keys])
    for tab, key in zip(tabs, keys):
        with tab:
            frame = frames[key]
            text = frame.text.rename(columns={c.key: c.label(lang()).replace("_", " ") for c in frame.sheet.columns})
            st.dataframe(masked_frame(text.head(500)), hide_index=True, width="stretch", height=300)
            st.caption(t("rows", n=len(frame.text)))


def _overview() -> None:
    state = planner()
    case = state.case
    if case is None:
        return
    st.subheader(t("overview"))
    st.caption(t("counts", teachers=len(case.teachers), schools=len(case.schools), links=len(case.links),
                 demands=len(case.demands), pins=len(case.pins)))
    settings = state.settings()
    table = supply_need(case, settings, lang())
    left, right = st.columns([3, 2])
    with left:
        st.caption(t("overview_help"))
        st.altair_chart(charts.supply_need_bars(table))
    with right:
        county = need_by_county(case, settings, lang())
        if not county.empty:
            st.caption(t("need_heatmap"))
            # Counties across, subjects down: a county name is short, a subject list is long.
            st.altair_chart(charts.heatmap(county, county.columns[0], county.columns[1], county.columns[2]),
                            width="content")


def render() -> None:
    st.header(t("page_data"))
    st.caption(t("data_intro"))
    _project()
    _history()
    _choose_data()
    source = planner().source
    st.info(t("current_data", name=sample_title(source, lang()) if planner().is_sample else source))
    _mapping()
    _mapping_kept()
    _report()
    _overview()
    _previews()


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
