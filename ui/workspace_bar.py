"""The workspace on every page: the sidebar's line about the store and the running solve, and the
notice of a plan whose inputs changed since it was solved."""

from __future__ import annotations

import streamlit as st

from ui.i18n import lang, t
from ui.state import Planner, planner, sync


def sidebar() -> None:
    """Once per script run, in the sidebar: save, take up the store's changes, say where things stand."""
    state = sync()
    if state.store is None:
        st.warning(t("store_off", error=state.store_error.get(lang()) if state.store_error else "?"),
                   icon=":material/cloud_off:")
    else:
        if state.project is not None:
            st.caption(t("store_saving", name=state.project.name))
        if state.settings_problems:
            problems = [p.get(lang()) for p in state.settings_problems]
            st.warning(t("settings_unreadable", problems="；".join(problems) if lang() == "zh" else "; ".join(problems)),
                       icon=":material/rule:")
        if state.store_error is not None:
            st.warning(t("store_refused", error=state.store_error.get(lang())), icon=":material/warning:")
            state.store_error = None
    job = state.job
    # refreshed every second only while a solve runs (an idle page never reruns by itself)
    st.fragment(_solve_line, run_every=1.0 if job is not None and job.running else None)()


def _solve_line() -> None:
    state = planner()
    job = state.job
    if job is None:
        return
    if job.running:
        line = job.progress_line(lang())
        st.caption(t("bar_running", line=line) if line else t("bar_preparing", seconds=job.elapsed))
        return
    if state.adopted != id(job):  # just ended: the whole app runs again and takes the plan up
        st.rerun(scope="app")
    if job.plan is None or job.plan.status == "infeasible":
        st.caption(t("bar_failed"))
    elif job.plan.ended == "stopped" and state.plan is not None and state.plan.placements != job.plan.placements:
        st.caption(t("bar_kept", n=len(job.plan.placements)))
    elif state.plan is None or state.plan.placements == job.plan.placements:
        # once another plan is current (a re-plan on 变更, a hand edit), this solve's line is old news
        st.caption(t("bar_done", n=len(job.plan.placements), seconds=job.elapsed))


def stale_notice(state: Planner) -> list[str]:
    """Say on the page what changed since the plan shown was solved; what changed."""
    changed = state.stale()
    if changed:
        what = "、".join(t(f"stale_{c}") for c in changed) if lang() == "zh" else ", ".join(t(f"stale_{c}") for c in changed)
        st.warning(t("stale", what=what), icon=":material/history:")
    return changed
