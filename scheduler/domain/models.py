"""The planning case: teachers, schools, pairing links, needs and planner pins.

Ids are kept as the text the roster wrote. Subjects are canonical names (see `subjects`).
`extra` keeps columns the contract does not know, so exports can pass them through.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .enums import BackboneLevel, Gender, Locality, PinAction, Stage, Title
from .terms import Term

_FROZEN = ConfigDict(frozen=True)
#: 在岗状态 values meaning "at work"; any other non-empty status exempts the teacher.
AT_WORK = frozenset({"在岗", "在职", "正常", "在岗在编"})


class Teacher(BaseModel):
    model_config = _FROZEN

    teacher_id: str
    name: str
    school_id: str
    subject: str
    years_at_school: int
    gender: Gender | None = None
    birth_date: date | None = None
    other_subjects: tuple[str, ...] = ()
    title: Title | None = None
    backbone: bool = False
    #: 县级/市级/省级 when the roster names one; any level makes `backbone` true.
    backbone_level: BackboneLevel | None = None
    exemption: str | None = None
    available_from: Term | None = None
    available_to: Term | None = None
    preferences: tuple[str, ...] = ()
    spouse_id: str | None = None
    team_id: str | None = None
    seeking_promotion: bool = False
    #: 身份证号, personal data: shown and written only through `personal.mask_id_number`.
    id_number: str | None = None
    #: 进本校年月: when the teacher came to the school (years_at_school is counted from it when given).
    joined_school: date | None = None
    #: 参加工作年月, passed through.
    started_work: date | None = None
    #: 在岗状态 as written; anything but 在岗 exempts the teacher (see `leave`).
    status: str | None = None
    #: 是否在编: False = not on the permanent staff, not eligible; None = not said (on the staff).
    on_staff: bool | None = None
    #: 职务 (校长, 副校长, 中层 ...), passed through.
    post: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)

    @property
    def leave(self) -> str | None:
        """The 在岗状态 that keeps the teacher away (产假, 借调 ...), None when at work or not said."""
        if not self.status:
            return None
        status = self.status.strip()
        return status if status and status not in AT_WORK else None

    @property
    def subjects(self) -> tuple[str, ...]:
        """Every subject the teacher can teach, main subject first."""
        return (self.subject, *(s for s in self.other_subjects if s != self.subject))


class School(BaseModel):
    model_config = _FROZEN

    school_id: str
    name: str
    county: str
    locality: Locality
    stage: Stage
    #: Most exchange teachers the school can house at once (周转宿舍 beds); None = no limit.
    host_capacity: int | None = None
    priority: int = 1
    lon: float | None = None
    lat: float | None = None
    #: 学区 (片区, 集团): the district the school belongs to; the quota's unit under 比例范围 = 学区
    district: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class Link(BaseModel):
    """A standing pairing (结对) between a lead school and a member school."""

    model_config = _FROZEN

    program: str
    lead_school_id: str
    member_school_id: str
    min_per_year: int | None = None
    max_per_year: int | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class Demand(BaseModel):
    """A receiving school needs `count` teachers of a subject at once, in every term of a window."""

    model_config = _FROZEN

    school_id: str
    subject: str
    count: int
    from_term: Term
    to_term: Term
    priority: int = 1
    #: 交流学期数: how long a placement on this need lasts; None = the 交流学期数 setting
    terms: int | None = None
    #: 交流方式 (定期交流, 支教, 走教 ...), written through to the exports
    form: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class Pin(BaseModel):
    """A planner's decision the plan must respect: pin a placement, forbid a school, exclude a teacher."""

    model_config = _FROZEN

    teacher_id: str
    action: PinAction
    school_id: str | None = None
    start_term: Term | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class Exchange(BaseModel):
    """A past placement (交流记录): the teacher went to a school from one term to another.

    The host may be a school outside the 学校 sheet (another county, a closed school): then only
    its name, or nothing, is known. `to_term` is always set once read (from 学期数 when the sheet
    has no 结束学期)."""

    model_config = _FROZEN

    teacher_id: str
    from_term: Term
    to_term: Term
    host_school_id: str | None = None
    host_school: str | None = None
    #: 学期数 as written (a plan's 派出安排 has it); `to_term` is what counts
    terms: int | None = None
    #: 交流方式 (定期交流, 支教, 走教 ...)
    form: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class Case(BaseModel):
    """A validated planning case. The reader only builds one when every reference resolves."""

    teachers: list[Teacher]
    schools: list[School]
    demands: list[Demand]
    links: list[Link] = Field(default_factory=list)
    pins: list[Pin] = Field(default_factory=list)
    #: The raw 设置 sheet as key → text (English keys); `Settings.from_case` reads it.
    settings: dict[str, str] = Field(default_factory=dict)
    #: 交流记录: past placements, in the sheet's order (teachers no longer in the roster included)
    history: list[Exchange] = Field(default_factory=list)

    _teacher_by_id: dict[str, Teacher] = PrivateAttr(default_factory=dict)
    _school_by_id: dict[str, School] = PrivateAttr(default_factory=dict)
    #: (the history list it was built from, teacher id → its placements): rebuilt when `history` is replaced
    _history_index: tuple[list[Exchange], int, dict[str, list[Exchange]]] | None = PrivateAttr(default=None)

    def model_post_init(self, __context: object) -> None:
        self._teacher_by_id = {t.teacher_id: t for t in self.teachers}
        self._school_by_id = {s.school_id: s for s in self.schools}

    def __eq__(self, other: object) -> bool:
        """Two cases are equal when their data is: the indexes above are derived from it (and the history
        index is built on first use, so a case a solve has read would otherwise differ from a fresh one)."""
        if not isinstance(other, Case):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    # The look-ups below read the indexes from `__pydantic_private__` itself: `self._teacher_by_id`
    # goes through pydantic's `__getattr__` (about 3 µs), and an audit or export at province scale
    # asks a million times (a sixth of the audit's time, measured).

    def teacher(self, teacher_id: str) -> Teacher:
        return self.__pydantic_private__["_teacher_by_id"][teacher_id]

    def school(self, school_id: str) -> School:
        return self.__pydantic_private__["_school_by_id"][school_id]

    def home_school(self, teacher: Teacher) -> School:
        return self.__pydantic_private__["_school_by_id"][teacher.school_id]

    def spouse(self, teacher: Teacher) -> Teacher | None:
        return self.__pydantic_private__["_teacher_by_id"].get(teacher.spouse_id) if teacher.spouse_id else None

    def has_teacher(self, teacher_id: str) -> bool:
        return teacher_id in self.__pydantic_private__["_teacher_by_id"]

    def has_school(self, school_id: str) -> bool:
        return school_id in self.__pydantic_private__["_school_by_id"]

    def history_of(self, teacher_id: str) -> list[Exchange]:
        """The teacher's past placements, earliest end first (indexed on first use)."""
        index = self.__pydantic_private__["_history_index"]
        if index is None or index[0] is not self.history or index[1] != len(self.history):
            table: dict[str, list[Exchange]] = {}
            for exchange in self.history:
                table.setdefault(exchange.teacher_id, []).append(exchange)
            index = self._history_index = (self.history, len(self.history),
                                           {k: sorted(v, key=lambda e: e.to_term.ordinal) for k, v in table.items()})
        return index[2].get(teacher_id, [])
