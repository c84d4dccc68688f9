"""The rule settings a planner can change. Every default is a published figure (DOMAIN.md).

Each field carries its Chinese key and labels, so the settings sheet, the README table and
the UI all read from this one place.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .enums import Locality, PairingMode, parse_yes_no
from .terms import Term


def _setting(default: Any, zh_key: str, zh: str, en: str, source: str = "", **limits: Any) -> Any:
    return Field(default, description=en, json_schema_extra={"zh_key": zh_key, "zh": zh, "source": source}, **limits)


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, validate_default=True)

    quota_rate: float = _setting(
        0.10, "交流比例", "每校每学年交流比例（占符合条件教师）",
        "share of eligible teachers each sending school rotates per school year",
        "教师〔2014〕4号: 不低于10%", ge=0, le=1)
    backbone_share: float = _setting(
        0.20, "骨干比例", "交流教师中骨干教师最低比例",
        "least share of backbone teachers among those rotated",
        "教师〔2014〕4号: 不低于20%", ge=0, le=1)
    min_years: int = _setting(
        6, "最低任教年限", "符合交流条件的本校最低任教年限",
        "years at the school that make a teacher eligible",
        "省级方案常见6年（部分县9年）", ge=0, le=60)
    placement_terms: int = _setting(
        2, "交流学期数", "一次交流的学期数", "length of a placement in terms",
        "常见一学年（2个学期）", ge=1, le=12)
    horizon_from: Term | None = _setting(
        None, "规划开始学期", "规划开始学期（空=需求最早学期）",
        "first term a placement may start (empty = earliest need)")
    horizon_to: Term | None = _setting(
        None, "规划结束学期", "规划结束学期（空=需求最晚学期）",
        "last term a placement may cover (empty = latest need)")
    pairing_mode: PairingMode = _setting(
        PairingMode.STRICT, "结对模式", "结对模式：严格/优先/不限", "pairing mode: strict / prefer / any")
    quota_hard: bool = _setting(
        False, "比例硬约束", "交流比例与骨干比例为硬约束", "the quota and backbone share are hard rules")
    time_limit_s: float = _setting(
        60.0, "求解时限秒", "一次求解的时限（秒）", "time limit of one solve, in seconds", gt=0, le=86400)
    stage_fit: bool = _setting(
        True, "学段匹配", "学段匹配（小学到小学，初中到初中）", "stage fit (primary to primary, junior to junior)")
    couples_rule: bool = _setting(
        True, "夫妻不分离", "夫妻不同时派往不同学校", "spouses are not sent to different schools at once",
        "国外教师流动制度的家庭团聚规则")
    arts_weight: float = _setting(
        2.0, "音体美权重", "音体美缺口的额外权重", "extra weight of music, PE and art needs",
        "2017年评估: 每百名学生音体美教师≥0.9", ge=0, le=100)
    max_age_male: int | None = _setting(
        None, "男教师年龄上限", "参加交流的男教师年龄上限（空=不限）", "age cap for men (empty = none)",
        "部分县: 男≤50", ge=18, le=70)
    max_age_female: int | None = _setting(
        None, "女教师年龄上限", "参加交流的女教师年龄上限（空=不限）", "age cap for women (empty = none)",
        "部分县: 女≤45", ge=18, le=70)
    seed: int = _setting(0, "随机种子", "求解随机种子", "random seed of the solver", ge=0)
    sending_localities: tuple[Locality, ...] = _setting(
        (Locality.URBAN,), "派出学校类型", "须完成交流比例的派出学校类型（城区/镇区/乡村，可多选）",
        "localities of the sending schools the quota applies to and whose teachers rotate",
        "教师〔2014〕4号: 城镇学校、优质学校")
    #: 1 by default: only a single worker gives the same plan on every run (see model/parameters.py).
    workers: int = _setting(1, "求解线程数", "求解器并行线程数", "solver worker threads", ge=1, le=64)
    #: rule id → "hard" / "soft" / "off", overriding each rule's default (keys "rule:<id>" in the sheet)
    rule_modes: dict[str, str] = _setting({}, "规则开关", "各规则的硬/软/关设置", "hard / soft / off per rule")

    @field_validator("sending_localities", mode="before")
    @classmethod
    def _localities(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(Locality.parse(part) for part in re.split(r"[,，、/;；\s]+", value) if part)
        return value

    @field_validator("rule_modes", mode="before")
    @classmethod
    def _modes(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: _rule_mode(mode) for key, mode in value.items()}
        return value

    @field_validator("horizon_from", "horizon_to", mode="before")
    @classmethod
    def _term(cls, value: Any) -> Any:
        if isinstance(value, str):
            return Term.parse(value) if value.strip() else None
        return value

    @field_validator("pairing_mode", mode="before")
    @classmethod
    def _pairing(cls, value: Any) -> Any:
        return PairingMode.parse(value) if isinstance(value, str) else value

    @field_validator("quota_hard", "stage_fit", "couples_rule", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        return parse_yes_no(value) if isinstance(value, str) else value

    @field_validator("max_age_male", "max_age_female", mode="before")
    @classmethod
    def _optional_int(cls, value: Any) -> Any:
        if isinstance(value, str):
            return None if not value.strip() else int(float(value))
        return value

    @field_validator("min_years", "placement_terms", "seed", mode="before")
    @classmethod
    def _int(cls, value: Any) -> Any:
        if isinstance(value, str):
            number = float(value)
            if number != int(number):
                raise ValueError("whole number expected")
            return int(number)
        return value

    @field_validator("quota_rate", "backbone_share", mode="before")
    @classmethod
    def _rate(cls, value: Any) -> Any:
        # Planners write 10% as often as 0.10.
        if isinstance(value, str) and value.strip().endswith("%"):
            return float(value.strip()[:-1]) / 100
        return value


_MODES = {"hard": "hard", "硬": "hard", "硬约束": "hard", "soft": "soft", "软": "soft", "软约束": "soft",
          "off": "off", "关": "off", "关闭": "off", "不用": "off"}


def _rule_mode(text: str) -> str:
    mode = _MODES.get(str(text).strip().casefold())
    if mode is None:
        raise ValueError("expected hard / soft / off (硬/软/关)")
    return mode


RULE_PREFIXES = ("rule:", "规则:", "规则：")


def rule_key(key: str) -> str | None:
    """The rule id of a settings-sheet key such as "rule:pairing" or "规则:pairing", else None."""
    text = key.strip()
    for prefix in RULE_PREFIXES:
        if text.casefold().startswith(prefix):
            return text[len(prefix):].strip()
    return None


def setting_names() -> list[str]:
    """The settings a planner writes one per row (rule modes are written as rule:<id> rows)."""
    return [name for name in Settings.model_fields if name != "rule_modes"]


def setting_keys() -> dict[str, str]:
    """Every accepted spelling of a setting key (Chinese or English) → the English key."""
    keys: dict[str, str] = {}
    for name in setting_names():
        field = Settings.model_fields[name]
        keys[name.casefold()] = name
        keys[field.json_schema_extra["zh_key"]] = name
    return keys


def setting_info(name: str) -> dict[str, Any]:
    field = Settings.model_fields[name]
    return {"key": name, "default": field.default, "en": field.description, **field.json_schema_extra}


def check_setting(name: str, text: str) -> str | None:
    """None when `text` is a valid value of setting `name`, else why not (English)."""
    if rule_key(name) is not None:
        try:
            _rule_mode(text)
        except ValueError as error:
            return str(error)
        return None
    try:
        Settings.model_validate({name: text})
    except ValidationError as error:
        return "; ".join(e["msg"] for e in error.errors())
    return None


def settings_from(values: dict[str, str], **overrides: Any) -> Settings:
    """Settings from a case's 设置 sheet (already validated), with command-line or UI overrides on top."""
    merged: dict[str, Any] = {}
    modes: dict[str, str] = {}
    for key, value in {**values, **overrides}.items():
        if isinstance(value, str) and not value.strip():
            continue
        rule = rule_key(key)
        if rule is not None:
            modes[rule] = value
        elif key == "rule_modes":
            modes.update(value)
        else:
            merged[key] = value
    if modes:
        merged["rule_modes"] = modes
    return Settings.model_validate(merged)


def value_text(value: Any, lang: str = "zh") -> str:
    """A setting value as a planner would write it in the settings sheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, (tuple, list)):
        return "、".join(value_text(v, lang) for v in value)
    if hasattr(value, "label"):
        return value.label(lang)
    return str(value)
