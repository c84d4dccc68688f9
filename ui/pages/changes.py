"""变更 page: the published plan, the changes recorded on it (a withdrawal, a changed need, a new
forbid or pin), a re-plan that keeps as much of it as the rules allow shown as a diff (kept /
dropped / added / moved, each with its reason), accepted as a new version or discarded, the 变更通知,
and next year's project from the published plan. All of it through scheduler.store.changes and
scheduler.present.replan; the re-plan runs as a background SolveJob that outlives the page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from scheduler.explain import explain_infeasible
from scheduler.present.activity import person_label
from scheduler.present.pins_table import school_choice, teacher_choice
from scheduler.present.replan import (ADDED, AMENDMENT_LABEL, DIFF_COLUMNS, DROPPED, FORBID, KEPT, MOVED, NEED, PIN,
                                      WITHDRAWAL, Amendment, case_with_amendments, diff_rows, match_published,
                                      outcome)
from scheduler.publish import FontMissing, change_notice
from scheduler.store import StoreError
from scheduler.store import changes as store_changes

from ui.i18n import lang, t
from ui.login import store as server_store
from ui.solve_job import SolveJob
from ui.state import planner

KINDS = (WITHDRAWAL, NEED, FORBID, PIN)


@st.cache_resource(show_spinner=False)
def _replans() -> dict[tuple[str, int], tuple[SolveJob, tuple]]:
    """The server's re-plans, one per project, with what they were started from: they outlive the page and the tab."""
    return {}


def _key(state) -> tuple[str, int]:
    return state.store.where, state.project.id


#: the page's tables keep their short first columns (类别, 姓名, 原单位; 时间, 登记人, 类别) on one line:
#: left to the browser, 取消 and 王瑶倩 broke into two lines each beside the long placements
_ONE_LINE = ("<style>[data-testid='stTable'] :is(thead th, td:nth-child(-n+3)) :is(p, div)"
             " {white-space: nowrap; word-break: keep-all;}</style>")


def _table(rows: list[list[str]]) -> None:
    st.table(pd.DataFrame(rows, columns=[zh if lang() == "zh" else en for zh, en in DIFF_COLUMNS]))


def _record(state, case, published_ids: list[str]) -> None:
    """The form for one change; a refused change is said in words (the teacher's name)."""
    st.subheader(t("changes_record"))
    kind = st.radio(t("changes_kind"), KINDS, format_func=lambda k: AMENDMENT_LABEL[k].get(lang()),
                    horizontal=True, key="change_kind")
    teachers = {teacher_choice(case, tid): tid for tid in published_ids if case.has_teacher(tid)}
    if kind != WITHDRAWAL:
        teachers |= {teacher_choice(case, x.teacher_id): x.teacher_id for x in case.teachers}
    schools = {school_choice(case, s.school_id): s.school_id for s in case.schools}
    change = None
    # the form's widgets are keyed by a count bumped once a change is recorded: new, empty widgets (a
    # key deleted from the session state resets the value, but the browser went on showing the old one)
    form = st.session_state.setdefault("change_form", 0)
    if kind == WITHDRAWAL:
        teacher = st.selectbox(t("changes_teacher"), list(teachers), index=None, key=f"change_teacher_{form}")
        reason = st.text_input(t("changes_reason"), key=f"change_reason_{form}")
        day = st.date_input(t("changes_date"), value=dt.date.today(), key=f"change_date_{form}")
        if teacher:
            change = Amendment(WITHDRAWAL, teacher_id=teachers[teacher], reason=reason.strip(), date=day.isoformat())
    elif kind == NEED:
        school = st.selectbox(t("changes_school"), list(schools), index=None, key=f"change_school_{form}")
        subjects = sorted({d.subject for d in case.demands} | {x.subject for x in case.teachers})
        subject = st.selectbox(t("changes_subject"), subjects, index=None, key=f"change_subject_{form}")
        count = st.number_input(t("changes_count"), min_value=0, value=0, step=1, key=f"change_count_{form}")
        terms = st.number_input(t("changes_terms"), min_value=0, value=0, step=1, key=f"change_terms_{form}",
                                help=t("changes_terms_help"))
        if school and subject:
            change = Amendment(NEED, school_id=schools[school], subject=subject, count=int(count),
                               terms=int(terms) or None)
    else:
        teacher = st.selectbox(t("changes_teacher"), list(teachers), index=None, key=f"change_any_teacher_{form}")
        school = st.selectbox(t("changes_school"), list(schools), index=None, key=f"change_pin_school_{form}")
        start = st.text_input(t("changes_start"), key=f"change_start_{form}") if kind == PIN else ""
        if teacher and school:
            change = Amendment(kind, teacher_id=teachers[teacher], school_id=schools[school],
                               start_term=start.strip() or None)
    if st.button(t("changes_add"), key="change_record", disabled=change is None):
        try:
            store_changes.record_change(state.store, state.project.id, change, case)
        except StoreError as error:
            st.error(error.text.get(lang()))
            return
        # the form starts empty again, and the message says what was recorded, by name
        st.session_state["change_form"] = form + 1
        st.session_state["change_recorded"] = t("changes_added", what=_said(case, change))
        st.rerun()
    done = st.session_state.pop("change_recorded", None)
    if done:
        st.success(done)



def _said(case, change: Amendment) -> str:
    """A recorded change in a few words: "李欣璐 · 退出交流（调动）", "城关小学 · 语文需求改为 2 人"."""
    zh = lang() == "zh"
    who = case.teacher(change.teacher_id).name if change.teacher_id and case.has_teacher(change.teacher_id) else ""
    where = case.school(change.school_id).name if change.school_id and case.has_school(change.school_id) else ""
    kind = AMENDMENT_LABEL[change.kind].get(lang())
    if change.kind == WITHDRAWAL:
        what = kind + (f"（{change.reason}）" if zh else f" ({change.reason})") * bool(change.reason)
    elif change.kind == NEED:
        what = f"{change.subject}需求改为 {change.count} 人" if zh else f"{change.subject} need set to {change.count}"
    else:
        what = f"{kind} → {where}"
        where = ""
    return " · ".join(part for part in (who, where, what) if part)


def _who(user: str) -> str:
    """The server's own account ("root") as 本机管理员; a signed-in person by their name."""
    opened = server_store()
    return person_label(user, opened.user if opened is not None else None, lang())


def _recorded(case, recorded) -> None:
    if not recorded:
        st.caption(t("changes_none"))
        return
    rows = []
    for change in recorded:
        a = change.amendment
        who = case.teacher(a.teacher_id).name if a.teacher_id and case.has_teacher(a.teacher_id) else (a.teacher_id or "")
        school = case.school(a.school_id).name if a.school_id and case.has_school(a.school_id) else (a.school_id or "")
        what = {WITHDRAWAL: a.reason, NEED: f"{a.subject} {a.count}" + (f" / {a.terms}" if a.terms else ""),
                FORBID: "", PIN: a.start_term or ""}[a.kind]
        rows.append([f"{change.created_at.astimezone():%Y-%m-%d %H:%M}", _who(change.created_by),
                     AMENDMENT_LABEL[a.kind].get(lang()), who, school, what or "", a.date or ""])
    st.table(pd.DataFrame(rows, columns=t("changes_cols").split("|")))


@st.fragment(run_every=0.5)
def _progress(key: tuple[str, int]) -> None:
    entry = _replans().get(key)
    if entry is None:
        return
    job = entry[0]
    if job.running:
        # the Solve page's bar and line: the count rises within a step, the bar never goes back, the time is live
        line = job.progress_line(lang())
        st.progress(job.watch.fraction(), text=line or t("preparing_s", seconds=job.elapsed))
        return
    if st.session_state.get("replan_seen") != id(job):
        st.session_state["replan_seen"] = id(job)
        st.rerun(scope="app")


def _diff(state, publication, version, changed_case, matched, unmatched, started) -> None:
    entry = _replans().get(_key(state))
    if entry is None:
        return
    job, made_from = entry
    if job.running:
        return
    if made_from != started:
        st.warning(t("changes_replan_old"))
    if job.error:
        st.error(t("solve_failed", error=job.error))
        return
    if job.plan is None or job.plan.status == "infeasible":
        st.error(t("changes_infeasible"))
        st.markdown("\n".join(f"- {line}" for line in explain_infeasible(changed_case, version.settings).lines(lang())))
        return
    cached = st.session_state.get("replan_outcome")
    if cached is None or cached[0] != id(job):
        cached = (id(job), outcome(changed_case, version.settings, matched, job.plan, unmatched))
        st.session_state["replan_outcome"] = cached
    replanned = cached[1]
    st.subheader(t("changes_diff"))
    st.markdown(t("changes_counts", kept=replanned.count(KEPT), dropped=replanned.count(DROPPED),
                  added=replanned.count(ADDED), moved=replanned.count(MOVED)))
    gone = replanned.dropped
    if gone:
        st.warning(t("changes_gone", n=len(gone)))
    changed_rows = diff_rows(replanned, lang(), (DROPPED, MOVED, ADDED))
    if changed_rows:
        _table(changed_rows)
    else:
        st.info(t("changes_nothing"))
    with st.expander(t("changes_kept", n=replanned.count(KEPT)), expanded=False):  # what changed comes first
        _table(diff_rows(replanned, lang(), (KEPT,)))
    if replanned.report.hard:
        st.error(t("changes_hard"))
    day = st.date_input(t("changes_notice_date"), value=dt.date.today(), key="changes_notice_date")
    _notice(changed_case, version.settings, replanned, matched, day)
    left, right = st.columns(2)
    if left.button(t("changes_accept"), type="primary", key="changes_accept"):
        try:
            store_changes.accept_replan(state.store, state.project.id, publication, changed_case, version.settings,
                                        replanned, day, upload_ids=list(state.upload_ids), columns=dict(state.columns))
        except StoreError as error:
            st.error(error.text.get(lang()))
            return
        _replans().pop(_key(state), None)
        st.session_state["changes_accepted"] = t("changes_accepted", n=len(changed_rows))
        state.sync()
        st.rerun()
    if right.button(t("changes_discard"), key="changes_discard"):
        store_changes.discard_replan(state.store, state.project.id, len(changed_rows))
        _replans().pop(_key(state), None)
        st.rerun()


def _notice(case, settings, replanned, published, day: dt.date) -> None:
    key = (st.session_state.get("replan_outcome", (None,))[0], day)
    kept = st.session_state.get("change_notice")
    if kept is None or kept[0] != key:
        try:
            docx, pdf = change_notice(case, settings, replanned.plan, replanned.changes, published, day)
        except FontMissing as missing:
            st.error(missing.text.get(lang()))
            return
        kept = (key, docx, pdf)
        st.session_state["change_notice"] = kept
    left, right = st.columns(2)
    left.download_button(t("changes_notice_docx"), kept[1], file_name="变更通知.docx", key="changes_notice_docx",
                         mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    right.download_button(t("changes_notice_pdf"), kept[2], file_name="变更通知.pdf", mime="application/pdf",
                          key="changes_notice_pdf")


def _next_year(state, case) -> None:
    st.subheader(t("next_year"))
    st.caption(t("next_year_intro"))
    name = st.text_input(t("next_year_name"), value=_next_name(state.project.name), key="next_year_name")
    if st.button(t("next_year_start"), key="next_year_start"):
        try:
            project = store_changes.start_next_year(state.store, state.project.id, case, name)
        except StoreError as error:
            st.error(error.text.get(lang()))
            return
        state.open_project(project)
        st.session_state["changes_accepted"] = t("next_year_started", name=project.name)
        st.rerun()


def _next_name(name: str) -> str:
    """略阳县2027学年 → 略阳县2028学年; another name gets （下一年度）."""
    import re

    match = re.search(r"(19|20)\d\d", name)
    if match is None:
        return f"{name}（下一年度）"
    return name[:match.start()] + str(int(match.group(0)) + 1) + name[match.end():]


def render() -> None:
    st.html(_ONE_LINE)
    st.header(t("page_changes"))
    st.caption(t("changes_intro"))
    state = planner()
    done = st.session_state.pop("changes_accepted", None)
    if done:
        st.success(done)
    if not state.saving:
        st.info(t("changes_no_store"))
        return
    case = state.case
    publication = store_changes.published(state.store, state.project.id)
    if publication is None or case is None:
        st.info(t("changes_unpublished"))
        return
    version = state.store.version(publication.version_id)
    st.markdown(t("changes_published", version=publication.version_id, date=publication.publication_date,
                  days=publication.notice_days, who=_who(publication.recorded_by), n=len(version.plan.placements)))
    _record(state, case, [p.teacher_id for p in version.plan.placements])
    recorded = store_changes.recorded_changes(state.store, state.project.id)
    changed_case = case_with_amendments(case, [c.amendment for c in recorded])
    matched, unmatched, problems = match_published(changed_case, version.plan)
    if problems:
        st.warning(t("changes_mismatch", n=len(problems)))
        st.markdown("\n".join(f"- {p.get(lang())}" for p in problems))
    st.subheader(t("changes_recorded"))
    _recorded(case, recorded)
    started = (publication.id, tuple(c.id for c in recorded))
    key = _key(state)
    running = key in _replans() and _replans()[key][0].running
    if st.button(t("changes_replan"), type="primary", key="changes_replan", disabled=running or not recorded):
        job = SolveJob(changed_case, version.settings, published=matched).start()
        _replans()[key] = (job, started)
        st.rerun()
    _progress(key)
    _diff(state, publication, version, changed_case, matched, unmatched, started)
    _next_year(state, case)


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
