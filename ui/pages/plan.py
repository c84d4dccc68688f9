"""方案 page: headline figures, tables, charts, why, and hand edits checked by the audit at once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scheduler.audit import audit
from scheduler.rules.context import Context
from scheduler.domain.terms import Term
from scheduler.explain import school_story, score_breakdown, teacher_details, why_placed
from scheduler.explain.why_not import why_not
from scheduler.export import headline, unplaced_teachers
from scheduler.export.progress_words import status_sentence
from scheduler.plan import Placement, Plan
from scheduler.present.masking import masked_frame, masked_text, unmasking

from ui import charts, plan_tables
from ui.i18n import lang, t
from ui.state import planner
from ui.workspace_bar import stale_notice


@st.cache_data(show_spinner=False, max_entries=4)
def _unplaced_reasons(_ctx: Context, _plan: Plan, key: tuple) -> dict[str, str]:
    return {u.teacher.teacher_id: f"{u.category_label(key[0])}：{u.reason.get(key[0])}"
            for u in unplaced_teachers(_ctx, _plan)}


def _headline(ctx: Context, plan: Plan) -> None:
    h = headline(ctx.case, ctx.settings, plan, ctx)
    previous = planner().previous
    before = headline(ctx.case, previous[1], previous[0]) if previous is not None and plan.status != "edited" else None

    def delta(now: float, then: float | None, percent: bool = False) -> str | None:
        if then is None or abs(now - then) < 1e-9:
            return None
        return f"{now - then:+.0%}" if percent else f"{now - then:+g}"

    cols = st.columns(6)
    cols[0].metric(t("placements"), h.placements, delta(h.placements, before and before.placements))
    cols[1].metric(t("quota_met"), f"{h.school_years_meeting_quota}/{h.school_years}",
                   delta(h.school_years_meeting_quota, before and before.school_years_meeting_quota), help=t("quota_met_help"))
    cols[2].metric(t("backbone_share"), f"{h.backbone_share:.0%}", delta(h.backbone_share, before and before.backbone_share, True))
    cols[3].metric(t("need_filled"), f"{h.need_share:.0%}", delta(h.need_share, before and before.need_share, True),
                   help=f"{h.need_filled}/{h.need_total}")
    cols[4].metric(t("arts_filled"), f"{h.arts_share:.0%}", delta(h.arts_share, before and before.arts_share, True),
                   help=f"{h.arts_filled}/{h.arts_need}")
    cols[5].metric(t("links_alive"), f"{h.link_years_alive}/{h.link_years}",
                   delta(h.link_years_alive, before and before.link_years_alive), help=t("links_alive_help"))
    if before is not None:
        changed = [k for k in ("quota_rate", "backbone_share", "min_years", "pairing_mode", "placement_terms")
                   if getattr(previous[1], k) != getattr(ctx.settings, k)]
        note = "、".join(f"{k}: {getattr(previous[1], k)} → {getattr(ctx.settings, k)}" for k in changed)
        st.caption(t("vs_previous") + (f"（{note}）" if note else ""))


def _audit(ctx: Context, plan: Plan) -> None:
    report = audit(ctx.case, ctx.settings, plan)
    if report.ok:
        st.success(t("audit_ok"))
    else:
        st.error(t("audit_bad", n=len(report.hard)) + "\n\n" + "\n".join(
            f"- {masked_text(v.text.get(lang()))}" for v in report.hard[:50]))
    if report.shortfalls:
        # closed, and a grid of its own height that scrolls: a county's plan falls short in hundreds of places
        with st.expander(t("shortfalls", n=len(report.shortfalls))):
            frame = plan_tables.shortfalls(ctx, report.shortfalls, lang())
            goal = frame.columns[0]
            st.caption("；".join(f"{name} {n} 处" if lang() == "zh" else f"{name}: {n}"
                                for name, n in frame[goal].value_counts(sort=False).items()))
            chosen = st.selectbox(goal, [t("filter_all")] + list(dict.fromkeys(frame[goal])), key="shortfall_goal")
            if chosen != t("filter_all"):
                frame = frame[frame[goal] == chosen]
            school, teacher, missing, detail = frame.columns[1:]
            st.dataframe(masked_frame(frame), hide_index=True, width="stretch", height=min(320, 38 + 35 * len(frame)),
                         key="shortfalls_table",
                         column_config={goal: st.column_config.TextColumn(width="small"),
                                        missing: st.column_config.TextColumn(width="small"),
                                        detail: st.column_config.TextColumn(width="large")})


def _yes_no(frame: pd.DataFrame) -> pd.DataFrame:
    """Yes/no columns as 是/否 text: checkboxes in a read-only table look disabled."""
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = frame[column].map({True: t("yes"), False: t("no")})
    return frame


def _filtered(frame: pd.DataFrame, key: str, columns: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame
    picks = st.columns(len(columns))
    for pick, column in zip(picks, columns):
        values = [t("filter_all")] + sorted(frame[column].dropna().astype(str).unique())
        chosen = pick.selectbox(column, values, key=f"{key}_{column}")
        if chosen != t("filter_all"):
            frame = frame[frame[column].astype(str) == chosen]
    return frame


def _charts(ctx: Context, plan: Plan) -> None:
    flows = plan_tables.flows(ctx, plan, lang())
    left, right = st.columns(2)
    with left:
        st.caption(t("flows"))
        if not flows.empty:
            st.altair_chart(charts.heatmap(flows, flows.columns[1], flows.columns[0], flows.columns[2]),
                            width="content")
    with right:
        st.caption(t("need_by_subject"))
        need = plan_tables.need_by_subject(ctx, plan, lang(), t("filled"), t("unmet"))
        if not need.empty:
            st.altair_chart(charts.stacked(need, need.columns[0], need.columns[2], need.columns[1],
                                           [t("filled"), t("unmet")]), width="stretch")
    st.caption(t("quota_chart"))
    quota = plan_tables.quota_chart(ctx, plan, lang())
    if not quota.empty:
        st.altair_chart(charts.against(quota, quota.columns[0], quota.columns[1], quota.columns[2], quota.columns[3]),
                        width="stretch")


def _why(ctx: Context, plan: Plan) -> None:
    with st.expander(t("score_breakdown")):
        st.markdown("\n".join(f"- {masked_text(line.text(ctx, lang()))}" for line in score_breakdown(ctx, plan)))
    left, right = st.columns(2)
    placed = plan.by_teacher()
    with left:
        teachers = ctx.case.teachers
        ids = [t_.teacher_id for t_ in teachers]
        names = {t_.teacher_id: masked_text(f"{t_.name}（{t_.teacher_id}，{ctx.school_name(t_.school_id)}）")
                 for t_ in teachers}
        default = next((i for i, tid in enumerate(ids) if tid in placed), 0)
        chosen = st.selectbox(t("pick_teacher"), ids, default, format_func=names.get, key="why_teacher")
        # Who the teacher is, with the date and the years that decide eligibility (进本校年月 → 本校任教年限).
        details = teacher_details(ctx, ctx.case.teacher(chosen))
        st.caption(" · ".join(masked_text(line.get(lang())) for line in details))
        if chosen in placed and ctx.case.has_school(placed[chosen].school_id):
            st.markdown("\n".join(f"- {masked_text(line.get(lang()))}" for line in why_placed(ctx, plan, placed[chosen])))
        else:
            reasons = _unplaced_reasons(ctx, plan, (lang(), id(plan), len(plan.placements)))
            st.markdown(f"- {masked_text(reasons.get(chosen, ''))}")
        _why_not(ctx, plan, chosen)
    with right:
        schools = [s.school_id for s in ctx.case.schools]
        chosen = st.selectbox(t("pick_school"), schools, format_func=ctx.school_name, key="why_school")
        st.markdown("\n".join(f"- {masked_text(line.get(lang()))}" for line in school_story(ctx, plan, chosen)))


def _why_not(ctx: Context, plan: Plan, teacher_id: str) -> None:
    """Why not this teacher at that school: the rule that forbids it, or the cost of forcing it."""
    schools = [s.school_id for s in ctx.case.schools if s.school_id != ctx.case.teacher(teacher_id).school_id]
    school = st.selectbox(t("why_not_school"), schools, format_func=ctx.school_name, key=f"why_not_school_{lang()}")
    if st.button(t("why_not"), key="why_not"):
        with st.spinner(t("why_not_running")):
            answer = why_not(ctx.case, ctx.settings, plan, teacher_id, school)
        st.markdown("\n".join(f"- {masked_text(line)}" for line in answer.lines(lang())))


def _edit(ctx: Context, plan: Plan) -> None:
    state = planner()
    st.caption(t("edit_help"))
    if plan.status == "edited":
        st.info(t("edited"))
    zh = lang() == "zh"
    columns = ["teacher_id", "name", "school_id", "school", "subject", "start"]
    # Teacher ids that are ID numbers are shown masked and read back through `unmasking`.
    real = unmasking([teacher.teacher_id for teacher in ctx.case.teachers])
    base = pd.DataFrame([{"teacher_id": masked_text(p.teacher_id),
                          "name": masked_text(ctx.teacher_name(p.teacher_id)), "school_id": p.school_id,
                          "school": ctx.school_name(p.school_id), "subject": p.subject,
                          "start": p.start.label(lang())} for p in plan.placements], columns=columns)
    edited = st.data_editor(base, num_rows="dynamic", hide_index=True, width="stretch", key=f"edit_{state.plan_version}",
                            column_config={
                                "teacher_id": st.column_config.TextColumn("教师编号" if zh else "teacher id"),
                                "name": st.column_config.TextColumn("姓名" if zh else "name", disabled=True),
                                "school": st.column_config.TextColumn("接收学校（修改前）" if zh else "school (before)",
                                                                      disabled=True),
                                "school_id": st.column_config.SelectboxColumn(
                                    "接收学校编号" if zh else "school id", options=[s.school_id for s in ctx.case.schools]),
                                "subject": st.column_config.TextColumn("学科" if zh else "subject"),
                                "start": st.column_config.TextColumn("开始学期" if zh else "start term"),
                            })
    left, right = st.columns(2)
    if left.button(t("apply_edit"), key="apply_edit"):
        placements = []
        for row in edited.to_dict("records"):
            if not row.get("teacher_id"):
                continue
            try:
                start = Term.parse(str(row.get("start") or ""))
            except ValueError:
                st.error(f"{row.get('teacher_id')}: {row.get('start')!r}")
                return
            teacher_id = str(row["teacher_id"]).strip()
            school_id, subject = str(row.get("school_id") or ""), str(row.get("subject") or "")
            # the length of the need it fills (交流学期数), else the setting
            placements.append(Placement(real.get(teacher_id, teacher_id), school_id, subject, start,
                                        ctx.length_at(school_id, subject, start.ordinal)))
        state.edit_plan(Plan(placements, "edited"))
        st.rerun()
    if state.solved_plan is not None and state.plan is not state.solved_plan:
        if right.button(t("revert_edit"), key="revert_edit"):
            state.revert_edit()
            st.rerun()


def render() -> None:
    st.header(t("page_plan"))
    state = planner()
    plan, case = state.plan, state.case
    if plan is None or case is None:
        st.info(t("no_plan"))
        return
    settings = state.plan_settings or state.settings()
    ctx = Context(case, settings)
    st.caption(status_sentence(plan, lang()))
    stale_notice(state)
    _headline(ctx, plan)
    _audit(ctx, plan)
    tabs = st.tabs([t("tab_placements"), t("tab_sending"), t("tab_receiving"), t("tab_charts"), t("tab_why"), t("tab_edit")])
    with tabs[0]:
        frame = _yes_no(plan_tables.placements(ctx, plan, lang()))
        if not frame.empty:
            frame = _filtered(frame, "placements", [frame.columns[2], frame.columns[4], frame.columns[6]])
        st.dataframe(masked_frame(frame), hide_index=True, width="stretch")
    with tabs[1]:
        frame = _yes_no(plan_tables.sending(ctx, plan, lang()))
        if not frame.empty:
            frame = _filtered(frame, "sending", [frame.columns[1], frame.columns[8]])
        st.dataframe(masked_frame(frame), hide_index=True, width="stretch")
    with tabs[2]:
        frame = _yes_no(plan_tables.receiving(ctx, plan, lang()))
        if not frame.empty:
            frame = _filtered(frame, "receiving", [frame.columns[1], frame.columns[2]])
        st.dataframe(masked_frame(frame), hide_index=True, width="stretch")
    with tabs[3]:
        _charts(ctx, plan)
    with tabs[4]:
        _why(ctx, plan)
    with tabs[5]:
        _edit(ctx, plan)


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
