"""Streamlit entry: page setup, language switch and navigation. Everything else is in `ui/`."""

import streamlit as st

from ui import login
from ui.i18n import t
from ui.workspace_bar import sidebar as workspace_sidebar

st.set_page_config(page_title="教师交流轮岗规划", page_icon=":material/school:", layout="wide")

with st.sidebar:
    st.title(t("app_title"))
    st.radio(t("language"), ["zh", "en"], format_func=lambda v: "中文" if v == "zh" else "English",
             key="lang", horizontal=True)
person = login.gate()  # from another computer: the login form until signed in (ui/login.py)
with st.sidebar:
    login.sidebar()
    workspace_sidebar()  # the store: autosave, what changed elsewhere, the running solve

pages = {
    "data": st.Page("ui/pages/data.py", title=t("page_data"), icon=":material/table_view:", default=True),
    "rules": st.Page("ui/pages/rules.py", title=t("page_rules"), icon=":material/tune:"),
    "solve": st.Page("ui/pages/solve.py", title=t("page_solve"), icon=":material/play_circle:"),
    "plan": st.Page("ui/pages/plan.py", title=t("page_plan"), icon=":material/insights:"),
    "export": st.Page("ui/pages/export.py", title=t("page_export"), icon=":material/download:"),
    "compare": st.Page("ui/pages/compare.py", title=t("page_compare"), icon=":material/compare_arrows:"),
    "changes": st.Page("ui/pages/changes.py", title=t("page_changes"), icon=":material/published_with_changes:"),
}
if person.may("admin"):
    pages["people"] = st.Page("ui/pages/people.py", title=t("page_people"), icon=":material/group:")
if not person.may("plan"):  # a viewer only looks (and the store refuses a viewer's changes anyway)
    pages = {key: page for key, page in pages.items() if key in ("plan", "export", "compare")}
st.session_state["pages"] = pages
st.navigation(list(pages.values()), position="top").run()
