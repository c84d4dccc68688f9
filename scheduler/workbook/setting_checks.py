"""The one check of a setting as a planner writes it, shared by the 设置 sheet, the command line
(--set, scheduler.config.overrides) and the rules file (scheduler.config.rules_file).

A key is a setting in Chinese or English (交流比例, quota_rate) or a rule switch `rule:<id>` /
`规则:<id or Chinese name>` with hard/soft/off (硬/软/关) among the modes that rule allows. The
answer is a message code of the workbook catalogue, so the sheet's report and the command line
say the same thing in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.settings import horizon_problem, parse_mode, rule_key, setting_info, setting_keys, setting_problem
from ..rules import RULE_BY_ID, RULES, Rule, Text
from .messages import MESSAGES

MODE_WORDS = {"hard": "硬", "soft": "软", "off": "关"}


@dataclass(frozen=True)
class Entry:
    """One setting as written, checked: `key` and `value` for `settings_from`, or why not.

    `code` and `params` pick a message of the workbook catalogue (messages.py): unknown_setting,
    unknown_rule, rule_mode or bad_setting; `text` renders it for the command line and files.
    """

    written: str
    key: str | None
    value: str
    code: str | None = None
    params: dict[str, object] = field(default_factory=dict)

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
    reason = setting_problem(name, value) if value else None
    if reason is not None:
        return Entry(written, name, value, "bad_setting",
                     {"key": written, "value": value, "reason_zh": reason.zh, "reason_en": reason.en})
    return Entry(written, name, value)


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
    return Entry(written, f"rule:{rule.id}", mode or "", params=params)


def horizon_params(values: dict[str, str]) -> dict[str, str] | None:
    """The parameters of a horizon_order message when the horizon ends before it starts, else None."""
    reason = horizon_problem(values)
    return {"reason_zh": reason.zh, "reason_en": reason.en} if reason else None


def check_together(values: dict[str, str]) -> Text | None:
    """What no single setting shows: today, a horizon that ends before it starts."""
    params = horizon_params(values)
    return message_text("horizon_order", params) if params else None


def refusal_text(entry: Entry) -> Text:
    """Why a setting given outside the workbook is refused (an unknown key there lists the known ones)."""
    if entry.code == "unknown_setting":
        return Text(f"未知参数“{entry.written}”；可用参数：{entry.params['known_zh']}，以及 rule:<规则>=硬/软/关",
                    f"unknown setting {entry.written!r}; known: {entry.params['known_en']}, "
                    "and rule:<id>=hard/soft/off")
    return entry.text
