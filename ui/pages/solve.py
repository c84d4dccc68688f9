"""求解 page: solve in the background with live progress and a Stop button."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scheduler.explain import diagnose, explain_infeasible
from scheduler.export import headline
from scheduler.export.progress_words import distance_words, status_sentence, step_name
from scheduler.plan import ENDED_DONE, ENDED_STOPPED, ENDED_TIME
from scheduler.present.masking import masked_text

from ui.i18n import lang, t
from ui.state import planner


def _start() -> None:
    planner().start_solve()


def _continue() -> None:
    """Solve again from the plan the cut solve found (the solver's start instead of the greedy plan),
    with twice its time: nothing found is lost. The same limit again was measured not to be enough
    (Datong 优先 under load: cut at 60 s twice, the second time from the first's plan), since each
    step's share of the time, not the start, is what ran out."""
    job = planner().job
    if job is not None:
        planner().start_solve(hint=job.plan, time_limit=_longer(job.settings.time_limit_s))


def _longer(seconds: float) -> float:
    return min(2 * seconds, 3600.0)  # the rules page's most


def _stop() -> None:
    if planner().job is not None:
        planner().job.stop()


#: levels whose value counts what is missing, never below 0 (the wishes level can be)
_SHORTFALLS = ("quota", "moves", "need", "links")


def _levels_table(plan) -> pd.DataFrame:
    """As text: a column of numbers and "—" would not be one type, and a search's bound below 0 on a
    shortfall says no more than 0 does."""
    def bound(r) -> str:
        if r.bound is None:
            return "—"
        return f"{max(r.bound, 0) if r.key in _SHORTFALLS else r.bound:g}"
    return pd.DataFrame([{t("step"): f"{i + 1}. {step_name(r.key, lang(), r.zh if lang() == 'zh' else r.en)}",
                          t("value"): f"{r.value:g}", t("bound"): bound(r),
                          t("how_good"): distance_words(r.gap, lang())} for i, r in enumerate(plan.levels)])


@st.fragment(run_every=0.5)
def _progress() -> None:
    state = planner()
    job = state.job
    if job is None:
        return
    if job.running:
        line = job.progress_line(lang())
        st.progress(job.watch.fraction(), text=line or t("preparing_s", seconds=job.elapsed))
        st.button(t("stop"), on_click=_stop, key="stop")
        return
    # finished: the whole app runs once more, which takes the plan up (ui.state.sync), then the outcome
    if state.adopted != id(job):
        st.rerun(scope="app")
    if job.error:
        st.error(t("solve_failed", error=job.error))
    elif job.plan is not None and job.plan.status == "infeasible":
        st.error(t("infeasible"))
        with st.spinner(t("finding_conflict")):
            report = _infeasible(job.case, job.settings, str(id(job)))
        st.markdown("\n".join(f"- {masked_text(line)}" for line in report.lines(lang())))
    elif job.plan is not None:
        plan = job.plan
        # Only a search that ran to its end and proved every step is reported as complete.
        finished = plan.ended == ENDED_DONE or (plan.ended is None and plan.proven)
        box = st.success if plan.proven and finished else st.warning
        box(t("solved" if finished else "solve_cut", seconds=job.elapsed, n=len(plan.placements),
              status=status_sentence(plan, lang())))
        if plan.ended == ENDED_TIME and not plan.proven:
            st.button(t("solve_continue", seconds=_longer(job.settings.time_limit_s)), on_click=_continue,
                      key="solve_continue", help=t("solve_continue_help"))
        if plan.ended == ENDED_STOPPED and state.plan is not None and state.plan.placements != plan.placements:
            st.info(t("bar_kept", n=len(plan.placements)))  # Stop never replaces a better plan
        st.markdown("\n".join(f"- {line}" for line in headline(job.case, job.settings, plan).lines(lang())))
        if plan.levels:
            with st.expander(t("levels_table")):
                st.caption(t("levels_help"))
                st.dataframe(_levels_table(plan), hide_index=True, width="stretch")
        st.page_link(st.session_state["pages"]["plan"], label=t("go_plan"))


@st.cache_data(show_spinner=False, max_entries=2)
def _infeasible(_case, _settings, key: str):
    return explain_infeasible(_case, _settings)


@st.cache_data(show_spinner=False, max_entries=4)
def _diagnosis(_case, _settings, key: str):
    return diagnose(_case, _settings)


def _precheck() -> None:
    state = planner()
    settings = state.settings()
    findings = _diagnosis(state.case, settings, f"{id(state.loaded)}-{hash(settings.model_dump_json())}-{id(state.pins)}")
    if not findings:
        st.success(t("precheck_ok"))
        return
    conflicts = [f for f in findings if f.conflict]
    box = st.error if conflicts else st.info
    box(t("precheck_conflicts", n=len(conflicts)) if conflicts else t("precheck_shortfalls", n=len(findings)))
    with st.expander(t("precheck_details"), expanded=bool(conflicts)):
        for finding in findings:
            relax = f" → {finding.relax.get(lang())}" if finding.relax else ""
            # Streamlit's own icon font, not emoji: a bureau PC without an emoji font shows ⛔ as a box.
            icon = ":material/block:" if finding.conflict else ":material/warning:"
            st.markdown(masked_text(f"- {icon} {finding.text.get(lang())}{relax}"))


def render() -> None:
    st.header(t("page_solve"))
    st.caption(t("solve_intro"))
    state = planner()
    if state.case is None:
        st.warning(t("cannot_solve"))
        return
    _precheck()
    running = state.job is not None and state.job.running
    st.button(t("solve"), type="primary", on_click=_start, disabled=running, key="solve")
    _progress()


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
