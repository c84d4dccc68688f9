"""The one parse of settings as planners write them, shared by the 设置 sheet, the command line
(--set, scheduler.config.overrides), the rules file (scheduler.config.rules_file) and the UI.

Text becomes a `Settings` in two steps, at the boundary and nowhere else: `check_entry` checks
and parses one key and value (the typed value is kept in `Entry.parsed`), `settings_of` puts the
accepted entries on a base `Settings` and checks them together. Everything downstream takes the
`Settings`.

A key is a setting in Chinese or English (交流比例, quota_rate) or a rule switch `rule:<id>` /
`规则:<id or Chinese name>` with hard/soft/off (硬/软/关) among the modes that rule allows. The
answer is a message code of the workbook catalogue, so the sheet's report and the command line
say the same thing in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..domain.settings import (DEFAULTS, Settings, expected_value, horizon_problem, parse_mode, parse_value, rule_key,
                               setting_info, setting_keys, settings_with)
from ..rules import RULE_BY_ID, RULES, Rule, Text
from .messages import MESSAGES

MODE_WORDS = {"hard": "硬", "soft": "软", "off": "关"}


@dataclass(frozen=True)
class Entry:
    """One setting as written, checked: its English `key` (or `rule:<id>`), the `value` as text
    and, when accepted with a value, that value `parsed` (a typed setting, or hard/soft/off).

    `code` and `params` pick a message of the workbook catalogue (messages.py): unknown_setting,
    unknown_rule, rule_mode or bad_setting; `text` renders it for the command line and files.
    An accepted entry with an empty value means "the default" and changes nothing.
    """

    written: str
    key: str | None
    value: str
    code: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    parsed: Any = None

    @property
    def given(self) -> bool:
        """Accepted, and with a value (not an empty row meaning the default)."""
        return self.code is None and self.key is not None and bool(self.value)

    @property
    def text(self) -> Text:
        return message_text(self.code or "", self.params)


def message_text(code: str, params: dict[str, object]) -> Text:
    zh, en = MESSAGES[code]
    return Text(zh.format(**params), en.format(**params))


def find_rule(name: str) -> Rule | None:
    """A rule by id or Chinese name."""
    text = name.strip()
    return RULE_BY_ID.get(text) or RULE_BY_ID.get(text.casefold()) or next((r for r in RULES if r.zh == text), None)


def check_entry(written: str, value: str) -> Entry:
    """Check one setting row; an empty value means the default and is always accepted."""
    written, value = str(written).strip(), str(value).strip()
    rule_name = rule_key(written)
    if rule_name is not None:
        return _check_rule(written, rule_name, value)
    name = setting_keys().get(written.casefold()) or setting_keys().get(written)
    if name is None:
        names = list(dict.fromkeys(setting_keys().values()))
        return Entry(written, None, value, "unknown_setting", {
            "value": written, "known_zh": "、".join(f"{setting_info(n)['zh_key']}/{n}" for n in names),
            "known_en": ", ".join(names)})
    if not value:
        return Entry(written, name, value)
    try:
        parsed = parse_value(name, value)
    except ValueError:
        reason = expected_value(name)
        return Entry(written, name, value, "bad_setting",
                     {"key": written, "value": value, "reason_zh": reason.zh, "reason_en": reason.en})
    return Entry(written, name, value, parsed=parsed)


def _check_rule(written: str, name: str, value: str) -> Entry:
    rule = find_rule(name)
    if rule is None:
        return Entry(written, None, value, "unknown_rule", {
            "value": name, "known_zh": "、".join(f"{r.id}（{r.zh}）" for r in RULES),
            "known_en": ", ".join(r.id for r in RULES)})
    params = {"value": value, "zh": rule.zh, "id": rule.id, "en": rule.en,
              "allowed_zh": "/".join(MODE_WORDS[m] for m in rule.modes), "allowed_en": "/".join(rule.modes)}
    mode = parse_mode(value)
    if value and (mode is None or mode not in rule.modes):
        return Entry(written, f"rule:{rule.id}", value, "rule_mode", params)
    return Entry(written, f"rule:{rule.id}", mode or "", params=params, parsed=mode)


def horizon_params(values: dict[str, str]) -> dict[str, str] | None:
    """The parameters of a horizon_order message when the horizon ends before it starts, else None."""
    reason = horizon_problem(values)
    return {"reason_zh": reason.zh, "reason_en": reason.en} if reason else None


def check_together(values: dict[str, str]) -> Text | None:
    """What no single setting shows: today, a horizon that ends before it starts."""
    params = horizon_params(values)
    return message_text("horizon_order", params) if params else None


class SettingsClash(ValueError):
    """Settings each valid alone that do not go together (today: the horizon), in both languages."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def settings_of(entries: Iterable[Entry], base: Settings = DEFAULTS) -> Settings:
    """`base` with the accepted `entries` on top (the later of two for one key wins); entries that
    were refused or left empty change nothing. SettingsClash when the result does not hold
    together, e.g. the workbook's horizon start after a --set horizon end."""
    values = {entry.key: entry.parsed for entry in entries if entry.given}
    horizon = {name: values.get(name, getattr(base, name)) for name in ("horizon_from", "horizon_to")}
    clash = check_together(horizon)
    if clash is not None:
        raise SettingsClash(clash)
    return settings_with(base, values)


def refusal_text(entry: Entry) -> Text:
    """Why a setting given outside the workbook is refused (an unknown key there lists the known ones)."""
    if entry.code == "unknown_setting":
        return Text(f"未知参数“{entry.written}”；可用参数：{entry.params['known_zh']}，以及 rule:<规则>=硬/软/关",
                    f"unknown setting {entry.written!r}; known: {entry.params['known_en']}, "
                    "and rule:<id>=hard/soft/off")
    return entry.text
