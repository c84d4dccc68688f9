"""Closed vocabularies of the workbook, each with the spellings planners use for it."""

from __future__ import annotations

from enum import Enum


class Vocabulary(str, Enum):
    """An enum whose members carry a Chinese label, an English label and accepted spellings."""

    def __new__(cls, value: str, zh: str, en: str, *aliases: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.en = en
        member.aliases = tuple(a.casefold() for a in (value, zh, en, *aliases))
        return member

    @classmethod
    def parse(cls, text: str):
        if isinstance(text, cls):
            return text
        key = str(text).strip().casefold()
        for member in cls:
            if key in member.aliases:
                return member
        raise ValueError(text)

    @classmethod
    def choices(cls, lang: str = "zh") -> str:
        return "/".join(m.zh if lang == "zh" else m.en for m in cls)

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


class Gender(Vocabulary):
    MALE = ("M", "男", "M", "male", "m")
    FEMALE = ("F", "女", "F", "female", "f")


class Locality(Vocabulary):
    URBAN = ("urban", "城区", "urban", "城市", "城镇")
    TOWN = ("town", "镇区", "town", "鎮區", "乡镇", "鄉鎮")
    RURAL = ("rural", "乡村", "rural", "鄉村", "农村", "農村")


class Stage(Vocabulary):
    KINDERGARTEN = ("kindergarten", "幼儿园", "kindergarten", "幼兒園", "学前")
    PRIMARY = ("primary", "小学", "primary", "小學")
    JUNIOR = ("junior", "初中", "junior", "junior high")
    SENIOR = ("senior", "高中", "senior", "senior high")
    NINE_YEAR = ("nine-year", "九年一贯制", "nine-year", "九年一貫制", "九年制", "nine year")


class Title(Vocabulary):
    """The unified titles (2015 reform); the old 中学/小学 titles map onto them (中学高级 → 高级,
    小学高级 → 一级, 小学一级 → 二级, 小学二级/三级 → 三级)."""

    THIRD = ("third", "三级", "third", "三級", "三级教师", "中学三级", "中学三级教师", "中小学三级教师",
             "小学二级", "小学二级教师", "小学三级", "小学三级教师")
    SECOND = ("second", "二级", "second", "二級", "二级教师", "中学二级", "中学二级教师", "中小学二级教师",
              "小学一级", "小学一级教师")
    FIRST = ("first", "一级", "first", "一級", "一级教师", "中学一级", "中学一级教师", "中小学一级教师",
             "小学高级", "小学高级教师")
    SENIOR = ("senior", "高级", "senior", "高級", "高级教师", "中学高级", "中学高级教师", "中小学高级教师")
    FULL_SENIOR = ("full-senior", "正高级", "full senior", "正高級", "正高级教师", "中小学正高级教师",
                   "中学正高级教师")


#: 职称 cells that mean "no title yet": read as not given.
NO_TITLE = frozenset({"无", "未定级", "未评", "未评定", "见习期", "试用期"})


class BackboneLevel(Vocabulary):
    COUNTY = ("county", "县级", "county", "縣級", "区级", "區級", "县级骨干", "区级骨干", "县级骨干教师",
              "区级骨干教师", "县骨干")
    CITY = ("city", "市级", "city", "市級", "市级骨干", "市级骨干教师", "市骨干")
    PROVINCE = ("province", "省级", "province", "省級", "省级骨干", "省级骨干教师", "省骨干")
    #: 名师 and its kin (WORKBOOK.md 骨干认定 名师: 名师/特级教师/学科带头人/教学能手).
    MASTER = ("master", "名师", "master teacher", "特级教师", "学科带头人", "教学能手")


#: 骨干 cells that mean "not a backbone teacher" besides 否/no.
NOT_BACKBONE = frozenset({"无", "非骨干", "不是", "—", "-"})


class PinAction(Vocabulary):
    PIN = ("pin", "锁定", "pin", "鎖定", "lock")
    FORBID = ("forbid", "禁止", "forbid")
    EXCLUDE = ("exclude", "禁止交流", "exclude", "不交流")


class PairingMode(Vocabulary):
    STRICT = ("strict", "严格", "strict", "仅结对", "嚴格")
    PREFER = ("prefer", "优先", "prefer", "優先", "结对优先")
    ANY = ("any", "不限", "any")


class BackboneBase(Vocabulary):
    """What the backbone share is a share of (骨干比例基数, WORKBOOK.md)."""

    ROTATED = ("rotated", "交流总数", "rotated", "交流人数", "all rotated")
    QUOTA = ("quota", "应交流数", "quota", "应交流人数")
    ELIGIBLE = ("eligible", "符合条件数", "eligible", "符合条件人数", "符合交流条件教师数")


class BackboneCount(Vocabulary):
    """Who counts as backbone for the share (骨干认定, WORKBOOK.md): any listed item applies."""

    BACKBONE = ("backbone", "骨干", "backbone", "骨干教师")
    MASTER = ("master", "名师", "master teacher", "master")
    FULL_SENIOR = ("full-senior", "正高级", "full senior", "正高級")
    SENIOR = ("senior", "高级", "senior", "高級")
    FIRST = ("first", "一级", "first", "一級")


class QuotaScope(Vocabulary):
    """Where the quota and the backbone share are counted (比例范围, WORKBOOK.md)."""

    SCHOOL = ("school", "学校", "school", "每校", "按学校")
    DISTRICT = ("district", "学区", "district", "片区", "集团", "按学区")
    COUNTY = ("county", "区县", "county", "县", "全县", "按区县")


_YES = {"是", "y", "yes", "true", "1", "对", "√", "✓", "t"}
_NO = {"否", "n", "no", "false", "0", "不", "×", "f"}


def parse_yes_no(text: str) -> bool:
    """是/否, Y/N, yes/no, true/false, 1/0 (also 1.0 as spreadsheets write it); ValueError otherwise."""
    key = str(text).strip().casefold()
    if key in ("1.0",):
        return True
    if key in ("0.0",):
        return False
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(text)
