"""A planner's rules as a small JSON file, so a county keeps its own settings between years."""

from __future__ import annotations

import json

from .domain.settings import Settings, check_setting, setting_keys, setting_names, value_text

FORMAT = "teacher-exchange-settings/1"


def dump_settings(settings: Settings) -> str:
    values = {name: value_text(getattr(settings, name), "en") for name in setting_names()}
    values.update({f"rule:{rule}": mode for rule, mode in settings.rule_modes.items()})
    return json.dumps({"format": FORMAT, "settings": values}, ensure_ascii=False, indent=2)


def load_settings(text: str | bytes) -> tuple[dict[str, str], list[str]]:
    """The settings in a file as English key → text, and the problems found (English)."""
    try:
        data = json.loads(text)
        values = data["settings"]
        if not isinstance(values, dict):
            raise TypeError("settings must be an object")
    except (ValueError, KeyError, TypeError) as error:
        return {}, [f"not a settings file ({error})"]
    keys = setting_keys()
    accepted: dict[str, str] = {}
    problems = []
    for raw_key, raw_value in values.items():
        key = keys.get(str(raw_key).casefold()) or keys.get(str(raw_key))
        if key is None and str(raw_key).startswith("rule:"):
            key = str(raw_key)
        if key is None:
            problems.append(f"unknown setting {raw_key!r}")
            continue
        value = "" if raw_value is None else str(raw_value)
        reason = check_setting(key, value) if value else None
        if reason:
            problems.append(f"{raw_key}: {reason}")
        else:
            accepted[key] = value
    return accepted, problems
