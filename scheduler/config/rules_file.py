"""A planner's rules as a small JSON file, so a county keeps its own settings between years."""

from __future__ import annotations

import json

from ..domain.settings import Settings, setting_names, value_text
from ..rules import Text
from ..workbook.setting_checks import Entry, check_entry, check_together, refusal_text

FORMAT = "teacher-exchange-settings/1"


def dump_settings(settings: Settings) -> str:
    values = {name: value_text(getattr(settings, name), "en") for name in setting_names()}
    values.update({f"rule:{rule}": mode for rule, mode in settings.rule_modes.items()})
    return json.dumps({"format": FORMAT, "settings": values}, ensure_ascii=False, indent=2)


def load_entries(text: str | bytes) -> tuple[list[Entry], list[Text]]:
    """The settings in a file, checked and parsed (put them on a Settings with `settings_of`), and
    the problems found, in both languages.

    Each entry gets the check of a 设置 sheet row; a file with any problem should be refused as a
    whole (the entries returned are only those that passed, with a value).
    """
    try:
        data = json.loads(text)
    except (ValueError, TypeError):  # UnicodeDecodeError is a ValueError
        return [], [Text("这不是规则文件：内容不是有效的 JSON", "not a rules file: the content is not valid JSON")]
    values = data.get("settings") if isinstance(data, dict) else None
    if not isinstance(values, dict):
        return [], [Text("这不是规则文件：缺少“settings”部分（应为 参数: 值 的对象）",
                         "not a rules file: it has no \"settings\" object of key: value")]
    accepted: list[Entry] = []
    problems: list[Text] = []
    for written, raw_value in values.items():
        entry = check_entry(str(written), _text(raw_value))
        if entry.code is not None:
            problems.append(refusal_text(entry))
        elif entry.given:
            accepted.append(entry)
    together = check_together({entry.key: entry.parsed for entry in accepted})
    if together is not None:
        problems.append(together)
    return accepted, problems


def load_settings(text: str | bytes) -> tuple[dict[str, str], list[Text]]:
    """`load_entries` as English key → text."""
    entries, problems = load_entries(text)
    return {str(entry.key): entry.value for entry in entries}, problems


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
