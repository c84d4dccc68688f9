"""The workbook contract (WORKBOOK.md) as data: sheets, their Chinese and English names, columns.

Reader, writer, template and validation messages all read this table, so a column is
added or renamed in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """How a cell is read."""

    ID = "id"
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    TERM = "term"
    YES_NO = "yes_no"
    SUBJECT = "subject"
    SUBJECTS = "subjects"
    IDS = "ids"
    GENDER = "gender"
    TITLE = "title"
    BACKBONE = "backbone"
    LOCALITY = "locality"
    STAGE = "stage"
    ACTION = "action"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    kind: Kind
    required: bool
    zh_help: str
    en_help: str

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.key


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    required: bool
    columns: tuple[Column, ...]
    zh_help: str
    en_help: str

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.key

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key: str, zh: str, kind: Kind, required: bool, zh_help: str = "", en_help: str = "") -> Column:
    return Column(key, zh, kind, required, zh_help, en_help)


TEACHERS = Sheet("teachers", "教师", True, (
    _c("teacher_id", "教师编号", Kind.ID, True, "唯一编号", "unique id"),
    _c("name", "姓名", Kind.TEXT, True, "教师姓名", "teacher's name"),
    _c("gender", "性别", Kind.GENDER, False, "男/女", "M/F"),
    _c("birth_date", "出生日期", Kind.DATE, False, "日期，如1985-03-12", "a date, e.g. 1985-03-12"),
    _c("school_id", "学校编号", Kind.ID, True, "所在学校，须在“学校”表中", "home school, must exist in schools"),
    _c("subject", "学科", Kind.SUBJECT, True, "主教学科", "main subject"),
    _c("other_subjects", "兼教学科", Kind.SUBJECTS, False, "可兼教学科，用顿号或逗号分隔", "further subjects, separated by , or 、"),
    _c("title", "职称", Kind.TITLE, False, "三级/二级/一级/高级/正高级", "third/second/first/senior/full-senior"),
    _c("backbone", "骨干", Kind.BACKBONE, False, "是/否，或县级/市级/省级", "yes/no, or a level county/city/province"),
    _c("years_at_school", "本校任教年限", Kind.INT, True, "在本校任教的整年数", "whole years at the current school"),
    _c("exemption", "免交流原因", Kind.TEXT, False, "填写即免交流（怀孕、哺乳期、重病、临近退休等）", "any text exempts the teacher"),
    _c("available_from", "可交流开始学期", Kind.TERM, False, "如2026秋", "e.g. 2026-fall"),
    _c("available_to", "可交流结束学期", Kind.TERM, False, "如2027春", "e.g. 2027-spring"),
    _c("preferences", "志愿学校", Kind.IDS, False, "按志愿顺序填写接收学校编号", "ranked receiving school ids"),
    _c("spouse_id", "配偶编号", Kind.ID, False, "同为教师的配偶的教师编号", "teacher_id of a spouse in the roster"),
    _c("team_id", "团队编号", Kind.ID, False, "同一团队编号的教师组团派出", "teachers sharing it go together"),
    _c("seeking_promotion", "拟申报高级职称", Kind.YES_NO, False, "是/否", "yes/no"),
), "在编教师名册，每行一名教师", "the roster, one teacher a row")

SCHOOLS = Sheet("schools", "学校", True, (
    _c("school_id", "学校编号", Kind.ID, True, "唯一编号", "unique id"),
    _c("name", "学校名称", Kind.TEXT, True, "", ""),
    _c("county", "区县", Kind.TEXT, True, "", ""),
    _c("locality", "城乡类型", Kind.LOCALITY, True, "城区/镇区/乡村", "urban/town/rural"),
    _c("stage", "学段", Kind.STAGE, True, "幼儿园/小学/初中/高中/九年一贯制", "kindergarten/primary/junior/senior/nine-year"),
    _c("host_capacity", "接收容量", Kind.INT, False, "可同时接收的交流教师数（周转宿舍床位），空=不限", "most exchange teachers hosted at once; empty = no limit"),
    _c("priority", "优先级", Kind.INT, False, "1（一般）到5（最紧迫），默认1", "1 (normal) to 5 (most urgent); default 1"),
    _c("lon", "经度", Kind.FLOAT, False, "", ""),
    _c("lat", "纬度", Kind.FLOAT, False, "", ""),
), "全部派出与接收学校", "every sending and receiving school")

LINKS = Sheet("links", "结对", False, (
    _c("program", "项目", Kind.TEXT, True, "如1+X联合体、手拉手、学区、教育集团", "e.g. 1+X consortium, 手拉手, district"),
    _c("lead_school_id", "牵头学校", Kind.ID, True, "牵头（多为城区）学校编号", "the leading school"),
    _c("member_school_id", "成员学校", Kind.ID, True, "结对学校编号", "the paired school"),
    _c("min_per_year", "每年最少派出", Kind.INT, False, "每学年至少派出人数", "least sent per school year"),
    _c("max_per_year", "每年最多派出", Kind.INT, False, "每学年最多派出人数", "most sent per school year"),
), "学校之间的结对关系", "pairing links between schools")

DEMAND = Sheet("demand", "需求", True, (
    _c("school_id", "学校编号", Kind.ID, True, "接收学校", "receiving school"),
    _c("subject", "学科", Kind.SUBJECT, True, "", ""),
    _c("count", "人数", Kind.INT, True, "同时需要的教师数", "teachers needed at once"),
    _c("from_term", "开始学期", Kind.TERM, True, "如2026秋", "e.g. 2026-fall"),
    _c("to_term", "结束学期", Kind.TERM, True, "如2027春", "e.g. 2027-spring"),
    _c("priority", "优先级", Kind.INT, False, "1到5，默认1", "1 to 5, default 1"),
), "接收学校的学科缺口", "subject shortages at receiving schools")

PINS = Sheet("pins", "锁定", False, (
    _c("teacher_id", "教师编号", Kind.ID, True, "", ""),
    _c("school_id", "学校编号", Kind.ID, False, "接收学校；禁止交流时留空", "receiving school; empty with exclude"),
    _c("action", "操作", Kind.ACTION, True, "锁定/禁止/禁止交流", "pin/forbid/exclude"),
    _c("start_term", "开始学期", Kind.TERM, False, "锁定时的开始学期", "with pin: the start term"),
), "规划人员的锁定、禁止与排除", "planner pins, forbids and exclusions")

SETTINGS = Sheet("settings", "设置", False, (
    _c("key", "参数", Kind.TEXT, True, "参数名（中文或英文）", "setting key (Chinese or English)"),
    _c("value", "值", Kind.TEXT, False, "", ""),
), "覆盖默认规则参数", "overrides of the rule settings")

SHEETS: tuple[Sheet, ...] = (TEACHERS, SCHOOLS, LINKS, DEMAND, PINS, SETTINGS)
SHEET_BY_KEY = {s.key: s for s in SHEETS}


def sheet_for_name(name: str) -> Sheet | None:
    """The sheet a workbook tab or CSV file stem stands for, by its Chinese or English name."""
    key = str(name).strip().casefold()
    for sheet in SHEETS:
        if key in (sheet.key, sheet.zh):
            return sheet
    return None


# Registry templates mark required fields "*教师编号" or "教师编号（必填）" and wrap long headers.
_HEADER_MARKS = re.compile(r"^[*＊]+|[*＊]+$|[(（](?:必填|选填|required|optional)[)）]$", re.IGNORECASE)
_HEADER_SPACES = re.compile(r"[\s\u3000]+")


def header_key(header: str) -> str:
    """A header as compared: spaces, line breaks, a leading * and a trailing （必填）/(选填) removed."""
    text = _HEADER_SPACES.sub("", str(header))
    return _HEADER_MARKS.sub("", _HEADER_MARKS.sub("", text)).casefold()


def column_for_header(sheet: Sheet, header: str) -> Column | None:
    key = header_key(header)
    for column in sheet.columns:
        if key in (column.key, column.zh):
            return column
    return None
