"""Which settings decide a rule's switch: 结对模式 decides 结对关系 (严格 → hard, 优先 → soft, 不限 → off),
比例硬约束 decides 交流比例 and 骨干比例, 学段匹配 its rule, and so on.

Derived from each rule's own `default_mode`, tried on the values a setting can take, so a new rule or
setting needs nothing here. The Rules page uses it to keep a switch and its setting one choice.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ..domain.settings import Settings, settings_with
from .base import Rule
from .registry import RULES


def candidates(name: str) -> list[Any]:
    """Values of setting `name` to try for a switch's mode: every choice of a yes/no or a list, 0 and 1 of a count."""
    kind = Settings.model_fields[name].annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return list(kind)
    return [True, False] if kind is bool else [0, 1] if kind is int else []


def modes_by(rule: Rule, name: str, settings: Settings) -> dict[str, Any]:
    """The switch's mode each value of `name` gives on `settings` (the first value per mode)."""
    found: dict[str, Any] = {}
    for value in candidates(name):
        try:
            found.setdefault(rule.default_mode(settings_with(settings, {name: value})), value)
        except ValueError:
            continue
    return found


def following(name: str, settings: Settings) -> list[Rule]:
    """The rules whose switch the value of setting `name` decides: their `default_mode` gives
    another mode for another value."""
    return [rule for rule in RULES if len(rule.modes) > 1 and name in rule.settings_keys
            and len(modes_by(rule, name, settings)) > 1]


def setting_for(rule: Rule, mode: str, settings: Settings) -> tuple[str, Any] | None:
    """The value of one of the rule's settings that gives `mode` by itself (结对关系 off ↔ 结对模式 不限),
    or None when no value does (交流比例 off: no setting says it)."""
    for name in rule.settings_keys:
        found = modes_by(rule, name, settings)
        if len(found) > 1 and mode in found:
            # a count keeps its value when it gives the mode already (学科最少保留 2 stays 2)
            return name, getattr(settings, name) if rule.default_mode(settings) == mode else found[mode]
    return None
