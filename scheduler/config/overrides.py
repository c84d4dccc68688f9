"""Settings overrides written `key=value`, as the command line takes them (--set).

Keys are the settings keys in Chinese or English (交流比例=0.15, quota_rate=15%) or a rule
switch `rule:<id>` / `规则:<id or Chinese name>` with hard/soft/off (硬/软/关). Each is checked
by the same code as a 设置 sheet row (workbook.setting_checks), so a typo is named before any
solving starts, in the same words.
"""

from __future__ import annotations

from ..rules import Text
from ..workbook.setting_checks import Entry, check_entry, check_together, message_text, refusal_text


class OverrideError(ValueError):
    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def override_entry(item: str) -> Entry:
    """One `key=value`, checked and parsed (put it on a Settings with `settings_of`); OverrideError
    when invalid."""
    key, sep, value = item.partition("=" if "=" in item else "＝")  # a Chinese keyboard types ＝
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise OverrideError(Text(f"“{item}”应写作 参数=值，如 交流比例=0.15",
                                 f"{item!r} should be key=value, e.g. quota_rate=0.15"))
    entry = check_entry(key, value)
    if entry.code is not None:
        raise OverrideError(refusal_text(entry))
    if entry.key is not None and entry.key.startswith("rule:") and not entry.value:
        raise OverrideError(message_text("rule_mode", entry.params))  # a switch needs a mode here
    return entry


def override_entries(items: list[str]) -> list[Entry]:
    """All `key=value` items, checked and parsed; the first invalid one, or a horizon out of order
    among them, raises OverrideError."""
    entries = [override_entry(item) for item in items]
    together = check_together({entry.key: entry.parsed for entry in entries if entry.given})
    if together is not None:
        raise OverrideError(together)
    return entries


def parse_override(item: str) -> tuple[str, str]:
    """(English key, value as text) of one `key=value`; OverrideError when invalid."""
    entry = override_entry(item)
    return str(entry.key), entry.value


def parse_overrides(items: list[str]) -> dict[str, str]:
    """The `key=value` items as English key → text, for callers that pass them on as text (the
    benchmarks hand them to another process); checked as `override_entries` checks them."""
    return {entry.key: entry.value for entry in override_entries(items)}
