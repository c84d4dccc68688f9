"""The rule settings a planner can change. Every default is a published figure (DOMAIN.md).

Each field carries its Chinese key and labels, so the settings sheet, the README table and
the UI all read from this one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

# BackboneBase, BackboneCount and QuotaScope live in enums.py with the other vocabularies; the settings
# that use them import them here, so `from scheduler.domain.settings import BackboneBase` keeps working.
from .enums import BackboneBase, BackboneCount, Locality, PairingMode, QuotaScope, parse_yes_no
from .terms import Term


def _setting(default: Any, zh_key: str, zh: str, en: str, source: str = "", *, group: str = "advanced",
             ui: dict[str, Any] | None = None, **limits: Any) -> Any:
    """A setting's field. `group` is the box it sits in on the Rules page (a new setting lands in
    "advanced" unless given one); `ui` refines its widget where type and bounds are not enough:
    {"percent": True} shows a share as %, {"slider": True, "min", "max", "step"} a narrower slider."""
    return Field(default, description=en, json_schema_extra={
        "zh_key": zh_key, "zh": zh, "source": source, "group": group, "ui": ui or {}}, **limits)


#: CP-SAT's random_seed is an int32 (sat_parameters.proto); a larger seed fails inside the solver.
MAX_SEED = 2**31 - 1


_LIST_SEPARATORS = re.compile(r"[,，、/;；]+")


def _listed(vocabulary: type[Vocabulary], text: str) -> tuple[Any, ...]:
    """The members a list setting names: items split on commas, 、, / or ;, and an item that is no
    member as a whole split again on spaces, so the English "master teacher、senior" (as
    `value_text` writes it) and "骨干 高级" both read back."""
    items: list[Any] = []
    for piece in _LIST_SEPARATORS.split(text):
        piece = piece.strip()
        if not piece:
            continue
        try:
            items.append(vocabulary.parse(piece))
        except ValueError:
            items.extend(vocabulary.parse(word) for word in piece.split())
    return tuple(items)


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, validate_default=True)

    quota_rate: float = _setting(
        0.10, "交流比例", "每校每学年交流比例（占符合条件教师）",
        "share of eligible teachers each sending school rotates per school year",
        "教师〔2014〕4号: 不低于10%", ge=0, le=1, group="quota", ui={"percent": True})
    backbone_share: float = _setting(
        0.20, "骨干比例", "交流教师中骨干教师最低比例",
        "least share of backbone teachers among those rotated",
        "教师〔2014〕4号: 不低于20%", ge=0, le=1, group="quota", ui={"percent": True})
    #: 交流总数 by default (WORKBOOK.md): counted exactly, soft or hard (rules/quota.py)
    backbone_base: BackboneBase = _setting(
        BackboneBase.ROTATED, "骨干比例基数", "骨干比例的基数：交流总数/应交流数/符合条件数",
        "what the backbone share is a share of: rotated / quota / eligible",
        "教师〔2014〕4号: 骨干教师不低于交流总数的20%；安徽: 符合条件总数的20%；蒲城: 交流人数的30%",
        group="quota")
    backbone_counts: tuple[BackboneCount, ...] = _setting(
        (BackboneCount.BACKBONE,), "骨干认定", "计入骨干比例的教师：骨干/名师/正高级/高级/一级（可多选）",
        "who counts for the backbone share: backbone / master / full senior / senior / first (any of them)",
        "教师〔2014〕4号: 骨干教师；蒲城: 名师、高级、一级教师", group="quota")
    quota_scope: QuotaScope = _setting(
        QuotaScope.SCHOOL, "比例范围", "交流比例与骨干比例的计算范围：学校/学区/区县",
        "where the quota and backbone share are counted: each school / each district / each county",
        "教师〔2014〕4号: 每校；合肥: 按区统筹", group="quota")
    rest_years: int = _setting(
        0, "交流间隔年数", "上次交流结束后须间隔的学年数（0=不限）",
        "school years a teacher waits after their last placement before rotating again (0 = no rest rule)",
        "各地方案: 交流期满返回后一般不立即再次交流", ge=0, le=20, group="quota")
    min_years: int = _setting(
        6, "最低任教年限", "符合交流条件的本校最低任教年限",
        "years at the school that make a teacher eligible",
        "省级方案常见6年（部分县9年）", ge=0, le=60, group="quota")
    placement_terms: int = _setting(
        2, "交流学期数", "一次交流的学期数", "length of a placement in terms",
        "常见一学年（2个学期）", ge=1, le=12, group="time")
    horizon_from: Term | None = _setting(
        None, "规划开始学期", "规划开始学期（空=需求最早学期）",
        "first term a placement may start (empty = earliest need)", group="time")
    horizon_to: Term | None = _setting(
        None, "规划结束学期", "规划结束学期（空=需求最晚学期）",
        "last term a placement may cover (empty = latest need)", group="time")
    pairing_mode: PairingMode = _setting(
        PairingMode.STRICT, "结对模式", "结对模式：严格/优先/不限", "pairing mode: strict / prefer / any", group="fit")
    quota_hard: bool = _setting(
        False, "比例硬约束", "交流比例与骨干比例为硬约束", "the quota and backbone share are hard rules", group="quota")
    time_limit_s: float = _setting(
        60.0, "求解时限秒", "一次求解的时限（秒）", "time limit of one solve, in seconds", gt=0, le=86400,
        ui={"min": 1, "max": 3600, "step": 5, "whole": True})
    stage_fit: bool = _setting(
        True, "学段匹配", "学段匹配（小学到小学，初中到初中）", "stage fit (primary to primary, junior to junior)",
        group="fit")
    couples_rule: bool = _setting(
        True, "夫妻不分离", "夫妻不同时派往不同学校", "spouses are not sent to different schools at once",
        "国外教师流动制度的家庭团聚规则", group="fit")
    #: 0 = no floor (today's plans); counted by main subject (Teacher.subject), see rules/keep_home.py
    keep_per_subject: int = _setting(
        0, "学科最少保留", "派出学校每学科每学期至少留校的教师人数（按主教学科，0=不限）",
        "teachers of each (main) subject a sending school keeps at home every term (0 = no floor)",
        "1 = 不派出学校唯一的音乐教师", ge=0, le=50, group="quota")

    @field_validator("keep_per_subject", "rest_years", mode="before")
    @classmethod
    def _keep_whole(cls, value: Any) -> Any:
        return _whole(value) if isinstance(value, str) else value

    arts_weight: float = _setting(
        2.0, "音体美权重", "音体美缺口的额外权重", "extra weight of music, PE and art needs",
        "2017年评估: 每百名学生音体美教师≥0.9", ge=0, le=100, group="weights",
        ui={"slider": True, "min": 1.0, "max": 5.0, "step": 0.5})
    max_age_male: int | None = _setting(
        None, "男教师年龄上限", "参加交流的男教师年龄上限（空=不限）", "age cap for men (empty = none)",
        "部分县: 男≤50", ge=18, le=70, group="quota")
    max_age_female: int | None = _setting(
        None, "女教师年龄上限", "参加交流的女教师年龄上限（空=不限）", "age cap for women (empty = none)",
        "部分县: 女≤45", ge=18, le=70, group="quota")
    seed: int = _setting(0, "随机种子", "求解随机种子", "random seed of the solver", ge=0, le=MAX_SEED)
    sending_localities: tuple[Locality, ...] = _setting(
        (Locality.URBAN,), "派出学校类型", "须完成交流比例的派出学校类型（城区/镇区/乡村，可多选）",
        "localities of the sending schools the quota applies to and whose teachers rotate",
        "教师〔2014〕4号: 城镇学校、优质学校", group="quota")
    #: 1 by default: only a single worker gives the same plan on every run (see model/parameters.py).
    workers: int = _setting(1, "求解线程数", "求解器并行线程数", "solver worker threads", ge=1, le=64)
    #: printed on the published documents (scheduler.publish), read by no rule and not by the solver
    issuer: str = _setting(
        "", "发文单位", "公示名单与派遣通知书上的发文单位（空=不印）",
        "issuing body printed on the published lists and notices (empty = none printed)",
        "如：略阳县教育体育局", max_length=60, group="publish")
    notice_days: int = _setting(
        5, "公示天数", "公示期的工作日数", "working days of the public-notice (公示) period",
        "各地方案: 公示5个工作日", ge=1, le=30, group="publish")

    @field_validator("issuer", mode="before")
    @classmethod
    def _issuer(cls, value: Any) -> Any:
        # A name on one line: a line break or control character would break the printed heading.
        if isinstance(value, str):
            value = value.strip()
            if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
                raise ValueError("one line of text without control characters")
        return value

    #: rule id → "hard" / "soft" / "off", overriding each rule's default (keys "rule:<id>" in the sheet)
    rule_modes: dict[str, str] = _setting({}, "规则开关", "各规则的硬/软/关设置", "hard / soft / off per rule",
        group="rules")

    @field_validator("sending_localities", mode="before")
    @classmethod
    def _localities(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _listed(Locality, value)
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

    @field_validator("pairing_mode", "quota_scope", "backbone_base", mode="before")
    @classmethod
    def _vocabulary(cls, value: Any, info: ValidationInfo) -> Any:
        """A one-choice setting written as text: its vocabulary's spellings (严格, 学区, 交流总数 ...)."""
        return cls.model_fields[info.field_name].annotation.parse(value) if isinstance(value, str) else value


    @field_validator("backbone_counts", mode="before")
    @classmethod
    def _backbone_counts(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = _listed(BackboneCount, value)
        if isinstance(value, (tuple, list)) and not value:
            raise ValueError("at least one of 骨干/名师/正高级/高级/一级")
        return value

    @field_validator("quota_hard", "stage_fit", "couples_rule", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        return parse_yes_no(value) if isinstance(value, str) else value

    @field_validator("max_age_male", "max_age_female", mode="before")
    @classmethod
    def _optional_int(cls, value: Any) -> Any:
        if isinstance(value, str):
            return None if not value.strip() else _whole(value)
        return value

    @field_validator("min_years", "placement_terms", "seed", "workers", "notice_days", mode="before")
    @classmethod
    def _int(cls, value: Any) -> Any:
        return _whole(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _horizon_in_order(self) -> "Settings":
        # A horizon that ends before it starts has no placement at all and would solve to a
        # vacuous "optimal, 0 placed, need 0/0".
        if self.horizon_from is not None and self.horizon_to is not None and self.horizon_from > self.horizon_to:
            raise ValueError(f"horizon_from {self.horizon_from.label('en')} is after "
                             f"horizon_to {self.horizon_to.label('en')}")
        return self

    @field_validator("quota_rate", "backbone_share", mode="before")
    @classmethod
    def _rate(cls, value: Any) -> Any:
        # Planners write 10% as often as 0.10.
        if isinstance(value, str) and value.strip().endswith("%"):
            return float(value.strip()[:-1]) / 100
        return value


#: every setting at its published default
DEFAULTS = Settings()


def _whole(text: str) -> int:
    """ "6", "6.0" → 6; "6.5", "1e400" and "nan" are not whole numbers (int(inf) would raise OverflowError)."""
    number = float(text.replace(",", ""))
    if not number.is_integer():
        raise ValueError("whole number expected")
    return int(number)


_MODES = {"hard": "hard", "硬": "hard", "硬约束": "hard", "soft": "soft", "软": "soft", "软约束": "soft",
          "off": "off", "关": "off", "关闭": "off", "不用": "off"}


def parse_mode(text: str) -> str | None:
    """"hard", "soft" or "off" for 硬/软/关 and their spellings; None for anything else."""
    return _MODES.get(str(text).strip().casefold())


def _rule_mode(text: str) -> str:
    mode = parse_mode(text)
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


@dataclass(frozen=True)
class Reason:
    """Why a setting value is refused, in both languages (the rules' `Text` has the same shape)."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


_MODE_REASON = Reason("应为 硬/软/关（hard/soft/off）", "expected hard / soft / off (硬/软/关)")


def parse_value(name: str, text: str) -> Any:
    """The typed value of setting `name` written as `text` ("10%" → 0.1, "2026秋" → a Term);
    ValueError (or pydantic's ValidationError, a ValueError) when it is not one."""
    try:
        return getattr(Settings.model_validate({name: text}), name)
    except OverflowError as error:
        raise ValueError(str(error)) from error


def setting_problem(name: str, text: str) -> Reason | None:
    """None when `text` is a valid value of setting `name` (or of a rule switch `rule:<id>`), else
    what is expected, in both languages. Whether a rule exists and allows a mode is the rules'
    business (scheduler.workbook.setting_checks.check_entry)."""
    if rule_key(name) is not None:
        return None if parse_mode(text) else _MODE_REASON
    try:
        parse_value(name, text)
    except ValueError:
        return expected_value(name)
    return None


def check_setting(name: str, text: str) -> str | None:
    """None when `text` is a valid value of setting `name`, else what is expected (English)."""
    reason = setting_problem(name, text)
    return reason.en if reason else None


def expected_value(name: str) -> Reason:
    """What a value of setting `name` must look like, from the field's own type and bounds."""
    field = Settings.model_fields[name]
    bounds = {type(m).__name__: m for m in field.metadata}
    low = next((getattr(bounds[k], k.lower()) for k in ("Ge", "Gt") if k in bounds), None)
    high = bounds["Le"].le if "Le" in bounds else None
    kind = field.annotation
    if name in ("quota_rate", "backbone_share"):
        return Reason("应为 0 到 1 之间的比例，如 0.1 或 10%", "expected a share from 0 to 1, e.g. 0.1 or 10%")
    if name in ("horizon_from", "horizon_to"):
        return Reason("应为学期，如 2026秋 或 2027春", "expected a term such as 2026-fall or 2027-spring")
    if name == "pairing_mode":
        return Reason("可选 严格/优先/不限", "choose strict / prefer / any")
    if name == "sending_localities":
        return Reason("应为 城区/镇区/乡村 中的一项或几项，用顿号分隔", "expected one or more of urban / town / rural")
    if name == "quota_scope":
        return Reason("可选 学校/学区/区县", "choose school / district / county")
    if name == "backbone_base":
        return Reason("可选 交流总数/应交流数/符合条件数", "choose rotated / quota / eligible")
    if name == "backbone_counts":
        return Reason("应为 骨干/名师/正高级/高级/一级 中的一项或几项，用顿号分隔",
                      "expected one or more of backbone / master / full senior / senior / first")
    if name == "issuer":
        return Reason("应为一行文字（不超过 60 字），如 略阳县教育体育局",
                      "expected one line of text (at most 60 characters), e.g. 略阳县教育体育局")
    if kind is bool:
        return Reason("应为 是/否", "expected yes / no")
    if kind in (int, int | None):
        empty = ("，或留空表示不限", "; or empty for none") if kind == (int | None) else ("", "")
        return Reason(f"应为 {low} 到 {high} 之间的整数{empty[0]}", f"expected a whole number from {low} to {high}{empty[1]}")
    if "Gt" in bounds:
        return Reason(f"应为大于 {low}、不超过 {high} 的数字", f"expected a number above {low}, at most {high}")
    return Reason(f"应为 {low} 到 {high} 之间的数字", f"expected a number from {low} to {high}")


def horizon_problem(values: dict[str, Any]) -> Reason | None:
    """The one check across settings: the planning horizon does not end before it starts."""
    try:
        first, last = (Term.parse(values[k]) if isinstance(values.get(k), str) and values[k].strip() else values.get(k)
                       for k in ("horizon_from", "horizon_to"))
    except ValueError:
        return None  # the term itself is reported
    if isinstance(first, Term) and isinstance(last, Term) and first > last:
        return Reason(f"规划开始学期 {first.label('zh')} 晚于规划结束学期 {last.label('zh')}，规划期内没有任何学期",
                      f"the horizon starts ({first.label('en')}) after it ends ({last.label('en')}), so it holds no term")
    return None


def settings_with(base: Settings, values: Mapping[str, Any]) -> Settings:
    """`base` with `values` on top: English key (or `rule:<id>`) → value, typed (as `parse_value`
    and the UI's widgets give them) or text. Every value is validated again, together with the
    rest (a horizon that ends before it starts raises ValueError); nothing is dropped."""
    merged: dict[str, Any] = {name: getattr(base, name) for name in Settings.model_fields}
    modes = dict(base.rule_modes)
    for key, value in values.items():
        rule = rule_key(key)
        if rule is not None:
            modes[rule] = value
        elif key == "rule_modes":
            modes.update(value)
        elif key in Settings.model_fields:
            merged[key] = value
        else:
            raise ValueError(f"unknown setting {key!r}")
    merged["rule_modes"] = modes
    return Settings.model_validate(merged)


def settings_from(values: Mapping[str, str], **overrides: Any) -> Settings:
    """Settings from a case's own 设置 text (`Case.settings`, already checked by the reader or
    written by the generator), with overrides on top; an empty text keeps the default.

    For callers that hold only a `Case` (the sample generator, benchmarks, tests). The reader,
    the command line, the UI and the rules file parse settings once, through
    scheduler.workbook.setting_checks (check_entry, settings_of), and hand the `Settings` on."""
    given = {key: value for key, value in {**values, **overrides}.items()
             if not (isinstance(value, str) and not value.strip())}
    return settings_with(DEFAULTS, given)


def required_settings(settings: Any) -> Settings:
    """`settings`, refused loudly when it is not a Settings: no function quietly falls back to a
    case's own 设置 text when the caller forgot to pass the ones it means."""
    if not isinstance(settings, Settings):
        raise TypeError(f"a Settings is required, not {type(settings).__name__}; parse the settings at the "
                        "boundary (scheduler.workbook.setting_checks.settings_of) and pass them on")
    return settings


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
