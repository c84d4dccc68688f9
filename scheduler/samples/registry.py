"""The registry's own fields of a sample roster (花名册): ID numbers, dates, 在岗状态, 是否在编, 职务.

Drawn from a random stream of their own (seeded from the scenario's seed), right after the
teachers, so a scenario without a registry roster is generated exactly as before and the
registry fields never shift any other draw.

The ID numbers are fictitious but valid: a region code from the scenario (codes no real county
has, so no number can be a real person's), the teacher's birth date, a sequence number whose
last digit is odd for men and even for women (GB 11643), and the ISO 7064 MOD 11-2 check digit.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any, Protocol, Sequence

from scheduler.domain import Gender, Locality, Title
from scheduler.domain.personal import check_digit



class _School(Protocol):
    locality: Locality
    teachers: list[int]


class _Draft(Protocol):
    """What these fields read of the generator's case under construction (`generate._Draft`)."""

    scenario: Any
    schools: Sequence[_School]
    teachers: list[dict]

    @property
    def reference_date(self) -> date: ...

#: the Teacher fields a registry roster adds
REGISTRY_KEYS = ("id_number", "joined_school", "started_work", "status", "on_staff", "post")

#: 在岗状态 of a teacher at work
ON_DUTY = "在岗"

# The exemptions every roster draws, as a registry records them (在岗状态). Near retirement is no
# status: it stays in 免交流原因, the column a bureau adds by hand.
_STATUS_OF_EXEMPTION = {"怀孕": "产假", "哺乳期": "哺乳期", "重病": "长期病休", "重病（住院治疗）": "长期病休",
                        "大病康复期": "病假"}

# School leaders and middle managers (职务): (post, how many a school has, youngest age, titles it takes)
_LEADERS = (("校长", 1, 38, (Title.SENIOR, Title.FULL_SENIOR, Title.FIRST)),
            ("党支部书记", 1, 40, (Title.SENIOR, Title.FIRST)),
            ("副校长", 2, 35, (Title.SENIOR, Title.FIRST)))
_MIDDLE = ("教务主任", "德育主任", "总务主任", "教研组长", "年级组长")


def registry_fields(draft: _Draft) -> None:
    """Give every teacher of the draft the registry's fields (and fold exemptions into 在岗状态)."""
    roster = draft.scenario.roster
    rng = random.Random(f"{draft.scenario.scenario.seed}:registry")
    used: set[str] = set()
    for school in draft.schools:
        for t in school.teachers:
            teacher = draft.teachers[t]
            teacher["id_number"] = _id_number(rng, roster.region_codes, teacher, used)
            teacher["joined_school"] = joined_month(rng, draft.reference_date, teacher["years_at_school"])
            teacher["started_work"] = _started_work(rng, teacher["birth_date"], teacher["joined_school"])
            teacher["status"], teacher["exemption"] = _status(rng, roster, teacher)
            teacher["on_staff"] = not _off_staff(rng, roster.off_staff, school.locality, teacher["age"])
            teacher["post"] = None
        _posts(rng, draft, school.teachers)


def fictitious_id_number(region: str, born: date, sequence: int) -> str:
    """The 18-character ID of `region`, `born` and a 3-digit `sequence` (odd last digit = male)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def _id_number(rng: random.Random, regions: list[str], teacher: dict, used: set[str]) -> str:
    male = teacher["gender"] is Gender.MALE
    while True:
        sequence = rng.randrange(50) * 20 + rng.randrange(5) * 2 + (1 if male else 0)
        number = fictitious_id_number(rng.choice(regions), teacher["birth_date"], sequence)
        if number not in used:
            used.add(number)
            return number


def joined_month(rng: random.Random, start: date, years: int) -> date:
    """A first-of-month date from which `years` whole years pass until `start` (the horizon's first
    day), mostly in August or September, when teachers change schools."""
    latest = date(start.year - years, start.month, 1)
    if years > 0 and rng.random() < 0.7:
        return latest if latest.month in (8, 9) else _months_before(latest, (latest.month - 9) % 12)
    # 0 years: strictly before the start (a 进本校年月 after the horizon's start is an error)
    return _months_before(latest, rng.randint(1 if years == 0 else 0, 11))


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _started_work(rng: random.Random, born: date, joined: date) -> date:
    """Usually the summer after graduating at 21-23; never after coming to the current school."""
    first = date(born.year + rng.choice((21, 22, 22, 23)), rng.choice((7, 8, 8, 9)), 1)
    return min(first, joined)


def _status(rng: random.Random, roster, teacher: dict) -> tuple[str, str | None]:
    """(在岗状态, 免交流原因): leave and illness become a status; a few are seconded or studying."""
    exemption = teacher["exemption"]
    if exemption in _STATUS_OF_EXEMPTION:
        return _STATUS_OF_EXEMPTION[exemption], None
    if exemption is None and 25 <= teacher["age"] <= 50:
        roll = rng.random()
        if roll < roster.seconded:
            return "借调", None
        if roll < roster.seconded + roster.further_study:
            return "脱产进修", None
    return ON_DUTY, exemption


def _off_staff(rng: random.Random, share: float, locality: Locality, age: int) -> bool:
    """代课 and contract teachers: mostly young, mostly in villages."""
    factor = {Locality.URBAN: 0.3, Locality.TOWN: 1.0, Locality.RURAL: 2.0}[locality] * (2.0 if age < 32 else 0.3)
    return rng.random() < share * factor


def _posts(rng: random.Random, draft: _Draft, members: list[int]) -> None:
    """A head, a party secretary where the school is large, deputies and middle managers."""
    staff = sorted(members, key=lambda t: (-draft.teachers[t]["age"], t))
    free = [t for t in staff if draft.teachers[t]["status"] == ON_DUTY and draft.teachers[t]["on_staff"]]
    size = len(members)
    for post, count, youngest, titles in _LEADERS:
        if post == "党支部书记" and size < 40 or post == "副校长" and size < 15:
            continue
        wanted = count if size >= 60 or post != "副校长" else 1
        fitting = [t for t in free if draft.teachers[t]["age"] >= youngest and draft.teachers[t]["title"] in titles]
        for t in rng.sample(fitting, min(wanted, len(fitting))):
            draft.teachers[t]["post"] = post
            free.remove(t)
    middle = [t for t in free if draft.teachers[t]["age"] >= 30]
    for t in rng.sample(middle, min(len(middle), max(1, size // 12) if size >= 8 else 0)):
        draft.teachers[t]["post"] = rng.choice(_MIDDLE)
