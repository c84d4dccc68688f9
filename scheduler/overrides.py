"""Settings overrides written `key=value`, as the command line takes them (--set).

Keys are the settings keys in Chinese or English (交流比例=0.15, quota_rate=15%) or a rule
switch `rule:<id>` / `规则:<id or Chinese name>` with hard/soft/off (硬/软/关). Each value is
checked here, so a typo is named before any solving starts.
"""

from __future__ import annotations

from .domain.settings import check_setting, rule_key, setting_info, setting_keys, settings_from
from .rules import RULE_BY_ID, RULES, Text

_MODE_WORDS = {"hard": "硬", "soft": "软", "off": "关"}


class OverrideError(ValueError):
    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def parse_override(item: str) -> tuple[str, str]:
    """(settings key for `settings_from`, value) of one `key=value`; OverrideError when invalid."""
    key, sep, value = item.partition("=" if "=" in item else "＝")  # a Chinese keyboard types ＝
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise OverrideError(Text(f"“{item}”应写作 参数=值，如 交流比例=0.15",
                                 f"{item!r} should be key=value, e.g. quota_rate=0.15"))
    rule_name = rule_key(key)
    if rule_name is not None:
        return _rule_override(rule_name, value)
    name = setting_keys().get(key.casefold()) or setting_keys().get(key)
    if name is None:
        names = list(dict.fromkeys(setting_keys().values()))
        known_zh = "、".join(f"{setting_info(n)['zh_key']}/{n}" for n in names)
        raise OverrideError(Text(f"未知参数“{key}”；可用参数：{known_zh}，以及 rule:<规则>=硬/软/关",
                                 f"unknown setting {key!r}; known: {', '.join(names)}, and rule:<id>=hard/soft/off"))
    reason = check_setting(name, value)
    if reason is not None:
        raise OverrideError(Text(f"参数“{key}”的值“{value}”无效：{reason}",
                                 f"setting {key!r} has an invalid value {value!r}: {reason}"))
    return name, value


def _rule_override(name: str, value: str) -> tuple[str, str]:
    rule = RULE_BY_ID.get(name) or next((r for r in RULES if r.zh == name), None)
    if rule is None:
        known_zh = "、".join(f"{r.id}（{r.zh}）" for r in RULES)
        raise OverrideError(Text(f"未知规则“{name}”；可用规则：{known_zh}",
                                 f"unknown rule {name!r}; rules: {', '.join(r.id for r in RULES)}"))
    reason = check_setting(f"rule:{rule.id}", value)
    if reason is None:
        mode = settings_from({f"rule:{rule.id}": value}).rule_modes[rule.id]
        if mode in rule.modes:
            return f"rule:{rule.id}", mode
    allowed_zh = "/".join(_MODE_WORDS[m] for m in rule.modes)
    allowed_en = "/".join(rule.modes)
    raise OverrideError(Text(f"规则“{rule.zh}”（{rule.id}）可设为 {allowed_zh}，不能设为“{value}”",
                             f"rule {rule.id} ({rule.en}) can be {allowed_en}, not {value!r}"))


def parse_overrides(items: list[str]) -> dict[str, str]:
    """All `key=value` items; the first invalid one raises OverrideError."""
    return dict(parse_override(item) for item in items)
