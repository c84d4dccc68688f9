"""Turn a TOML scenario into a realistic, reproducible planning `Case`.

Everything random comes from one `random.Random(seed)` and every loop runs over lists in
a fixed order, so the same scenario and scale always give the same case. Rows are built
as plain dicts and turned into (validated) pydantic objects once, at the end; validation
costs about 2 µs a teacher, so a 100,000-teacher case still takes only seconds.

Order of the steps matters because later ones read earlier ones: the needs are drawn from
what the linked sending schools' eligible teachers can teach, so the 10 % quota is
reachable under strict pairing for most schools, and pins point at real needs.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Callable

from scheduler.domain import (
    BackboneLevel, Case, Demand, Gender, Link, Locality, Pin, PinAction, School, Settings, Stage,
    Teacher, Term, Title, settings_from,
)
from scheduler.domain.subjects import ARTS
from scheduler.plan import Plan

from .names import NameDrawer, chinese_number, village_name
from .next_year import next_year_case
from .registry import ON_DUTY, REGISTRY_KEYS, registry_fields
from .scenario import County, Program, Scenario, TeacherMix, load_scenario

# --- what schools teach -------------------------------------------------------------------

# Teachers per 100 of a stage, by main subject (national staffing patterns, rounded).
_PRIMARY = {"语文": 30, "数学": 25, "英语": 9, "科学": 5, "道德与法治": 5, "信息技术": 3,
            "音乐": 6, "体育": 7, "美术": 5, "心理健康": 1, "综合实践": 2, "书法": 1}
_JUNIOR = {"语文": 14, "数学": 14, "英语": 13, "物理": 7, "化学": 5, "生物": 5, "历史": 6, "地理": 5,
           "道德与法治": 6, "信息技术": 4, "音乐": 4, "体育": 8, "美术": 4, "心理健康": 1, "劳动": 1}
_SENIOR = {"语文": 13, "数学": 13, "英语": 12, "物理": 9, "化学": 7, "生物": 7, "历史": 6, "地理": 6,
           "道德与法治": 6, "信息技术": 3, "通用技术": 2, "音乐": 3, "体育": 7, "美术": 3, "心理健康": 1}
_KINDERGARTEN = {"学前教育": 94, "音乐": 3, "美术": 2, "体育": 1}
_NINE_YEAR = {s: 0.6 * _PRIMARY.get(s, 0) + 0.4 * _JUNIOR.get(s, 0) for s in {**_PRIMARY, **_JUNIOR}}

SUBJECT_MIX: dict[Stage, dict[str, float]] = {
    Stage.KINDERGARTEN: _KINDERGARTEN, Stage.PRIMARY: _PRIMARY, Stage.JUNIOR: _JUNIOR,
    Stage.SENIOR: _SENIOR, Stage.NINE_YEAR: dict(sorted(_NINE_YEAR.items())),
}

# Rural schools have far fewer music/PE/art teachers than their timetable needs (音体美短缺).
_ARTS_STAFFING = {Locality.URBAN: 1.0, Locality.TOWN: 0.6, Locality.RURAL: 0.35}

# A second subject (兼教) a teacher of the main subject plausibly covers.
_SECOND_SUBJECTS = {
    "语文": ("美术", "书法", "道德与法治", "音乐"), "数学": ("信息技术", "科学", "体育"),
    "英语": ("音乐", "美术"), "科学": ("信息技术", "劳动"), "体育": ("劳动", "心理健康", "科学"),
    "音乐": ("美术",), "美术": ("书法", "劳动"), "道德与法治": ("历史", "心理健康"),
    "物理": ("通用技术", "信息技术"), "化学": ("生物",), "生物": ("地理", "化学"),
    "历史": ("道德与法治", "地理"), "地理": ("历史",), "信息技术": ("通用技术", "数学"),
    "学前教育": ("音乐", "美术"),
}

# Which receiving stages a sending school of a stage serves (stage fit; 九年一贯制 spans both).
_SERVES = {
    Stage.KINDERGARTEN: (Stage.KINDERGARTEN,), Stage.PRIMARY: (Stage.PRIMARY, Stage.NINE_YEAR),
    Stage.JUNIOR: (Stage.JUNIOR, Stage.NINE_YEAR), Stage.SENIOR: (Stage.SENIOR,),
    Stage.NINE_YEAR: (Stage.PRIMARY, Stage.JUNIOR, Stage.NINE_YEAR),
}

_FEMALE_SHARE = {Stage.KINDERGARTEN: 0.97, Stage.PRIMARY: 0.78, Stage.NINE_YEAR: 0.68,
                 Stage.JUNIOR: 0.62, Stage.SENIOR: 0.52}

# Age bands (low, high, weight). Rural staff is older, with a wave of young 特岗 recruits.
_AGES_URBAN = ((23, 29, 14), (30, 39, 30), (40, 49, 31), (50, 54, 14), (55, 59, 11))
_AGES_RURAL = ((23, 29, 22), (30, 39, 20), (40, 49, 24), (50, 54, 17), (55, 59, 17))
_AGE_TABLES = {urban: (bands, list(accumulate(b[2] for b in bands)))
               for urban, bands in ((True, _AGES_URBAN), (False, _AGES_RURAL))}

# Titles follow age: (youngest age of the band, ((title, weight), ...)).
_TITLES_BY_AGE = (
    (52, ((Title.FIRST, 40), (Title.SENIOR, 56), (Title.FULL_SENIOR, 4))),
    (42, ((Title.SECOND, 6), (Title.FIRST, 52), (Title.SENIOR, 42))),
    (35, ((Title.SECOND, 15), (Title.FIRST, 70), (Title.SENIOR, 15))),
    (30, ((Title.SECOND, 45), (Title.FIRST, 55))),
    (25, ((Title.THIRD, 5), (Title.SECOND, 85), (Title.FIRST, 10))),
    (0, ((Title.THIRD, 50), (Title.SECOND, 50))),
)
_TITLE_TABLES = [(youngest, [t for t, _ in table], list(accumulate(w for _, w in table)))
                 for youngest, table in _TITLES_BY_AGE]
# Backbone teachers are mostly 一级 and 高级; a 三级 novice never is one.
_BACKBONE_BY_TITLE = {Title.THIRD: 0.0, Title.SECOND: 0.5, Title.FIRST: 1.0, Title.SENIOR: 1.5,
                      Title.FULL_SENIOR: 3.0}
_BACKBONE_LEVELS = ((BackboneLevel.COUNTY, 55), (BackboneLevel.CITY, 30), (BackboneLevel.PROVINCE, 8), (None, 7))
_LEVELS = [lv for lv, _ in _BACKBONE_LEVELS]
_LEVEL_WEIGHTS = list(accumulate(w for _, w in _BACKBONE_LEVELS))

_RECEIVING = (Locality.TOWN, Locality.RURAL)


# --- working rows -------------------------------------------------------------------------

@dataclass
class _School:
    index: int
    school_id: str
    name: str
    county: str
    locality: Locality
    stage: Stage
    priority: int
    lon: float
    lat: float
    poor: bool
    teachers: list[int] = field(default_factory=list)
    host_capacity: int | None = None
    district: str | None = None


@dataclass
class _Draft:
    """The case under construction; teachers are dicts of Teacher fields (spouse as an index)."""

    scenario: Scenario
    rules: Settings
    rng: random.Random
    terms: list[Term]
    schools: list[_School] = field(default_factory=list)
    teachers: list[dict] = field(default_factory=list)
    counties: list[tuple[str, County, int]] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    #: lead school index → member school indices (in link order)
    members_of: dict[int, list[int]] = field(default_factory=dict)
    #: (school index, subject, first term ordinal, last term ordinal) → teachers needed at once
    needs: Counter = field(default_factory=Counter)
    #: (lead, member) → placements a school year the needs drawn for this link can take
    planned: Counter = field(default_factory=Counter)
    #: (lead, member) → needs of the link that last the whole horizon (every year has one)
    planned_whole: Counter = field(default_factory=Counter)
    #: same keys as `needs` → priority 1-5
    need_priority: dict = field(default_factory=dict)
    #: keys of the one-term needs (a window of one term, shorter than any ordinary placement)
    one_term: set = field(default_factory=set)
    #: dicts of Pin fields, the teacher as an index
    pins: list[dict] = field(default_factory=list)
    teams: int = 0
    #: schools a team is bound for: their beds must hold the whole team
    team_hosts: set = field(default_factory=set)

    @property
    def reference_date(self) -> date:
        first = self.terms[0]
        return date(first.year, 9, 1) if first.season == "fall" else date(first.year, 2, 20)

    def eligible(self, teacher: dict) -> bool:
        """In the quota's base (符合交流条件): long enough at the school, not exempt, under any age cap;
        in a registry roster also 在岗 (no leave or secondment) and 在编 (on the permanent staff)."""
        rules = self.rules
        cap = rules.max_age_female if teacher["gender"] is Gender.FEMALE else rules.max_age_male
        return (teacher["years_at_school"] >= rules.min_years and not teacher["exemption"]
                and (cap is None or teacher["age"] <= cap)
                and teacher.get("status") in (None, ON_DUTY) and teacher.get("on_staff") is not False)


# --- entry point --------------------------------------------------------------------------

#: solves a case with its own settings (the caller's solver: samples sit beside the model, not above it)
Solver = Callable[[Case], Plan]


def generate_case(scenario_path: Path, scale: int = 1, solve_previous: Solver | None = None) -> Case:
    """The case a scenario describes; `scale` = N repeats its counties N times (names suffixed ·2, ·3...).

    A scenario with `[previous]` is a later year of another seed: that seed's case is generated
    and solved by `solve_previous`, and its plan becomes this case's 交流记录 (`next_year`).
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    scenario_path = Path(scenario_path)
    scenario = load_scenario(scenario_path)
    info = scenario.scenario
    if scenario.previous is not None:
        if solve_previous is None:
            raise ValueError(f"{scenario_path.name} starts from the plan of {scenario.previous.seed}: "
                             "a solver for it is needed (solve_previous)")
        earlier_path = scenario_path.parent / scenario.previous.seed
        if load_scenario(earlier_path).previous is not None:
            raise ValueError(f"{scenario.previous.seed} is itself a later year: name the first year's seed")
        earlier = generate_case(earlier_path, scale)
        return next_year_case(earlier, solve_previous(earlier), scenario)
    terms = [info.first_term.shift(i) for i in range(info.horizon_terms)]
    settings = {"horizon_from": terms[0].label(), "horizon_to": terms[-1].label(), **scenario.settings}
    draft = _Draft(scenario, settings_from(settings), random.Random(info.seed), terms)
    draft.counties = _replicate(scenario.counties, scale)

    _build_schools(draft)
    _build_teachers(draft)
    if scenario.roster.registry:
        registry_fields(draft)
    _pair_spouses(draft)
    _set_availability(draft)
    _build_links(draft)
    _form_teams(draft)
    _draw_needs(draft)
    _rank_needs(draft)
    _set_host_capacity(draft)
    _set_link_limits(draft)
    _draw_preferences(draft)
    _draw_pins(draft)
    return _assemble(draft, settings)


def _replicate(counties: list[County], scale: int) -> list[tuple[str, County, int]]:
    """(display name, county, replica) for every copy; the first copy keeps the plain name."""
    return [(c.name if r == 1 else f"{c.name}·{r}", c, r) for r in range(1, scale + 1) for c in counties]


# --- schools ------------------------------------------------------------------------------

def _build_schools(draft: _Draft) -> None:
    plan = [(name, county, replica, locality, stage, count)
            for name, county, replica in draft.counties
            for locality, stage, count in county.school_counts()]
    total = sum(row[-1] for row in plan)
    width = max(4, len(str(total)))
    namer = _SchoolNamer(draft.rng)
    for display, county, replica, locality, stage, count in plan:
        for _ in range(count):
            index = len(draft.schools)
            lon, lat = _place(draft.rng, county, locality)
            draft.schools.append(_School(
                index=index, school_id=f"S{index + 1:0{width}d}",
                name=namer.name(county, replica, locality, stage),
                county=display, locality=locality, stage=stage,
                priority=_school_priority(draft.rng, county, locality),
                lon=lon, lat=lat, poor=county.poor,
                district=_district(county, replica, lon, lat),
            ))


def _district(county: County, replica: int, lon: float, lat: float) -> str | None:
    """The 学区 of a school: the sector of the county (seen from the seat) it lies in; no draw."""
    if not county.districts:
        return None
    lon0, lat0 = county.center
    angle = math.atan2(lat - lat0, (lon - lon0) * math.cos(math.radians(lat0))) % (2 * math.pi)
    sector = min(len(county.districts) - 1, int(angle / (2 * math.pi) * len(county.districts)))
    return county.districts[sector] + ("" if replica == 1 else f"·{replica}")


def _school_priority(rng: random.Random, county: County, locality: Locality) -> int:
    if locality is Locality.URBAN:
        return 1
    low, high = county.priority
    middle = (low + high + 1) // 2
    # Village schools are the harder-to-staff end of a county's range.
    return rng.randint(low, middle) if locality is Locality.TOWN else rng.randint(middle, high)


def _place(rng: random.Random, county: County, locality: Locality) -> tuple[float, float]:
    lon0, lat0 = county.center
    radius = 4.0 if locality is Locality.URBAN else county.radius_km
    distance = radius * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    lat = lat0 + distance * math.sin(angle) / 111.0
    lon = lon0 + distance * math.cos(angle) / (111.0 * math.cos(math.radians(lat0)))
    return round(lon, 4), round(lat, 4)


# What a school is called after its place name, by locality and stage.
_URBAN_KIND = {Stage.PRIMARY: "小学", Stage.JUNIOR: "中学", Stage.SENIOR: "中学",
               Stage.KINDERGARTEN: "幼儿园", Stage.NINE_YEAR: "学校"}
_TOWN_KIND = {Stage.PRIMARY: "中心小学", Stage.JUNIOR: "中学", Stage.SENIOR: "中学",
              Stage.KINDERGARTEN: "中心幼儿园", Stage.NINE_YEAR: "九年制学校"}
_RURAL_KIND = {Stage.PRIMARY: "小学", Stage.JUNIOR: "中学", Stage.SENIOR: "中学",
               Stage.KINDERGARTEN: "幼儿园", Stage.NINE_YEAR: "学校"}


class _SchoolNamer:
    """Plausible, unique school names: 平城区第三小学, 广灵县南村镇中心小学, 灵丘县上寨镇王家庄小学."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._used: set[str] = set()
        self._numbers: Counter = Counter()
        self._towns: dict[tuple[str, int], list[str]] = {}

    def name(self, county: County, replica: int, locality: Locality, stage: Stage) -> str:
        key = (county.name, replica)  # each copy of a county numbers its schools afresh
        if locality is Locality.URBAN or (locality is Locality.TOWN and stage is Stage.SENIOR):
            place, kind = self._numbered(key, stage)
        elif locality is Locality.TOWN:
            place, kind = self._town(key, county), _TOWN_KIND[stage]
        else:
            place, kind = self._village(key, county, stage)
        suffix = "" if replica == 1 else f"·{replica}"
        return self._unique(county.name + place, kind, suffix)

    def _numbered(self, key: tuple[str, int], stage: Stage) -> tuple[str, str]:
        # Senior and junior high schools share one numbering (第一中学 is usually the senior one).
        series = "中学" if stage in (Stage.JUNIOR, Stage.SENIOR) else _URBAN_KIND[stage]
        self._numbers[key, series] += 1
        number = self._numbers[key, series]
        if stage in (Stage.PRIMARY, Stage.KINDERGARTEN, Stage.NINE_YEAR) and number == 1:
            return "实验", _URBAN_KIND[stage]
        shown = number - 1 if stage in (Stage.PRIMARY, Stage.KINDERGARTEN, Stage.NINE_YEAR) else number
        return f"第{chinese_number(shown)}", _URBAN_KIND[stage]

    def _town(self, key: tuple[str, int], county: County) -> str:
        towns = self._towns.setdefault(key, [])
        if not towns:
            towns.extend(county.towns)
            self._rng.shuffle(towns)
        return towns.pop()

    def _village(self, key: tuple[str, int], county: County, stage: Stage) -> tuple[str, str]:
        town = self._rng.choice(county.towns)
        if county.village_names == "numbered":
            # The town's 中心小学 is its first school, so village schools start at 第二.
            self._numbers[key, town, stage] += 1
            return f"{town}第{chinese_number(self._numbers[key, town, stage] + 1)}", _RURAL_KIND[stage]
        return town + village_name(self._rng), _RURAL_KIND[stage]

    def _unique(self, place: str, kind: str, suffix: str) -> str:
        name, ordinal = place + kind + suffix, 1
        while name in self._used:
            ordinal += 1
            name = f"{place}第{chinese_number(ordinal)}{kind}{suffix}"
        self._used.add(name)
        return name


# --- teachers -----------------------------------------------------------------------------

class _SubjectDrawer:
    """Main subjects by stage and locality, with rural schools short of music, PE and art."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._tables: dict[tuple[Stage, Locality], tuple[list[str], list[float]]] = {}
        for stage, mix in SUBJECT_MIX.items():
            for locality, arts in _ARTS_STAFFING.items():
                subjects = list(mix)
                weights = [mix[s] * (arts if s in ARTS else 1.0) for s in subjects]
                self._tables[stage, locality] = (subjects, list(accumulate(weights)))

    def main(self, stage: Stage, locality: Locality) -> str:
        subjects, cumulative = self._tables[stage, locality]
        return self._rng.choices(subjects, cum_weights=cumulative)[0]

    def second(self, main: str, stage: Stage) -> tuple[str, ...]:
        options = [s for s in _SECOND_SUBJECTS.get(main, ()) if SUBJECT_MIX[stage].get(s)]
        return (self._rng.choice(options),) if options else ()


def _build_teachers(draft: _Draft) -> None:
    rng, mix = draft.rng, draft.scenario.teachers
    names = NameDrawer(rng, draft.scenario.names.surname_boost)
    subjects = _SubjectDrawer(rng)
    staffed = {name for name, county, _ in draft.counties if county.staffed}
    for school in draft.schools:
        if school.county not in staffed:
            continue
        low, high = draft.scenario.staff.size(school.locality, school.stage)
        for _ in range(rng.randint(low, high)):
            school.teachers.append(len(draft.teachers))
            draft.teachers.append(_draw_teacher(draft, school, names, subjects, mix))


def _draw_teacher(draft: _Draft, school: _School, names: NameDrawer, subjects: _SubjectDrawer,
                  mix: TeacherMix) -> dict:
    rng = draft.rng
    subject = subjects.main(school.stage, school.locality)
    female = rng.random() < _female_share(school.stage, subject)
    age = _draw_age(rng, school.locality)
    title = _draw_title(rng, age)
    rural = school.locality is Locality.RURAL
    other = subjects.second(subject, school.stage) if rng.random() < mix.other_subjects * (1.5 if rural else 1.0) else ()
    backbone, level = _draw_backbone(rng, mix.backbone.get(school.locality, 0.0), age, title)
    # Drawn only when the seed asks for 学科带头人, so older seeds keep their random stream.
    if backbone and mix.masters > 0 and rng.random() < mix.masters:
        level = BackboneLevel.MASTER
    return {
        "name": names.name(female),
        "school": school.index,
        "subject": subject,
        "other_subjects": other,
        "gender": Gender.FEMALE if female else Gender.MALE,
        "birth_date": _birth_date(rng, draft.reference_date, age),
        "age": age,  # at the start of the horizon; only for eligibility, not a Teacher field
        "years_at_school": _draw_years(rng, age, draft.rules.min_years, mix.long_tenure),
        "title": title,
        "backbone": backbone,
        "backbone_level": level,
        "exemption": _draw_exemption(rng, mix, age, female),
        "seeking_promotion": (school.locality is Locality.URBAN and title is Title.FIRST and age >= 30
                              and rng.random() < mix.seeking_promotion),
        "available_from": None, "available_to": None, "preferences": (), "spouse": None, "team_id": None,
    }


def _female_share(stage: Stage, subject: str) -> float:
    if subject == "体育":
        return _FEMALE_SHARE[stage] * 0.5
    return _FEMALE_SHARE[stage]


def _draw_age(rng: random.Random, locality: Locality) -> int:
    bands, cumulative = _AGE_TABLES[locality is Locality.URBAN]
    low, high, _ = rng.choices(bands, cum_weights=cumulative)[0]
    return rng.randint(low, high)


def _birth_date(rng: random.Random, reference: date, age: int) -> date:
    # The latest birthday that still gives `age` at the reference date, minus up to a year.
    latest = reference.replace(year=reference.year - age)
    return latest - timedelta(days=rng.randrange(365))


def _draw_years(rng: random.Random, age: int, min_years: int, long_share: float) -> int:
    career = max(1, age - 22)
    if career >= min_years and rng.random() < long_share:
        # Long tenures thin out: many have 6-12 years at a school, few have 25.
        return min(career, min_years + int(rng.expovariate(1 / 6)))
    return rng.randint(0, min(min_years - 1, career))


def _draw_title(rng: random.Random, age: int) -> Title:
    for youngest, titles, cumulative in _TITLE_TABLES:
        if age >= youngest:
            return rng.choices(titles, cum_weights=cumulative)[0]
    raise AssertionError("unreachable: the last band starts at 0")


def _draw_backbone(rng: random.Random, share: float, age: int, title: Title) -> tuple[bool, BackboneLevel | None]:
    if age < 28 or rng.random() >= min(1.0, share * _BACKBONE_BY_TITLE[title]):
        return False, None
    level = rng.choices(_LEVELS, cum_weights=_LEVEL_WEIGHTS)[0]
    return True, level


def _draw_exemption(rng: random.Random, mix: TeacherMix, age: int, female: bool) -> str | None:
    if age >= 57 and rng.random() < mix.near_retirement:
        return "距退休不足3年"
    if female and 24 <= age <= 38:
        roll = rng.random()
        if roll < mix.pregnancy:
            return "怀孕"
        if roll < mix.pregnancy + mix.breastfeeding:
            return "哺乳期"
    if rng.random() < mix.illness:
        return rng.choice(("重病", "重病（住院治疗）", "大病康复期"))
    return None


def _pair_spouses(draft: _Draft) -> None:
    """Couples who both teach in the same county; the husband is usually a year or two older."""
    rng = draft.rng
    by_county: dict[str, list[int]] = defaultdict(list)
    for school in draft.schools:
        by_county[school.county].extend(school.teachers)
    for county, _, _ in draft.counties:
        members = by_county[county]
        pairs = round(draft.scenario.teachers.spouses * len(members) / 2)
        women = [t for t in members if draft.teachers[t]["gender"] is Gender.FEMALE]
        men_by_year: dict[int, list[int]] = defaultdict(list)
        for t in members:
            if draft.teachers[t]["gender"] is Gender.MALE:
                men_by_year[draft.teachers[t]["birth_date"].year].append(t)
        for bucket in men_by_year.values():
            rng.shuffle(bucket)
        rng.shuffle(women)
        for wife in women:
            if pairs == 0:
                break
            year = draft.teachers[wife]["birth_date"].year
            for offset in (-1, -2, 0, -3, 1, 2, -4):
                bucket = men_by_year.get(year + offset)
                if bucket:
                    husband = bucket.pop()
                    draft.teachers[wife]["spouse"] = husband
                    draft.teachers[husband]["spouse"] = wife
                    pairs -= 1
                    break


def _set_availability(draft: _Draft) -> None:
    """A few urban teachers can only go later (毕业班 this year) or only in the first period."""
    period = draft.rules.placement_terms
    if len(draft.terms) < 2 * period:
        return
    rng, share = draft.rng, draft.scenario.teachers.availability_window
    for school in draft.schools:
        if school.locality is not Locality.URBAN:
            continue
        for t in school.teachers:
            teacher = draft.teachers[t]
            if teacher["exemption"] or rng.random() >= share:
                continue
            if rng.random() < 0.6:
                teacher["available_from"] = draft.terms[period]
            else:
                teacher["available_to"] = draft.terms[period - 1]


# --- links --------------------------------------------------------------------------------

def _build_links(draft: _Draft) -> None:
    for number, program in enumerate(draft.scenario.programs):
        for replica in sorted({r for _, _, r in draft.counties}):
            for leads, members in _program_groups(draft, program, replica):
                _link_group(draft, number, leads, members)


def _program_groups(draft: _Draft, program: Program, replica: int) -> list[tuple[list[_School], list[_School]]]:
    """(lead schools, member schools) groups the program pairs within one replica of the counties."""
    display = {c.name: name for name, c, r in draft.counties if r == replica}

    def schools(counties: list[str], localities: tuple[Locality, ...]) -> list[_School]:
        wanted = {display[c] for c in counties}
        return [s for s in draft.schools if s.county in wanted and s.locality in localities
                and (not program.stages or s.stage in program.stages)]

    if program.within_county:
        return [(schools([c], (Locality.URBAN,)), schools([c], _RECEIVING)) for c in program.leads]
    return [(schools(program.leads, (Locality.URBAN,)), schools(program.members, _RECEIVING))]


def _link_group(draft: _Draft, number: int, leads: list[_School], members: list[_School]) -> None:
    """Each lead takes 2-4 (or as set) stage-fitting members, least-used first; no member is left out."""
    rng, program = draft.rng, draft.scenario.programs[number]
    leads, members = leads[:], members[:]
    rng.shuffle(leads)
    rng.shuffle(members)
    uses = Counter()
    chosen: dict[int, list[_School]] = {lead.index: [] for lead in leads}
    for lead in leads:
        fitting = [m for m in members if m.stage in _SERVES[lead.stage]]
        fitting.sort(key=lambda m: uses[m.index])  # stable: ties keep the shuffled order
        for member in fitting[:rng.randint(*program.members_per_lead)]:
            chosen[lead.index].append(member)
            uses[member.index] += 1
    for member in members:
        if uses[member.index]:
            continue
        fitting = [lead for lead in leads if member.stage in _SERVES[lead.stage]]
        if fitting:
            lead = min(fitting, key=lambda s: len(chosen[s.index]))
            chosen[lead.index].append(member)
            uses[member.index] += 1
    for lead in leads:
        for member in chosen[lead.index]:
            draft.members_of.setdefault(lead.index, []).append(member.index)
            draft.links.append({"program": number, "lead": lead.index, "member": member.index,
                                "min": None, "max": None})


# --- teams --------------------------------------------------------------------------------

def _unbound(draft: _Draft, school: _School) -> list[int]:
    """Eligible teachers with nothing tying their hands (spouse, window, team): fit for a team or a pin."""
    free = []
    for t in school.teachers:
        teacher = draft.teachers[t]
        if (draft.eligible(teacher) and teacher["spouse"] is None and teacher["team_id"] is None
                and teacher["available_from"] is None and teacher["available_to"] is None):
            free.append(t)
    return free


def _form_teams(draft: _Draft) -> None:
    """组团式: a team of one home school, mixed subjects, bound for one linked member school."""
    rules, rng = draft.scenario.teams, draft.rng
    if rules.school_share <= 0:
        return
    # A team serves one placement together, in the first school year of the horizon.
    windows = _short_windows(draft)
    starts = windows[0] if windows else [(draft.terms[0], draft.terms[-1])]
    for lead, members in draft.members_of.items():
        if rng.random() >= rules.school_share:
            continue
        host = draft.schools[rng.choice(members)]
        taught = SUBJECT_MIX[host.stage]
        pool = [t for t in _unbound(draft, draft.schools[lead]) if taught.get(draft.teachers[t]["subject"])]
        rng.shuffle(pool)
        size = rng.randint(*rules.size)
        if len(pool) < size:
            continue
        team = _diverse_pick(draft, pool, size)
        draft.teams += 1
        team_id = f"TM{draft.teams:04d}"
        first, last = rng.choice(starts)
        draft.team_hosts.add(host.index)
        for t in team:
            draft.teachers[t]["team_id"] = team_id
            _add_need(draft, host.index, draft.teachers[t]["subject"], first, last)
        _plan(draft, lead, host.index, short=size)


def _diverse_pick(draft: _Draft, pool: list[int], size: int) -> list[int]:
    """Prefer one teacher per subject, as a team covers a school's gaps, not one subject twice."""
    team, seen = [], set()
    for t in pool:
        if len(team) < size and draft.teachers[t]["subject"] not in seen:
            team.append(t)
            seen.add(draft.teachers[t]["subject"])
    team += [t for t in pool if t not in team][: size - len(team)]
    return team


# --- needs --------------------------------------------------------------------------------

def _add_need(draft: _Draft, school: int, subject: str, first: Term, last: Term, count: int = 1) -> None:
    draft.needs[school, subject, first.ordinal, last.ordinal] += count


def _draw_needs(draft: _Draft) -> None:
    for lead, members in draft.members_of.items():
        _needs_for_lead(draft, draft.schools[lead], [draft.schools[m] for m in members])
    _extra_arts_needs(draft)


def _needs_for_lead(draft: _Draft, lead: _School, members: list[_School]) -> None:
    """Needs at the lead's partners, sized to its yearly quota and drawn from what its teachers teach.

    The placements offered per school year are `need_factor` × the quota (a bit more than
    the quota, so it is reachable and not everything is filled); a few leads get fewer
    (`shortfall`), as when partner schools are small or already staffed.
    """
    rng, rule, rules = draft.rng, draft.scenario.demand, draft.rules
    eligible = [draft.teachers[t] for t in lead.teachers if draft.eligible(draft.teachers[t])]
    quota = math.ceil(rules.quota_rate * len(eligible) - 1e-9)
    if not quota:
        return
    per_year = math.floor(0.6 * quota) if rng.random() < rule.shortfall else math.ceil(rule.need_factor * quota)
    teachable = Counter(s for t in eligible if not t["team_id"] for s in (t["subject"], *t["other_subjects"]))
    # A whole-horizon need hosts 2/period placements a school year, a short one hosts one.
    per_need = 2 / rules.placement_terms
    team = sum(1 for t in eligible if t["team_id"])  # the team's placements count towards the quota
    wanted = max(0.0, per_year - team)
    if rule.one_term_share > 0:  # no draw otherwise: older seeds keep their random stream
        one_term = _round(rng, wanted * rule.one_term_share)
        wanted = max(0.0, wanted - one_term)
        _one_term_needs(draft, lead, members, teachable, one_term)
    windows = _short_windows(draft)
    short_share = rule.short_window if windows else 0.0
    whole = _round(rng, wanted * (1 - short_share) / per_need)
    short_per_year = max(0, math.ceil(wanted - whole * per_need))
    for host in _spread(rng, members, whole):
        subject = _pick_subject(draft, host, teachable)
        if subject:
            _add_need(draft, host.index, subject, draft.terms[0], draft.terms[-1])
            _plan(draft, lead.index, host.index, whole=1)
    for year_windows in windows:
        for _ in range(short_per_year):
            host = rng.choices(members, weights=[m.priority for m in members])[0]
            subject = _pick_subject(draft, host, teachable)
            if subject:
                _add_need(draft, host.index, subject, *rng.choice(year_windows))
                _plan(draft, lead.index, host.index, short=1)


def _one_term_needs(draft: _Draft, lead: _School, members: list[_School], teachable: Counter, count: int) -> None:
    """One-term needs (支教): one teacher for one term, the term drawn from the horizon."""
    rng = draft.rng
    for _ in range(count):
        host = rng.choices(members, weights=[m.priority for m in members])[0]
        subject = _pick_subject(draft, host, teachable)
        if subject:
            term = rng.choice(draft.terms)
            _add_need(draft, host.index, subject, term, term)
            draft.one_term.add((host.index, subject, term.ordinal, term.ordinal))
            _plan(draft, lead.index, host.index, short=1)


def _plan(draft: _Draft, lead: int, member: int, whole: int = 0, short: int = 0) -> None:
    """Remember what a link's needs can take, so its 每年最少/最多派出 never contradict them."""
    draft.planned_whole[lead, member] += whole
    draft.planned[lead, member] += math.ceil(whole * 2 / draft.rules.placement_terms) + short


def _round(rng: random.Random, value: float) -> int:
    """Round up or down at random in proportion, so small schools do not all round the same way."""
    whole = math.floor(value)
    return whole + (1 if rng.random() < value - whole else 0)


def _spread(rng: random.Random, members: list[_School], seats: int) -> list[_School]:
    """Every member gets a need before any gets two; the rest go to the more urgent schools."""
    order = members[:]
    rng.shuffle(order)
    hosts = order[:seats]
    if seats > len(order):
        hosts += rng.choices(members, weights=[m.priority for m in members], k=seats - len(order))
    return hosts


def _short_windows(draft: _Draft) -> list[list[tuple[Term, Term]]]:
    """Per school year of the horizon, the one-placement windows (start, end) that fit in it."""
    period = draft.rules.placement_terms
    if period > 2:
        return []
    by_year: dict[int, list[Term]] = defaultdict(list)
    for term in draft.terms:
        by_year[term.school_year].append(term)
    years = []
    for year in sorted(by_year):
        terms = by_year[year]
        windows = [(terms[i], terms[i + period - 1]) for i in range(len(terms) - period + 1)]
        if windows:
            years.append(windows)
    # A horizon of exactly one placement has no room for needs shorter than the whole of it.
    return years if len(draft.terms) > period else []


def _pick_subject(draft: _Draft, host: _School, teachable: Counter) -> str | None:
    """A subject the host teaches and the lead can send, music/PE/art weighted up where they are short."""
    rule = draft.scenario.demand
    arts = rule.arts_weight.get(host.locality, 1.0) * (rule.poor_arts_factor if host.poor else 1.0)
    taught = SUBJECT_MIX[host.stage]
    options = [s for s in sorted(teachable) if teachable[s] > 0 and taught.get(s)]
    if not options:
        return None
    weights = [teachable[s] * (arts if s in ARTS else 1.0) for s in options]
    subject = draft.rng.choices(options, weights=weights)[0]
    teachable[subject] -= 1  # never ask one school for more 音乐 teachers than it has
    return subject


def _extra_arts_needs(draft: _Draft) -> None:
    """Village schools of poor counties lack music/PE/art beyond what any pairing plans for."""
    rng, share = draft.rng, draft.scenario.demand.extra_arts
    for school in draft.schools:
        if school.poor and school.locality is Locality.RURAL and rng.random() < share:
            arts = [s for s in sorted(ARTS) if SUBJECT_MIX[school.stage].get(s)]
            _add_need(draft, school.index, rng.choice(arts), draft.terms[0], draft.terms[-1])


def _set_host_capacity(draft: _Draft) -> None:
    """Beds, at least the school's needs at once, except a few bottlenecks; some have no limit."""
    rng, hosting = draft.rng, draft.scenario.hosting
    peak = _peak_needs(draft)
    for school in draft.schools:
        if school.locality is Locality.URBAN:
            continue
        if rng.random() < hosting.no_limit.get(school.locality, 0.0):
            continue
        needed = peak.get(school.index, 0)
        beds = max(rng.randint(*hosting.beds), needed)
        if needed >= 2 and school.index not in draft.team_hosts and rng.random() < hosting.tight:
            beds = needed - 1
        school.host_capacity = beds


def _peak_needs(draft: _Draft) -> dict[int, int]:
    load: Counter = Counter()
    for (school, _, first, last), count in draft.needs.items():
        for ordinal in range(first, last + 1):
            load[school, ordinal] += count
    peak: dict[int, int] = {}
    for (school, _), count in load.items():
        peak[school] = max(peak.get(school, 0), count)
    return peak


def _rank_needs(draft: _Draft) -> None:
    """A need is about as urgent as its school; music/PE/art often a step more (音体美)."""
    rng = draft.rng
    for key in sorted(draft.needs):
        school, subject, _, _ = key
        bump = (1 if subject in ARTS and rng.random() < 0.5 else 0) - (1 if rng.random() < 0.25 else 0)
        draft.need_priority[key] = min(5, max(1, draft.schools[school].priority + bump))


def _set_link_limits(draft: _Draft) -> None:
    """每年最少派出 = 1 only where the link has a whole-horizon need; 每年最多派出 never below its needs."""
    rng = draft.rng
    for link in draft.links:
        program, key = draft.scenario.programs[link["program"]], (link["lead"], link["member"])
        if draft.planned_whole[key] and rng.random() < program.min_per_year_share:
            link["min"] = 1
        if rng.random() < program.max_per_year_share:
            link["max"] = max(rng.randint(*program.max_per_year), draft.planned[key])


# --- preferences and pins -----------------------------------------------------------------

def _needed_subjects(draft: _Draft) -> dict[int, set[str]]:
    needed: dict[int, set[str]] = defaultdict(set)
    for school, subject, _, _ in draft.needs:
        needed[school].add(subject)
    return needed


def _draw_preferences(draft: _Draft) -> None:
    """Ranked wishes among the home school's partners, mostly where the teacher's subject is needed."""
    rng, share = draft.rng, draft.scenario.teachers.preferences
    needed = _needed_subjects(draft)
    for lead, members in draft.members_of.items():
        for t in draft.schools[lead].teachers:
            teacher = draft.teachers[t]
            if not draft.eligible(teacher) or teacher["team_id"] or rng.random() >= share:
                continue
            subjects = {teacher["subject"], *teacher["other_subjects"]}
            fitting = [m for m in members if needed[m] & subjects]
            others = [m for m in members if m not in fitting]
            rng.shuffle(fitting)
            rng.shuffle(others)
            wishes = rng.choices((1, 2, 3), weights=(35, 35, 30))[0]
            teacher["preferences"] = tuple(draft.schools[m].school_id for m in (fitting + others)[:wishes])


def _draw_pins(draft: _Draft) -> None:
    """Planner decisions on ordinary eligible teachers: lock a placement, forbid a school, exclude."""
    counts, rng = draft.scenario.pins, draft.rng
    candidates = [t for lead in draft.members_of for t in _unbound(draft, draft.schools[lead])]
    rng.shuffle(candidates)
    needs_at: dict[int, list[tuple]] = defaultdict(list)
    for key in sorted(draft.needs):
        needs_at[key[0]].append(key)
    wanted = [PinAction.PIN] * counts.pin + [PinAction.FORBID] * counts.forbid + [PinAction.EXCLUDE] * counts.exclude
    taken: Counter = Counter()
    for action in wanted:
        while candidates:
            pin = _pin_for(draft, candidates.pop(), action, needs_at, taken)
            if pin:
                draft.pins.append(pin)
                break


def _pin_for(draft: _Draft, t: int, action: PinAction, needs_at: dict[int, list[tuple]],
             taken: Counter) -> dict | None:
    """A pin that makes sense: the school is a partner needing the teacher's subject, long enough."""
    if action is PinAction.EXCLUDE:
        return {"teacher": t, "action": action, "school": None, "start": None}
    teacher = draft.teachers[t]
    subjects = {teacher["subject"], *teacher["other_subjects"]}
    period = draft.rules.placement_terms
    for member in draft.members_of[teacher["school"]]:
        for key in needs_at[member]:
            _, subject, first, last = key
            # A need already locked to as many teachers as it asks for cannot take another.
            if subject in subjects and last - first + 1 >= period and taken[key] < draft.needs[key]:
                if action is PinAction.PIN:
                    taken[key] += 1
                start = Term.from_ordinal(first) if action is PinAction.PIN else None
                return {"teacher": t, "action": action, "school": member, "start": start}
    return None


# --- the case -----------------------------------------------------------------------------

def _assemble(draft: _Draft, settings: dict[str, str]) -> Case:
    width = max(6, len(str(len(draft.teachers))))
    ids = [f"T{i + 1:0{width}d}" for i in range(len(draft.teachers))]
    schools = [School(
        school_id=s.school_id, name=s.name, county=s.county, locality=s.locality, stage=s.stage,
        host_capacity=s.host_capacity, priority=s.priority, lon=s.lon, lat=s.lat, district=s.district, extra={},
    ) for s in draft.schools]
    teachers = [_teacher(draft, t, row, ids) for t, row in enumerate(draft.teachers)]
    links = [_link(draft, row) for row in draft.links]
    demands = [_demand(draft, key, count) for key, count in sorted(draft.needs.items())]
    pins = [Pin(
        teacher_id=ids[p["teacher"]], action=p["action"], start_term=p["start"], extra={},
        school_id=None if p["school"] is None else draft.schools[p["school"]].school_id,
    ) for p in draft.pins]
    return Case(teachers=teachers, schools=schools, demands=demands, links=links, pins=pins, settings=settings)


def _teacher(draft: _Draft, t: int, row: dict, ids: list[str]) -> Teacher:
    return Teacher(
        teacher_id=ids[t], name=row["name"], school_id=draft.schools[row["school"]].school_id,
        subject=row["subject"], years_at_school=row["years_at_school"], gender=row["gender"],
        birth_date=row["birth_date"], other_subjects=row["other_subjects"], title=row["title"],
        backbone=row["backbone"], backbone_level=row["backbone_level"], exemption=row["exemption"],
        available_from=row["available_from"], available_to=row["available_to"],
        preferences=row["preferences"], spouse_id=None if row["spouse"] is None else ids[row["spouse"]],
        team_id=row["team_id"], seeking_promotion=row["seeking_promotion"], extra={},
        **{key: row[key] for key in REGISTRY_KEYS if key in row},
    )


def _link(draft: _Draft, row: dict) -> Link:
    return Link(
        program=draft.scenario.programs[row["program"]].name, lead_school_id=draft.schools[row["lead"]].school_id,
        member_school_id=draft.schools[row["member"]].school_id,
        min_per_year=row["min"], max_per_year=row["max"], extra={},
    )


def _demand(draft: _Draft, key: tuple, count: int) -> Demand:
    school, subject, first, last = key
    rule = draft.scenario.demand
    one_term = key in draft.one_term
    return Demand(
        school_id=draft.schools[school].school_id, subject=subject, count=count,
        from_term=Term.from_ordinal(first), to_term=Term.from_ordinal(last),
        priority=draft.need_priority[key], terms=1 if one_term else None,
        form=(rule.one_term_form if one_term else rule.form) or None, extra={},
    )
