"""规则 page: every setting in plain words with its default and source, rule switches, pins."""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import streamlit as st

from scheduler.domain.enums import Locality, PairingMode, PinAction
from scheduler.domain.settings import setting_info, value_text
from scheduler.domain.terms import term_range
from scheduler.present.pins_table import COLUMNS as PIN_COLUMNS
from scheduler.present.pins_table import NONE as PIN_NONE
from scheduler.present.pins_table import pins_from_rows, pins_to_rows, school_choices, teacher_choices
from scheduler.rules import RULES
from scheduler.config.rules_file import dump_settings, load_settings

from ui.i18n import lang, t
from ui.state import planner

GROUPS = {
    "group_quota": ("quota_rate", "backbone_share", "min_years", "quota_hard", "sending_localities",
                    "max_age_male", "max_age_female"),
    "group_time": ("placement_terms", "horizon_from", "horizon_to"),
    "group_fit": ("pairing_mode", "stage_fit", "couples_rule"),
    "group_weights": ("arts_weight",),
}
ADVANCED = ("time_limit_s", "seed", "workers")
PERCENT = {"quota_rate", "backbone_share"}
LOCALISED = {"pairing_mode", "sending_localities", "horizon_from", "horizon_to"}


def _store(name: str, key: str, convert: Callable[[Any], Any]) -> None:
    planner().overrides[name] = convert(st.session_state[key])
    planner().plan_settings = None


def _help(name: str) -> str:
    info = setting_info(name)
    default = f"{info['default']:.0%}" if name in PERCENT else (value_text(info["default"], lang()) or "—")
    parts = [t("default_is", value=default)]
    if info["source"]:
        parts.append(info["source"])
    return " · ".join(parts)


def _label(name: str) -> str:
    info = setting_info(name)
    return info["zh"] if lang() == "zh" else info["en"]


def _terms() -> list[str]:
    case = planner().case
    if case is None or not case.demands:
        return [""]
    first = min(d.from_term for d in case.demands).shift(-2)
    last = max(d.to_term for d in case.demands).shift(2)
    return [""] + [term.label(lang()) for term in term_range(first, last)]


def _widget(name: str) -> None:
    settings = planner().settings()
    value = getattr(settings, name)
    # Widgets whose options are shown through a language-dependent format get a key per language.
    key = f"set_{name}" + (f"_{lang()}" if name in LOCALISED else "")
    common = dict(key=key, on_change=_store)
    label = _label(name)
    if name in PERCENT:
        st.number_input(label + "（%）" if lang() == "zh" else label + " (%)", 0.0, 100.0, round(value * 100, 2), 1.0, format="%.1f",
                        args=(name, key, lambda v: v / 100), **common)
    elif name in ("quota_hard", "stage_fit", "couples_rule"):
        st.toggle(label, value, args=(name, key, bool), **common)
    elif name == "pairing_mode":
        options = list(PairingMode)
        st.radio(label, options, options.index(value), format_func=lambda m: m.label(lang()), horizontal=True,
                 args=(name, key, lambda v: v), **common)
    elif name == "sending_localities":
        st.multiselect(label, list(Locality), list(value), format_func=lambda m: m.label(lang()),
                       args=(name, key, tuple), **common)
    elif name in ("horizon_from", "horizon_to"):
        options = _terms()
        current = value.label(lang()) if value else ""
        st.selectbox(label, options, options.index(current) if current in options else 0,
                     format_func=lambda v: v or t("default_is", value="—"), args=(name, key, lambda v: v or None),
                     **common)
    elif name == "arts_weight":
        st.slider(label, 1.0, 5.0, float(value), 0.5, args=(name, key, float), **common)
    elif name == "time_limit_s":
        st.number_input(label, 1, 3600, int(value), 5, args=(name, key, float), **common)
    elif name in ("max_age_male", "max_age_female"):
        st.number_input(label, 18, 70, value, 1, placeholder="—", args=(name, key, lambda v: v), **common)
    else:
        st.number_input(label, 0, 1000, int(value), 1, args=(name, key, int), **common)
    st.caption(_help(name))


def _settings() -> None:
    columns = st.columns(2, gap="large")
    for position, (group, names) in enumerate(GROUPS.items()):
        with columns[position % 2]:
            with st.container(border=True):
                st.markdown(f"**{t(group)}**")
                for name in names:
                    _widget(name)
    with st.expander(t("advanced")):
        for name in ADVANCED:
            _widget(name)
    if st.button(t("reset"), key="reset_settings"):
        planner().overrides.clear()
        for key in [k for k in st.session_state if str(k).startswith(("set_", "mode_"))]:
            del st.session_state[key]
        st.rerun()


def _store_mode(rule_id: str, key: str) -> None:
    planner().overrides[f"rule:{rule_id}"] = st.session_state[key]


def _modes() -> None:
    st.subheader(t("rule_modes"))
    settings = planner().settings()
    switchable = [rule for rule in RULES if len(rule.modes) > 1]
    columns = st.columns(3)
    for position, rule in enumerate(switchable):
        with columns[position % 3]:
            key = f"mode_{rule.id}_{lang()}"
            st.selectbox(rule.name(lang()), rule.modes, rule.modes.index(rule.mode(settings)),
                         format_func=lambda m: t(f"mode_{m}"), key=key, help=rule.zh_doc if lang() == "zh" else rule.en_doc,
                         on_change=_store_mode, args=(rule.id, key))


def _pins() -> None:
    state = planner()
    case = state.case
    st.subheader(t("pins_title"))
    st.caption(t("pins_help"))
    if case is None:
        return
    version = st.session_state.setdefault("pins_version", 0)
    rows = pins_to_rows(case, case.pins, lang())
    base = pd.DataFrame(rows, columns=list(PIN_COLUMNS))
    actions = [a.label(lang()) for a in PinAction]
    terms = [PIN_NONE] + [term for term in _terms() if term]
    terms += sorted({r["start_term"] for r in rows} - set(terms))
    zh = lang() == "zh"
    edited = st.data_editor(
        base, num_rows="dynamic", hide_index=True, width="stretch", key=f"pins_{version}",
        column_config={
            "teacher": st.column_config.SelectboxColumn("教师（姓名、编号、学校）" if zh else "teacher (name, id, school)",
                                                        options=teacher_choices(case), required=True, width="large"),
            "school": st.column_config.SelectboxColumn("学校（禁止交流不填）" if zh else "school (none for exclude)",
                                                       options=school_choices(case), width="medium"),
            "action": st.column_config.SelectboxColumn("操作" if zh else "action", options=actions, required=True),
            "start_term": st.column_config.SelectboxColumn("开始学期（可不填）" if zh else "start term (optional)",
                                                           options=terms),
        })
    pins, problems = pins_from_rows(case, edited.to_dict("records"))
    if problems:
        st.error(t("pins_errors") + "\n\n" + "\n".join(f"- {p.get(lang())}" for p in problems))
    elif pins != case.pins:
        state.pins = pins
        st.session_state["pins_version"] = version + 1
        st.rerun()


def _file() -> None:
    state = planner()
    st.subheader(t("settings_file"))
    left, right = st.columns(2)
    with left:
        st.download_button(t("save_settings"), dump_settings(state.settings()).encode("utf-8"),
                           file_name="规划规则.json", mime="application/json", key="save_settings")
    with right:
        upload = st.file_uploader(t("load_settings"), type=["json"], key="load_settings")
        if upload is not None and st.session_state.get("settings_file_id") != upload.file_id:
            values, problems = load_settings(upload.getvalue())
            st.session_state["settings_file_id"] = upload.file_id
            if problems:
                # A refused file changes nothing: half a county's rules would be worse than none.
                st.session_state["settings_file_problems"] = problems
            else:
                st.session_state.pop("settings_file_problems", None)
                state.overrides.update(values)
                state.plan_settings = None
                for key in list(st.session_state):
                    if str(key).startswith(("set_", "mode_")):
                        del st.session_state[key]
                st.session_state["settings_file_loaded"] = upload.name
                st.rerun()
        if upload is None:
            st.session_state.pop("settings_file_problems", None)
            st.session_state.pop("settings_file_loaded", None)
        problems = st.session_state.get("settings_file_problems")
        if problems:
            st.error(t("bad_settings_file", name=upload.name) + "\n\n"
                     + "\n".join(f"- {_problem_text(p)}" for p in problems))
        elif st.session_state.get("settings_file_loaded"):
            st.success(t("loaded_settings", name=st.session_state["settings_file_loaded"]))


def _problem_text(problem: object) -> str:
    """A problem of the settings file in the planner's language (plain text from older readers)."""
    return problem.get(lang()) if hasattr(problem, "get") else str(problem)


def render() -> None:
    st.header(t("page_rules"))
    st.caption(t("rules_intro"))
    _settings()
    _modes()
    _pins()
    _file()


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
