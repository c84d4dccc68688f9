"""导出 page: the assignment workbook and the JSON summary as downloads, and the documents to publish."""

from __future__ import annotations

import datetime as dt
import io
import json

import streamlit as st

from scheduler.export import headline, plan_summary, write_plan_workbook
from scheduler.export.progress_words import status_sentence
from scheduler.publish import FontMissing, published_zip
from scheduler.publish.documents import RECEIVING
from scheduler.store import StoreError
from scheduler.store import changes as store_changes

from ui.i18n import lang, t
from ui.state import planner
from ui.workspace_bar import stale_notice


def render() -> None:
    st.header(t("page_export"))
    st.caption(t("export_intro"))
    state = planner()
    if state.plan is None or state.case is None:
        st.info(t("no_plan"))
        return
    settings = state.plan_settings or state.settings()
    # A plan whose inputs changed since it was solved is written only once the planner says so.
    if stale_notice(state) and not st.checkbox(t("stale_confirm"), key="stale_confirm"):
        return
    buffer = io.BytesIO()
    with st.spinner("…"):
        write_plan_workbook(state.case, settings, state.plan, buffer, lang=lang())
        summary = plan_summary(state.case, settings, state.plan)
    stem = state.source.rsplit(".", 1)[0]
    st.markdown(f"**{status_sentence(state.plan, lang())}**")
    st.markdown("\n".join(f"- {line}" for line in headline(state.case, settings, state.plan).lines(lang())))
    st.caption(t("export_sheets"))
    st.download_button(t("download_plan"), buffer.getvalue(), file_name=f"{stem}_派出安排.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       type="primary", key="download_plan")
    st.download_button(t("download_json"), json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"),
                       file_name=f"{stem}_方案摘要.json" if lang() == "zh" else f"{stem}_summary.json", mime="application/json", key="download_json")
    _publish(state, settings, stem)


def _publish(state, settings, stem: str) -> None:
    """The print-ready documents, made on request (a PDF per receiving school and a notice per
    teacher take seconds), kept in the session until the plan or the date changes."""
    st.subheader(t("publish_header"))
    st.caption(t("publish_intro"))
    day = st.date_input(t("publish_date"), value=dt.date.today(), key="publish_date")
    key = (id(state.plan), settings.model_dump_json(), day)
    if st.button(t("publish_make"), key="publish_make"):
        try:
            with st.spinner("…"):
                content, made = published_zip(state.case, settings, state.plan, day)
        except FontMissing as missing:
            st.error(missing.args[0].get(lang()))  # names the font package to install
            return
        st.session_state["published"] = (key, content, list(made.files), made.placed,
                                         [w[0] if lang() == "zh" else w[1] for w in made.warnings])
        _record_publication(state, settings, day)
    kept = st.session_state.get("published")
    if kept is None or kept[0] != key:
        return
    _, content, files, placed, warnings = kept
    # what was made in the planner's words (the zip's 39 files are mostly one 接收名单 per school)
    schools = sum(1 for path in files if len(path.parts) > 1 and path.parts[0] == RECEIVING)
    st.success(t("publish_made", n=len(files), placed=placed, schools=schools))
    st.download_button(t("publish_download"), content, file_name=f"{stem}_发布文件.zip", mime="application/zip",
                       type="primary", key="publish_download")
    if st.session_state.get("publish_recorded"):
        st.info(st.session_state["publish_recorded"])
    for warning in warnings:
        st.warning(warning)



def _record_publication(state, settings, day: dt.date) -> None:
    """Publishing a stored version freezes it as the project's published plan (the 变更 page starts
    from it); a plan of this session alone is published without a record."""
    if not state.saving or state.current is None or state.plan is not state.current.plan:
        return
    try:
        store_changes.record_publication(state.store, state.project.id, state.current.info.id, day, settings)
    except StoreError as error:
        st.error(error.text.get(lang()))
        return
    st.session_state["publish_recorded"] = t("publish_recorded", version=state.current.info.id, date=day)


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
