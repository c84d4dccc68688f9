"""导出 page: the assignment workbook and the JSON summary as downloads."""

from __future__ import annotations

import io
import json

import streamlit as st

from scheduler.export import headline, plan_summary, write_plan_workbook
from scheduler.export.progress_words import status_sentence

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


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
