"""Streamlit entry: page setup, language switch and navigation. Everything else is in `ui/`."""

import streamlit as st

from ui.i18n import t

st.set_page_config(page_title="教师交流轮岗规划", page_icon="🏫", layout="wide")

with st.sidebar:
    st.radio(t("language"), ["zh", "en"], format_func=lambda v: "中文" if v == "zh" else "English",
             key="lang", horizontal=True)

pages = {
    "data": st.Page("views/data.py", title=t("page_data"), icon="📋", default=True),
    "rules": st.Page("views/rules.py", title=t("page_rules"), icon="⚖️"),
    "solve": st.Page("views/solve.py", title=t("page_solve"), icon="▶️"),
    "plan": st.Page("views/plan.py", title=t("page_plan"), icon="🗺️"),
    "export": st.Page("views/export.py", title=t("page_export"), icon="📥"),
}
st.session_state["pages"] = pages
st.sidebar.title(t("app_title"))
st.navigation(list(pages.values())).run()
