"""The workbook contract (WORKBOOK.md) as data: sheets, their Chinese and English names, columns.

Reader, writer, template and validation messages all read this table, so a column is
added or renamed in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Kind(str, Enum):
    """How a cell is read."""

    ID = "id"
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    TERM = "term"
    #: a term (2025秋), or a date or month (2025-09, 2025年9月) read as the term it falls in
    TERM_OR_DATE = "term_or_date"
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
    ID_NUMBER = "id_number"
    ON_STAFF = "on_staff"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    kind: Kind
    required: bool
    zh_help: str
    en_help: str
    #: further headers registry exports use for this column (WORKBOOK.md "Rosters as the registry exports them")
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.key

    @property
    def names(self) -> tuple[str, ...]:
        """Every header that means this column: English key, Chinese name, aliases."""
        return (self.key, self.zh, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    required: bool
    columns: tuple[Column, ...]
    zh_help: str
    en_help: str
    #: further tab names that mean this sheet (花名册, 教职工 ...)
    aliases: tuple[str, ...] = ()
    #: columns read only to stand in for a missing one (学校名称 for 学校编号); no model field
    stand_ins: tuple[Column, ...] = ()
    #: (required column, the column that may stand in for it when it is missing)
    satisfied_by: tuple[tuple[str, str], ...] = ()

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.key

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def known_column(self, key: str) -> Column | None:
        """A column or stand-in of this sheet by key, None when there is none."""
        return next((c for c in (*self.columns, *self.stand_ins) if c.key == key), None)

    def stand_ins_for(self, key: str) -> tuple[str, ...]:
        return tuple(alt for required, alt in self.satisfied_by if required == key)


def _c(key: str, zh: str, kind: Kind, required: bool, zh_help: str = "", en_help: str = "",
       aliases: tuple[str, ...] = ()) -> Column:
    return Column(key, zh, kind, required, zh_help, en_help, aliases)


TEACHERS = Sheet("teachers", "教师", True, (
    _c("teacher_id", "教师编号", Kind.ID, True, "唯一编号", "unique id", ("工号", "人员编号", "教职工号")),
    _c("name", "姓名", Kind.TEXT, True, "教师姓名", "teacher's name", ("教师姓名",)),
    _c("gender", "性别", Kind.GENDER, False, "男/女", "M/F"),
    _c("birth_date", "出生日期", Kind.DATE, False, "日期，如1985-03-12", "a date, e.g. 1985-03-12",
       ("出生年月", "出生日期(yyyy-MM-dd)")),
    _c("school_id", "学校编号", Kind.ID, True, "所在学校，须在“学校”表中", "home school, must exist in schools",
       ("学校代码", "单位代码")),
    _c("subject", "学科", Kind.SUBJECT, True, "主教学科", "main subject",
       ("任教学科", "主教学科", "教授科目", "主教学科（只能选一门）")),
    _c("other_subjects", "兼教学科", Kind.SUBJECTS, False, "可兼教学科，用顿号或逗号分隔", "further subjects, separated by , or 、",
       ("兼任学科",)),
    _c("title", "职称", Kind.TITLE, False, "三级/二级/一级/高级/正高级", "third/second/first/senior/full-senior",
       ("专业技术职称", "现聘专业技术职称", "现聘职称")),
    _c("backbone", "骨干", Kind.BACKBONE, False, "是/否，或县级/市级/省级", "yes/no, or a level county/city/province",
       ("骨干教师", "骨干教师级别", "最高骨干教师级别", "是否是县级及以上骨干教师")),
    _c("years_at_school", "本校任教年限", Kind.INT, True, "在本校任教的整年数", "whole years at the current school"),
    _c("exemption", "免交流原因", Kind.TEXT, False, "填写即免交流（怀孕、哺乳期、重病、临近退休等）", "any text exempts the teacher"),
    _c("available_from", "可交流开始学期", Kind.TERM, False, "如2026秋", "e.g. 2026-fall"),
    _c("available_to", "可交流结束学期", Kind.TERM, False, "如2027春", "e.g. 2027-spring"),
    _c("preferences", "志愿学校", Kind.IDS, False, "按志愿顺序填写接收学校编号", "ranked receiving school ids"),
    _c("spouse_id", "配偶编号", Kind.ID, False, "同为教师的配偶的教师编号", "teacher_id of a spouse in the roster"),
    _c("team_id", "团队编号", Kind.ID, False, "同一团队编号的教师组团派出", "teachers sharing it go together"),
    _c("seeking_promotion", "拟申报高级职称", Kind.YES_NO, False, "是/否", "yes/no"),
    _c("id_number", "身份证号", Kind.ID_NUMBER, False, "18位居民身份证号（校验末位；缺出生日期、性别时由此得出）",
       "18-character resident ID (check digit verified; gives birth date and gender when missing)",
       ("身份证件号", "身份证号码")),
    _c("joined_school", "进本校年月", Kind.DATE, False, "来本校的年月；缺本校任教年限时由此算到规划首学期",
       "when the teacher came to the school; gives years_at_school up to the horizon's first term",
       ("来校时间", "进入现单位任教时间", "入现单位时间")),
    _c("started_work", "参加工作年月", Kind.DATE, False, "", "", ("参加工作时间",)),
    _c("status", "在岗状态", Kind.TEXT, False, "在岗；产假、病休、借调等非在岗状态免交流",
       "在岗 = at work; any other status (maternity leave, sick leave, seconded ...) exempts", ("人员状态",)),
    _c("on_staff", "是否在编", Kind.ON_STAFF, False, "是/否；否 = 非在编，不参加交流", "yes/no; no = not on the staff, not eligible"),
    _c("post", "职务", Kind.TEXT, False, "校长、副校长、书记、中层等", "head, deputy head, party secretary ...", ("现任职务",)),
), "在编教师名册，每行一名教师", "the roster, one teacher a row",
    ("教师名册", "教师信息", "花名册", "教职工"),
    (Column("school_name", "学校名称", Kind.TEXT, False, "所在学校名称，须与“学校”表的学校名称一致",
            "the school's name as in the schools sheet", ("现任教学校", "所在学校", "单位名称")),),
    (("school_id", "school_name"), ("years_at_school", "joined_school")))

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
    _c("district", "学区", Kind.TEXT, False, "所属学区（片区、集团）；比例范围=学区时按学区计交流比例",
       "the school's district (group); the quota's unit when quota_scope = district", ("片区", "集团", "教育集团")),
), "全部派出与接收学校", "every sending and receiving school", ("学校信息", "学校名单"))

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
    _c("terms", "交流学期数", Kind.INT, False, "此需求一次交流的学期数（如支教1个学期），空=按设置",
       "placement length in terms for this need (e.g. 1 for a one-term 支教); empty = the setting"),
    _c("form", "交流方式", Kind.TEXT, False, "定期交流、支教、走教、跟岗、组团式等，写入导出",
       "定期交流, 支教, 走教, 跟岗, 组团式 ..., written to the exports"),
), "接收学校的学科缺口", "subject shortages at receiving schools", ("岗位需求", "交流岗位"))

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

#: Past placements. A finished plan's 派出安排 (placements) sheet copied in is read as it is: its
#: 接收学校编号 / 接收学校 / 开始学期 / 结束学期 / 学期数 are aliases here, its other columns pass through.
#: A planning workbook never holds an output 派出安排 sheet, so that tab name is free to mean history.
HISTORY = Sheet("history", "交流记录", False, (
    _c("teacher_id", "教师编号", Kind.ID, True, "名册中的教师（不在名册中只提示：可能已退休或调离）",
       "a teacher of the roster (an id not in it is only a warning: people retire)", ("工号", "人员编号")),
    _c("host_school_id", "交流学校编号", Kind.ID, False, "交流去的学校（可不在“学校”表中）",
       "the school they went to (may be missing from schools)", ("接收学校编号", "交流轮岗单位代码", "school_id")),
    _c("host_school", "交流学校", Kind.TEXT, False, "交流学校名称（无编号时）", "its name, when there is no id",
       ("接收学校", "交流轮岗单位名称", "交流轮岗单位", "school_name")),
    _c("from_term", "开始学期", Kind.TERM_OR_DATE, True, "如2025秋，或开始年月如2025-09",
       "e.g. 2025-fall, or a month such as 2025-09", ("开始年月", "start_term")),
    _c("to_term", "结束学期", Kind.TERM_OR_DATE, True, "如2026春，或结束年月如2026-07；无此列时按学期数",
       "e.g. 2026-spring, or a month such as 2026-07; without it, from 学期数", ("结束年月", "end_term")),
    _c("terms", "学期数", Kind.INT, False, "交流的学期数（无结束学期时用）", "length in terms (used without to_term)"),
    _c("form", "交流方式", Kind.TEXT, False, "定期交流、支教、走教、跟岗等", "定期交流, 支教, 走教, 跟岗 ...",
       ("交流轮岗类型",)),
), "以往的交流经历（上一年方案的“派出安排”表可直接复制为本表）",
    "past placements (a previous plan's 派出安排 sheet may be copied in as it is)",
    ("交流历史", "交流轮岗记录", "派出安排", "placements"),
    satisfied_by=(("to_term", "terms"),))

SHEETS: tuple[Sheet, ...] = (TEACHERS, SCHOOLS, LINKS, DEMAND, PINS, SETTINGS, HISTORY)
SHEET_BY_KEY = {s.key: s for s in SHEETS}


def sheet_for_name(name: str) -> Sheet | None:
    """The sheet a workbook tab or CSV file stem stands for, by its Chinese or English name or an alias."""
    key = str(name).strip().casefold()
    for sheet in SHEETS:
        if key in (sheet.key, sheet.zh, *sheet.aliases):
            return sheet
    return None


# Registry templates mark required fields "*教师编号" or "教师编号（必填）" and wrap long headers.
_HEADER_MARKS = re.compile(r"^[*＊]+|[*＊]+$|[(](?:必填|选填|required|optional)[)]$", re.IGNORECASE)
_HEADER_SPACES = re.compile(r"[\s\u3000]+")
_FULL_WIDTH_PARENS = str.maketrans("（）", "()")
#: headers that are never data: the row counter registry exports put first
IGNORED_HEADERS = frozenset({"序号"})


def header_key(header: str) -> str:
    """A header as compared: spaces (full-width too), line breaks, a leading * and a trailing
    （必填）/(选填) removed, full-width brackets folded, case folded."""
    text = _HEADER_SPACES.sub("", str(header)).translate(_FULL_WIDTH_PARENS)
    return _HEADER_MARKS.sub("", _HEADER_MARKS.sub("", text)).casefold()


@lru_cache(maxsize=64)
def _lookup(sheet: Sheet) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for column in (*sheet.columns, *sheet.stand_ins):
        for name in column.names:
            table.setdefault(header_key(name), column)
    return table


def column_for_header(sheet: Sheet, header: str) -> Column | None:
    """The column (or stand-in) a header names, by key, Chinese name or alias."""
    return _lookup(sheet).get(header_key(header))
