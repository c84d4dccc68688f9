"""用户 page (admins only): who may sign in from another computer, with which role. The store
refuses these changes to anyone but an admin, whatever this page shows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scheduler.store import ROLES, StoreError, role_label

from ui.i18n import lang, t
from ui.login import signed_in, store


def render() -> None:
    st.header(t("page_people"))
    st.caption(t("people_intro"))
    opened = store()
    if opened is None:
        return
    opened = signed_in(opened)
    users = opened.users()
    rows = [[u.name, role_label(u.role, lang()), f"{u.created_at.astimezone():%Y-%m-%d %H:%M}",
             t("yes") if u.disabled else ""] for u in users]
    st.dataframe(pd.DataFrame(rows, columns=t("people_cols").split("|")), hide_index=True, key="people_table")
    roles = list(ROLES)
    with st.form("people_add", clear_on_submit=True):
        st.subheader(t("people_add"))
        name = st.text_input(t("login_name"), key="people_add_name")
        role = st.selectbox(t("people_role"), roles, index=roles.index("planner"),
                            format_func=lambda r: role_label(r, lang()), key="people_add_role")
        password = st.text_input(t("login_password"), type="password", key="people_add_password")
        if st.form_submit_button(t("people_add")):
            try:
                opened.add_user(name, role, password)
                st.success(t("people_added", name=name.strip()))
            except StoreError as error:
                st.error(error.text.get(lang()))
    if not users:
        return
    st.subheader(t("people_change"))
    names = [u.name for u in users]
    picked = st.selectbox(t("people_pick"), names, key="people_change_name")  # outside the form: it fills it
    user = next(u for u in users if u.name == picked)
    with st.form(f"people_change_{user.id}"):
        role = st.selectbox(t("people_role"), roles, index=roles.index(user.role),
                            format_func=lambda r: role_label(r, lang()), key=f"people_change_role_{user.id}")
        password = st.text_input(t("people_new_password"), type="password", key=f"people_change_password_{user.id}")
        disabled = st.checkbox(t("people_disabled"), value=user.disabled, key=f"people_change_disabled_{user.id}")
        if st.form_submit_button(t("people_save")):
            try:
                if role != user.role:
                    opened.set_role(picked, role)
                if password:
                    opened.set_password(picked, password)
                if disabled != user.disabled:
                    opened.disable_user(picked, disabled)
                st.success(t("people_saved"))
            except StoreError as error:
                st.error(error.text.get(lang()))


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
