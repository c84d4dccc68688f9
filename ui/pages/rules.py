"""规则 page: every setting in plain words with its default and source, rule switches, pins."""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any, Callable

import pandas as pd
import streamlit as st

from scheduler.domain.enums import PinAction
from scheduler.domain.settings import Settings, parse_value, setting_info, setting_names, value_text
from scheduler.domain.terms import Term, term_range
from scheduler.present.pins_table import COLUMNS as PIN_COLUMNS
from scheduler.present.pins_table import NONE as PIN_NONE
from scheduler.present.pins_table import pins_from_rows, pins_to_rows, school_choices, teacher_choices
from scheduler.rules import RULES, Rule
from scheduler.rules.switches import following, setting_for
from scheduler.config.rules_file import dump_settings, load_rules

from ui.i18n import lang, t
from ui.state import planner, read_cached

#: the boxes of settings on the page, in this order; a setting names its box in its field's metadata
#: (scheduler.domain.settings), one of another name goes under "advanced"
GROUPS = ("quota", "time", "fit", "weights", "publish")


def grouped() -> tuple[dict[str, list[str]], list[str]]:
    """Every setting a planner writes one per row, by its box; the rest under "advanced"."""
    groups: dict[str, list[str]] = {group: [] for group in GROUPS}
    advanced: list[str] = []
    for name in setting_names():
        groups.get(setting_info(name)["group"], advanced).append(name)
    return groups, advanced


def _store(name: str, key: str, convert: Callable[[Any], Any]) -> None:
    # The plan keeps the settings it was solved with; the Plan and Export pages say it is out of date.
    state = planner()
    state.overrides[name] = convert(st.session_state[key])
    # A rule whose switch follows this value (结对模式 → 结对关系, 比例硬约束 → 交流比例, ...) follows it
    # now, even where its switch was set by hand: the value just changed is what the planner wants.
    settings = state.settings()
    for rule in following(name, settings):
        chosen, derived = settings.rule_modes.get(rule.id), rule.default_mode(settings)
        if chosen is not None and chosen != derived:
            state.overrides[f"rule:{rule.id}"] = derived
        _show_mode(rule)


def _show_mode(rule: Rule) -> None:
    """The rule's switch shows its mode now. Set, not deleted: a widget whose key is deleted gets its
    new value in the session, but the browser goes on showing the old one."""
    st.session_state[f"mode_{rule.id}_{lang()}"] = rule.mode(planner().settings())
    st.session_state.pop(f"mode_{rule.id}_{'en' if lang() == 'zh' else 'zh'}", None)


def _show_value(name: str) -> None:
    """Setting `name`'s widget shows its value now (what a switch moves, what 恢复默认 restores)."""
    for language in ("zh", "en"):
        st.session_state.pop(f"set_{name}_{language}", None)
    st.session_state[widget_key(name)] = _shown(name)


def _shown(name: str) -> Any:
    """The setting's value as its widget holds it (a percent as 10.0, a term as its label, ...)."""
    value = getattr(planner().settings(), name)
    kind = widget_kind(name)
    if kind == "percent":
        return round(value * 100, 2)
    if kind == "multiselect":
        return list(value)
    if kind == "term":
        options = _terms()
        current = value.label(lang()) if value else ""
        return current if current in options else options[0]
    if kind == "slider":
        return float(value)
    if kind == "number":
        return value if value is None else (int if _whole(name) else float)(value)
    if kind in ("toggle", "radio"):
        return value
    return value_text(value, lang())


def _whole(name: str) -> bool:
    """A number setting counted in whole numbers (its widget steps by 1 and holds an int)."""
    annotation = Settings.model_fields[name].annotation
    return bool(setting_info(name)["ui"].get("whole")) or annotation in (int, int | None)


def _unused(name: str) -> str | None:
    """Why the value of setting `name` has no effect now: every rule it shapes is switched off."""
    settings = planner().settings()
    rules = [rule for rule in RULES if name in rule.settings_keys]
    if rules and not following(name, settings) and all(rule.mode(settings) == "off" for rule in rules):
        return t("setting_unused", rules="、".join(f"“{rule.name(lang())}”" for rule in rules))
    return None


def _percent(name: str) -> bool:
    return bool(setting_info(name)["ui"].get("percent"))


def _help(name: str) -> str:
    info = setting_info(name)
    default = f"{info['default']:.0%}" if _percent(name) else (value_text(info["default"], lang()) or "—")
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


def _bounds(name: str) -> tuple[Any, Any]:
    """The field's own lower and upper bound (None where it has none)."""
    limits = {type(m).__name__: m for m in Settings.model_fields[name].metadata}
    low = limits["Ge"].ge if "Ge" in limits else (limits["Gt"].gt if "Gt" in limits else None)
    return low, (limits["Le"].le if "Le" in limits else None)


def _members(kind: Any) -> type[Enum] | None:
    """The enum of a `tuple[SomeEnum, ...]` setting, else None."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) is tuple and args and isinstance(args[0], type) and issubclass(args[0], Enum):
        return args[0]
    return None


def widget_kind(name: str) -> str:
    """How setting `name` is edited, from its field's type and metadata alone."""
    kind, ui = Settings.model_fields[name].annotation, setting_info(name)["ui"]
    if ui.get("percent"):
        return "percent"
    if ui.get("slider"):
        return "slider"
    if kind is bool:
        return "toggle"
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "radio"
    if _members(kind) is not None:
        return "multiselect"
    if kind == (Term | None):
        return "term"
    if kind in (int, float, int | None, float | None):
        return "number"
    return "text"


def widget_key(name: str) -> str:
    # Widgets whose options are shown through a language-dependent format get a key per language.
    return f"set_{name}" + (f"_{lang()}" if widget_kind(name) in ("radio", "multiselect", "term") else "")


def _widget(name: str) -> None:
    key = widget_key(name)
    # The value through the session, not as the widget's default: `_show_value` and 恢复默认 set the
    # same key, and a widget given both shows the session's and warns in the server log.
    if key not in st.session_state:
        st.session_state[key] = _shown(name)
    common = dict(key=key, on_change=_store)
    label = _label(name)
    field = Settings.model_fields[name]
    ui = setting_info(name)["ui"]
    kind = widget_kind(name)
    if kind == "percent":
        low, high = _bounds(name)
        st.number_input(label + "（%）" if lang() == "zh" else label + " (%)", min_value=float(low) * 100,
                        max_value=float(high) * 100, step=1.0, format="%.1f", args=(name, key, lambda v: v / 100),
                        **common)
    elif kind == "toggle":
        st.toggle(label, args=(name, key, bool), **common)
    elif kind == "radio":
        st.radio(label, list(field.annotation), format_func=lambda m: m.label(lang()), horizontal=True,
                 args=(name, key, lambda v: v), **common)
    elif kind == "multiselect":
        st.multiselect(label, list(_members(field.annotation)), format_func=lambda m: m.label(lang()),
                       args=(name, key, tuple), **common)
    elif kind == "term":
        st.selectbox(label, _terms(), format_func=lambda v: v or t("default_is", value="—"),
                     args=(name, key, lambda v: Term.parse(v) if v else None), **common)
    elif kind == "slider":
        st.slider(label, ui["min"], ui["max"], step=ui["step"], args=(name, key, float), **common)
    elif kind == "number":
        low, high = _bounds(name)
        low, high = ui.get("min", low), ui.get("max", high)
        whole = _whole(name)
        optional = field.annotation in (int | None, float | None)
        cast = int if whole else float
        convert = (lambda v: v) if optional else (float if field.annotation is float else int)
        st.number_input(label, min_value=None if low is None else cast(low), max_value=None if high is None
                        else cast(high), step=ui.get("step", 1 if whole else 0.1),
                        placeholder="—" if optional else None, args=(name, key, convert), **common)
    else:  # a setting of a type no widget above knows: typed as a planner writes it in the 设置 sheet
        st.text_input(label, args=(name, key, lambda v: parse_value(name, v)), **common)
    st.caption(_help(name))
    unused = _unused(name)
    if unused:
        st.caption(f":orange[{unused}]")


def _settings() -> None:
    columns = st.columns(2, gap="large")
    groups, advanced = grouped()
    for position, (group, names) in enumerate(groups.items()):
        with columns[position % 2]:
            with st.container(border=True):
                st.markdown(f"**{t('group_' + group)}**")
                for name in names:
                    _widget(name)
    with st.expander(t("advanced")):
        for name in advanced:
            _widget(name)
    st.button(t("reset"), key="reset_settings", on_click=_reset)


def _reset() -> None:
    """Every setting and switch back to the workbook's. A callback, run before the page's widgets are
    made: each widget is set to its default, not its key deleted (the browser went on showing the old
    value of a deleted key: 结对模式 still 优先 after 恢复默认)."""
    planner().overrides.clear()
    for name in Settings.model_fields:
        if any(str(k).startswith(f"set_{name}") for k in st.session_state):
            _show_value(name)
    for rule in RULES:
        if len(rule.modes) > 1:
            _show_mode(rule)


def _store_mode(rule_id: str, key: str) -> None:
    """A switch of a rule that follows a setting moves that setting with it (结对关系 严格 ↔ 结对模式
    严格), so the two never disagree; a mode no value gives (交流比例 不启用) is kept as the rule's own."""
    state = planner()
    rule = next(rule for rule in RULES if rule.id == rule_id)
    mode = st.session_state[key]
    found = setting_for(rule, mode, state.settings())
    state.overrides.pop(f"rule:{rule_id}", None)
    if found is None:
        state.overrides[f"rule:{rule_id}"] = mode
        return
    name, value = found
    state.overrides[name] = value
    if state.settings().rule_modes.get(rule_id) is not None:  # a mode written in the workbook's 设置 too
        state.overrides[f"rule:{rule_id}"] = mode
    _show_value(name)  # the value's widget, and the other switches it decides, show it now
    for other in following(name, state.settings()):
        if other.id != rule_id:
            _show_mode(other)


def _modes() -> None:
    st.subheader(t("rule_modes"))
    settings = planner().settings()
    switchable = [rule for rule in RULES if len(rule.modes) > 1]
    columns = st.columns(3)
    for position, rule in enumerate(switchable):
        with columns[position % 3]:
            key = f"mode_{rule.id}_{lang()}"
            # The mode through the session, not as the widget's default: `_show_mode` sets the same key,
            # and a widget given both warns in the server log (and the default is ignored anyway).
            if key not in st.session_state:
                st.session_state[key] = rule.mode(settings)
            st.selectbox(rule.name(lang()), rule.modes,
                         format_func=lambda m: t(f"mode_{m}"), key=key, help=rule.zh_doc if lang() == "zh" else rule.en_doc,
                         on_change=_store_mode, args=(rule.id, key))
            follows = [name for name in rule.settings_keys if rule in following(name, settings)]
            if follows:  # the switch and the value above are one choice: say which value it moves with
                short = [setting_info(name)["zh_key"] if lang() == "zh" else name.replace("_", " ") for name in follows]
                st.caption(t("mode_follows", settings="、".join(f"“{word}”" for word in short)))


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
        # The column mapping goes with the rules: next year's roster, laid out the same way, maps itself.
        st.download_button(t("save_settings"), dump_settings(state.settings(), state.columns).encode("utf-8"),
                           file_name="规划规则.json", mime="application/json", key="save_settings")
    with right:
        upload = st.file_uploader(t("load_settings"), type=["json"], key="load_settings")
        if upload is not None and st.session_state.get("settings_file_id") != upload.file_id:
            found = load_rules(upload.getvalue())
            entries, problems = found.entries, found.problems
            st.session_state["settings_file_id"] = upload.file_id
            if problems:
                # A refused file changes nothing: half a county's rules would be worse than none.
                st.session_state["settings_file_problems"] = problems
            else:
                st.session_state.pop("settings_file_problems", None)
                state.overrides.update({entry.key: entry.parsed for entry in entries})
                if found.columns:
                    _use_columns(found.columns)
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


def _use_columns(columns: dict[str, dict[str, str]]) -> None:
    """A rules file's column mapping is used for every upload from now on; an upload still waiting
    for its mapping (no roster read from it) is read again with it at once."""
    state = planner()
    state.columns = {sheet: dict(fields) for sheet, fields in columns.items()}
    if state.files and state.loaded.case is None and getattr(state.loaded, "unmatched", None):
        state.replace_data(state.source, read_cached(state.files, state.columns), is_sample=state.is_sample,
                           files=state.files)


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
