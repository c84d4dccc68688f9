"""Who is using the planner: nobody signs in on this computer, everyone else does.

A visit from this computer (Streamlit gives no address for 127.0.0.1 and ::1) acts as the local
admin, named by the login of the process running the server, as the command line does. A visit
from anywhere else, or through a proxy (an X-Forwarded-For header), signs in with a user of the
store (`python -m scheduler workspace user add NAME --role planner`); passwords are checked by
the store (salted scrypt, constant time). PLANNER_LOGIN=always asks for a login on this
computer too (a proxy that hides the address, the tests).

Roles are enforced by the store (`Store.as_user`): pages take the signed-in store from
`signed_in(store)`, and a viewer's store refuses every change whatever page calls it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import streamlit as st

from scheduler.store import ENV_VAR, Store, StoreError, default_url, may, open_store, role_label

from ui.i18n import lang, t

#: "always": a login on this computer too
LOGIN_ENV = "PLANNER_LOGIN"
#: headers a proxy sets: the visitor is someone else, whatever address the connection has
_PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    #: on this computer: no login, the local admin
    local: bool = False

    def may(self, what: str) -> bool:
        return may(self.role, what)


def is_local() -> bool:
    """Whether this visit comes from this computer (loopback) with no proxy in between."""
    if os.environ.get(LOGIN_ENV, "").strip().lower() == "always":
        return False
    # None for 127.0.0.1 and ::1; only a real address counts (AppTest's stand-in connection has none)
    if isinstance(st.context.ip_address, str):
        return False
    try:
        headers = st.context.headers
        return not any(isinstance(headers.get(name), str) for name in _PROXY_HEADERS)
    except Exception:  # no request behind this run (AppTest): nothing says it came from elsewhere
        return True


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    """One store per database per server (a failure is not cached: the next visit tries again)."""
    return open_store(url)


def store() -> Store | None:
    """The store as the server opened it (None, saying why, when it cannot be opened)."""
    try:
        return _open(os.environ.get(ENV_VAR) or default_url())
    except StoreError as error:
        st.error(error.text.get(lang()))
        return None


def person() -> Person | None:
    """Who is using this session: the local admin, the signed-in user, or None (not signed in)."""
    if is_local():
        opened = store()
        return Person(opened.user if opened is not None else "local", "admin", local=True)
    return st.session_state.get("person")


def signed_in(opened: Store) -> Store:
    """`opened` as the person of this session: their changes recorded under their name, allowed by
    their role. Not signed in (a page reached before the login): a viewer's store, which changes nothing."""
    who = person()
    if who is None:
        return opened.as_user("?", "viewer")
    return opened if who.local else opened.as_user(who.name, who.role)


def can_plan() -> bool:
    """Whether this session may change anything (admin, planner); a viewer's pages show read-only."""
    who = person()
    return who is not None and who.may("plan")


def gate() -> Person:
    """Before any page: the person of this session, or the login form (and the script stops)."""
    who = person()
    if who is not None:
        return who
    st.header(t("login_title"))
    opened = store()
    if opened is None:
        st.stop()
    if not opened.users():
        st.warning(t("login_no_users"))
        st.code("python -m scheduler workspace user add NAME --role admin", language="sh")
        st.stop()
    with st.form("login"):
        name = st.text_input(t("login_name"), key="login_name")
        password = st.text_input(t("login_password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login_submit"), type="primary")
    if submitted:
        found = opened.authenticate(name, password)
        if found is not None:
            st.session_state["person"] = Person(found.name, found.role)
            st.rerun()
        time.sleep(1.0)  # slows guessing; the store logs every refused attempt
        st.error(t("login_refused"))
    st.stop()


def sidebar() -> None:
    """Who is signed in, with a way out (nothing for the local admin)."""
    who = person()
    if who is None or who.local:
        return
    st.caption(t("login_as", name=who.name, role=role_label(who.role, lang())))
    if not who.may("plan"):
        st.caption(t("read_only"))
    if st.button(t("logout"), key="logout"):
        for key in ("person", "planner"):
            st.session_state.pop(key, None)
        st.rerun()
