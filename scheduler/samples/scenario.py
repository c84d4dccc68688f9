"""The TOML scenario format: what a sample case looks like, in numbers a planner can edit.

A scenario names the counties, how many schools of each stage and locality they have,
how schools are paired, and the shares that shape the roster (tenure, backbone teachers,
spouses, exemptions...). `generate.generate_case` turns it into a `Case`; the seeds in
`seeds/*.toml` are the worked examples and document every key in comments.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.domain import Locality, Stage, Term
from scheduler.domain.settings import Settings, check_setting

_STRICT = ConfigDict(extra="forbid", frozen=True)

Range = tuple[int, int]
Share = float


def _check_range(value: Range) -> Range:
    low, high = value
    if low > high:
        raise ValueError(f"range {list(value)}: the first number must not exceed the second")
    return value


def _stage_keys(value: Any) -> Any:
    # Planners may write stage keys in Chinese ("小学" = 14) as well as in English.
    if isinstance(value, dict):
        return {Stage.parse(k): v for k, v in value.items()}
    return value


def _locality_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {Locality.parse(k): v for k, v in value.items()}
    return value


class Info(BaseModel):
    model_config = _STRICT

    name_zh: str
    name_en: str
    seed: int = Field(ge=0)
    first_term: Term
    horizon_terms: int = Field(ge=1, le=12)

    @field_validator("first_term", mode="before")
    @classmethod
    def _term(cls, value: Any) -> Any:
        return Term.parse(value) if isinstance(value, str) else value


class Staffing(BaseModel):
    """Teachers per school, as [fewest, most], by locality and stage."""

    model_config = _STRICT

    urban: dict[Stage, Range] = Field(default_factory=dict)
    town: dict[Stage, Range] = Field(default_factory=dict)
    rural: dict[Stage, Range] = Field(default_factory=dict)

    check_keys = field_validator("urban", "town", "rural", mode="before")(_stage_keys)

    @field_validator("urban", "town", "rural")
    @classmethod
    def _ranges(cls, value: dict[Stage, Range]) -> dict[Stage, Range]:
        for size in value.values():
            _check_range(size)
        return value

    def size(self, locality: Locality, stage: Stage) -> Range:
        return getattr(self, locality.value)[stage]


class TeacherMix(BaseModel):
    """Shares that shape the roster. Each is a probability per teacher of the group named."""

    model_config = _STRICT

    #: share of teachers (old enough to have them) with 6 or more years at their school
    long_tenure: Share = Field(0.58, ge=0, le=1)
    #: backbone (骨干) share among teachers aged 28+, by locality of the school
    backbone: dict[Locality, Share] = Field(default_factory=lambda: {
        Locality.URBAN: 0.22, Locality.TOWN: 0.12, Locality.RURAL: 0.07})
    #: teachers who also teach a second subject (兼教); rural schools get 1.5× this
    other_subjects: Share = Field(0.12, ge=0, le=1)
    #: eligible urban teachers who list ranked wishes (志愿)
    preferences: Share = Field(0.2, ge=0, le=1)
    #: share of teachers who are half of a couple in the roster (both teachers, same county)
    spouses: Share = Field(0.03, ge=0, le=0.5)
    #: urban 一级 teachers aged 30+ who plan to apply for 高级 (need rural service)
    seeking_promotion: Share = Field(0.1, ge=0, le=1)
    #: non-exempt urban teachers with a limited availability window
    availability_window: Share = Field(0.015, ge=0, le=1)
    #: exemption (免交流) probabilities within the group each applies to
    near_retirement: Share = Field(0.35, ge=0, le=1, description="teachers aged 57+")
    pregnancy: Share = Field(0.02, ge=0, le=1, description="women aged 24-38")
    breastfeeding: Share = Field(0.03, ge=0, le=1, description="women aged 24-38")
    illness: Share = Field(0.005, ge=0, le=1, description="everyone")
    #: backbone teachers recorded as 学科带头人 (a 名师 for 骨干认定 = 名师); 0 draws nothing (older seeds)
    masters: Share = Field(0.0, ge=0, le=1)

    check_loc = field_validator("backbone", mode="before")(_locality_keys)


class Program(BaseModel):
    """A pairing program: urban schools of `leads` each lead some town/rural schools of `members`."""

    model_config = _STRICT

    name: str
    leads: list[str]
    #: member counties; empty with `within_county` = each lead county pairs with itself (学区)
    members: list[str] = Field(default_factory=list)
    within_county: bool = False
    #: stages this program covers (empty = all)
    stages: list[Stage] = Field(default_factory=list)
    members_per_lead: Range = (2, 4)
    #: share of links that carry 每年最少派出 = 1
    min_per_year_share: Share = Field(0.5, ge=0, le=1)
    #: share of links that carry a 每年最多派出 drawn from `max_per_year`
    max_per_year_share: Share = Field(0.4, ge=0, le=1)
    max_per_year: Range = (3, 6)

    @field_validator("stages", mode="before")
    @classmethod
    def _stages(cls, value: Any) -> Any:
        return [Stage.parse(s) for s in value] if isinstance(value, list) else value

    check_ranges = field_validator("members_per_lead", "max_per_year")(_check_range)

    @model_validator(mode="after")
    def _members(self) -> "Program":
        if self.within_county == bool(self.members):
            raise ValueError(f"program {self.name}: give either member counties or within_county = true")
        return self


class DemandRule(BaseModel):
    """How the shortages (需求) are drawn."""

    model_config = _STRICT

    #: placements the needs offer each school year, relative to the sending schools' quota
    need_factor: float = Field(1.2, ge=0)
    #: share of needs that last one placement only instead of the whole horizon
    short_window: Share = Field(0.15, ge=0, le=1)
    #: share of lead schools whose partners need fewer teachers than the quota (a shortfall)
    shortfall: Share = Field(0.05, ge=0, le=1)
    #: how much likelier a music/PE/art need is than the share of such teachers suggests
    arts_weight: dict[Locality, float] = Field(default_factory=lambda: {
        Locality.URBAN: 1.0, Locality.TOWN: 2.5, Locality.RURAL: 4.0})
    #: a further factor on arts weight in poor counties
    poor_arts_factor: float = Field(1.5, ge=0)
    #: rural schools of poor counties with an extra music/PE/art need beyond the pairing plan
    extra_arts: Share = Field(0.3, ge=0, le=1)
    #: 交流方式 written on the ordinary needs (定期交流 ...); empty = the column is left empty
    form: str = ""
    #: share of the placements a lead's partners ask for that are one-term needs (交流学期数 = 1),
    #: each in one term of the horizon: a short 支教 beside the long exchange
    one_term_share: Share = Field(0.0, ge=0, le=1)
    #: 交流方式 of the one-term needs
    one_term_form: str = "支教"

    check_loc = field_validator("arts_weight", mode="before")(_locality_keys)


class Hosting(BaseModel):
    """Turnover-dormitory beds (接收容量) at receiving schools."""

    model_config = _STRICT

    beds: Range = (2, 6)
    #: receiving schools with no bed limit, by locality
    no_limit: dict[Locality, Share] = Field(default_factory=lambda: {Locality.TOWN: 0.4, Locality.RURAL: 0.15})
    #: schools with one bed fewer than their needs at once (a real bottleneck)
    tight: Share = Field(0.05, ge=0, le=1)

    check_range = field_validator("beds")(_check_range)
    check_loc = field_validator("no_limit", mode="before")(_locality_keys)


class Teams(BaseModel):
    """组团式: a team of teachers of one home school goes to one receiving school together."""

    model_config = _STRICT

    #: share of sending schools that form one team
    school_share: Share = Field(0.0, ge=0, le=1)
    size: Range = (3, 5)

    check_range = field_validator("size")(_check_range)


class PinCounts(BaseModel):
    model_config = _STRICT

    pin: int = Field(0, ge=0)
    forbid: int = Field(0, ge=0)
    exclude: int = Field(0, ge=0)


class Names(BaseModel):
    model_config = _STRICT

    #: surname → weight multiplier, for regional flavour (郭, 武 and 闫 are common in Shanxi)
    surname_boost: dict[str, float] = Field(default_factory=dict)


class Roster(BaseModel):
    """How the roster is written: the contract's columns, or the way a registry (花名册) exports it.

    The registry layout carries the registry's own fields (身份证号, 进本校年月 instead of 本校任教年限,
    参加工作年月, 在岗状态, 是否在编, 职务) and is written as bureaus keep it: a merged title row, 序号,
    the registry's header names, 出生年月 typed as 1985.03 or 1985年3月, a note block under the table.
    """

    model_config = _STRICT

    layout: Literal["contract", "registry"] = "contract"
    #: the merged title row above the registry table, e.g. 青岭县2026年中小学教职工花名册
    title: str = ""
    #: the line under the title, e.g. 填报单位：青岭县教育体育局
    unit: str = ""
    #: lines of the note block under the table; each begins with 注 or a number, as bureaus write them
    notes: list[str] = Field(default_factory=list)
    #: 6-digit region codes (行政区划代码) of the fictitious ID numbers. Use codes no real county has
    #: (e.g. 610799: 汉中市 has no county 99), so no generated number can be a real person's.
    region_codes: list[str] = Field(default_factory=list)
    #: titles written the old way (中学高级教师, 小学一级教师): staff titled before the 2015 reform
    old_titles: Share = Field(0.6, ge=0, le=1)
    #: 在岗状态 beyond the exemptions drawn for everyone: 借调 (seconded) and 脱产进修 (full-time study)
    seconded: Share = Field(0.008, ge=0, le=1)
    further_study: Share = Field(0.005, ge=0, le=1)
    #: teachers not on the permanent staff (是否在编 = 否: 代课, contract staff), mostly young rural ones
    off_staff: Share = Field(0.03, ge=0, le=1)

    @field_validator("region_codes")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"[1-8][0-9]{5}", code):
                raise ValueError(f"region code {code!r}: six digits, the first 1-8")
        return value

    @model_validator(mode="after")
    def _registry(self) -> "Roster":
        if self.layout == "registry" and not self.region_codes:
            raise ValueError("a registry roster needs region_codes for its fictitious ID numbers")
        return self

    @property
    def registry(self) -> bool:
        return self.layout == "registry"


_NAMING_ORDER = (Stage.SENIOR, Stage.JUNIOR, Stage.NINE_YEAR, Stage.PRIMARY, Stage.KINDERGARTEN)


class County(BaseModel):
    """A county or district and its schools (how many of each stage, by locality)."""

    model_config = _STRICT

    name: str
    #: (longitude, latitude) of the county seat
    center: tuple[float, float]
    #: how far town and rural schools lie from the seat
    radius_km: float = Field(25.0, gt=0)
    #: a poverty county: higher priorities, more arts shortages
    poor: bool = False
    #: priority range (1-5) of its town and rural schools; rural ones draw the upper half
    priority: Range = (1, 2)
    #: False for receiving regions outside the bureau: schools listed, no teachers in the roster
    staffed: bool = True
    #: towns (乡镇) used in school names
    towns: list[str] = Field(default_factory=list)
    #: "han" = village names like 王家庄小学; "numbered" = 第二小学 (minority regions)
    village_names: str = Field("han", pattern="^(han|numbered)$")
    #: 学区 the county's schools are grouped in (学校.学区), by direction from the seat: the first
    #: takes the sector east of it, the next ones follow counter-clockwise; empty = no 学区 column
    districts: list[str] = Field(default_factory=list)
    urban: dict[Stage, int] = Field(default_factory=dict)
    town: dict[Stage, int] = Field(default_factory=dict)
    rural: dict[Stage, int] = Field(default_factory=dict)

    check_keys = field_validator("urban", "town", "rural", mode="before")(_stage_keys)
    check_range = field_validator("priority")(_check_range)

    @model_validator(mode="after")
    def _consistent(self) -> "County":
        if not 1 <= self.priority[0] <= self.priority[1] <= 5:
            raise ValueError(f"{self.name}: priority must lie within 1-5")
        if (self.town or self.rural) and not self.towns:
            raise ValueError(f"{self.name}: town and rural schools need a list of towns for their names")
        if len(set(self.districts)) != len(self.districts):
            raise ValueError(f"{self.name}: district names must be unique")
        return self

    def school_counts(self) -> list[tuple[Locality, Stage, int]]:
        """(locality, stage, count) in a fixed order, so generation does not depend on TOML key order.

        Senior highs come first so that they take the low numbers (第一中学 is usually the
        senior high of a county or district).
        """
        rows = []
        for locality in Locality:
            counts = getattr(self, locality.value)
            rows.extend((locality, stage, counts[stage]) for stage in _NAMING_ORDER if counts.get(stage))
        return rows


class Previous(BaseModel):
    """A later school year of another seed's county: its case one year on, its plan as 交流记录.

    The previous seed's case is generated and solved with its own settings; the placements that
    start before this scenario's first term become the history (交流记录), a placement still
    running then keeps its teacher at home (a 禁止交流 pin saying so). Teachers are a year older
    and a year longer at their school, those reaching 60 retire, needs and pins move on by the
    years between the two first terms.
    """

    model_config = _STRICT

    #: the seed file of the earlier year, relative to this one's folder
    seed: str
    #: 交流方式 written on the history rows
    form: str = "定期交流"


class Scenario(BaseModel):
    model_config = _STRICT

    scenario: Info
    #: written to the case's 设置 sheet: English key → value
    settings: dict[str, str] = Field(default_factory=dict)
    #: set for a later year of another seed: then staff, programs and counties come from that seed
    previous: Previous | None = None
    staff: Staffing = Field(default_factory=Staffing)
    teachers: TeacherMix = Field(default_factory=TeacherMix)
    programs: list[Program] = Field(default_factory=list)
    demand: DemandRule = Field(default_factory=DemandRule)
    hosting: Hosting = Field(default_factory=Hosting)
    teams: Teams = Field(default_factory=Teams)
    pins: PinCounts = Field(default_factory=PinCounts)
    names: Names = Field(default_factory=Names)
    roster: Roster = Field(default_factory=Roster)
    counties: list[County] = Field(default_factory=list)

    @field_validator("settings", mode="before")
    @classmethod
    def _settings_text(cls, value: Any) -> Any:
        # TOML gives numbers and booleans; the case keeps every setting as text, like the sheet.
        if isinstance(value, dict):
            return {k: ("yes" if v else "no") if isinstance(v, bool) else str(v) for k, v in value.items()}
        return value

    @field_validator("settings")
    @classmethod
    def _settings_known(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            if key not in Settings.model_fields:
                raise ValueError(f"unknown setting {key!r}")
            problem = check_setting(key, text)
            if problem:
                raise ValueError(f"setting {key} = {text!r}: {problem}")
        return value

    @model_validator(mode="after")
    def _references(self) -> "Scenario":
        if self.previous is not None:
            if self.counties or self.programs:
                raise ValueError("a scenario with [previous] takes its counties and programs from that seed")
            return self
        if not self.counties:
            raise ValueError("a scenario needs at least one [[counties]] table (or a [previous] seed)")
        names = [c.name for c in self.counties]
        if len(set(names)) != len(names):
            raise ValueError("county names must be unique")
        for program in self.programs:
            for name in (*program.leads, *program.members):
                if name not in names:
                    raise ValueError(f"program {program.name} names unknown county {name!r}")
        for county in self.counties:
            for locality, stage, _ in county.school_counts() if county.staffed else ():
                if stage not in getattr(self.staff, locality.value):
                    raise ValueError(f"{county.name} has {locality.value} {stage.value} schools "
                                     f"but [staff.{locality.value}] gives no size for {stage.value}")
        return self

    def county(self, name: str) -> County:
        return next(c for c in self.counties if c.name == name)


def load_scenario(path: Path | str) -> Scenario:
    with open(path, "rb") as handle:
        return Scenario.model_validate(tomllib.load(handle))


def registry_layout(path: Path | str) -> Roster | None:
    """The scenario's roster layout when it asks for the registry's (for `write_case(registry=...)`)."""
    roster = load_scenario(path).roster
    return roster if roster.registry else None
