"""求解 page: solve in the background with live progress and a Stop button."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from scheduler.explain import diagnose, explain_infeasible
from scheduler.export import headline, status_label

from ..i18n import lang, t
from ..solve_job import SolveJob
from ..state import planner


def status_text(status: str) -> str:
    return status_label(status, lang())


def _start() -> None:
    state = planner()
    if state.job is not None and state.job.running:
        return
    state.job = SolveJob(state.case, state.settings()).start()


def _stop() -> None:
    if planner().job is not None:
        planner().job.stop()


def _levels_table(plan) -> pd.DataFrame:
    zh = lang() == "zh"
    return pd.DataFrame([{t("level"): f"{i + 1}. {r.zh if zh else r.en}", t("value"): r.value, t("bound"): r.bound,
                          t("gap"): f"{r.gap:.2%}"} for i, r in enumerate(plan.levels)])


@st.fragment(run_every=0.5)
def _progress() -> None:
    state = planner()
    job = state.job
    if job is None:
        return
    if job.running:
        last = job.events[-1] if job.events else None
        done = (last.level_index / last.level_count) if last else 0.0
        label = t("solving", index=last.level_index + 1, count=last.level_count, level=last.level.name(lang())) if last else "…"
        st.progress(min(done, 1.0), text=label)
        a, b, c, d = st.columns(4)
        a.metric(t("elapsed"), f"{job.elapsed:.1f} s")
        if last and not math.isnan(last.objective):
            b.metric(t("objective"), f"{last.objective:,.1f}")
            c.metric(t("bound"), f"{last.bound:,.1f}")
            gap = abs(last.objective - last.bound) / max(abs(last.objective), 1.0)
            d.metric(t("gap"), f"{gap:.1%}")
            points = [e for e in job.events if e.level_index == last.level_index and not math.isnan(e.objective)]
            if len(points) > 1:
                frame = pd.DataFrame({t("elapsed"): [e.elapsed for e in points], t("objective"): [e.objective for e in points],
                                      t("bound"): [e.bound for e in points]}).set_index(t("elapsed"))
                st.line_chart(frame, height=200)
        st.button(t("stop"), on_click=_stop, key="stop")
        return
    # finished: adopt the plan once, then show the outcome
    if job.plan is not None and state.solved_plan is not job.plan:
        state.set_plan(job.plan, job.settings)
        st.rerun(scope="app")
    if job.error:
        st.error(t("solve_failed", error=job.error))
    elif job.plan is not None and job.plan.status == "infeasible":
        st.error(t("infeasible"))
        with st.spinner(t("finding_conflict")):
            report = _infeasible(job.case, job.settings, str(id(job)))
        st.markdown("\n".join(f"- {line}" for line in report.lines(lang())))
    elif job.plan is not None:
        plan = job.plan
        st.success(t("solved", status=status_text(plan.status), seconds=job.elapsed, n=len(plan.placements)))
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
            st.markdown(f"- {icon} {finding.text.get(lang())}{relax}")


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
