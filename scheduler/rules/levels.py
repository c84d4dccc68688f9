"""The priority levels of the objective, optimised one after another (lexicographically).

A higher level is never traded for a lower one, so planners never tune weights between them.
Within a level, a rule's own weights (documented where they are set) rank its terms.

The order of `LEVELS` is the priority order; a level's `number` is its name (the solve's times
`level1`..., the benchmarks' records), kept when a level is added. The changes to a published plan
(`moves`, rules/keep_published.py) came later as number 5 and rank second, after the quota and
before the need (WORKBOOK.md, "Re-planning after publication"); they cost nothing without a
published plan, so a plain solve has the four levels it always had.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Weights are integers in the model: one teacher (a missing rotation, a broken soft rule, a need
#: weight of 1 for one term) is this many objective units.
WEIGHT_SCALE = 10


@dataclass(frozen=True)
class Level:
    number: int
    key: str
    zh: str
    en: str
    #: objective units per unit shown to planners (one teacher, one weighted teacher-term)
    scale: int = WEIGHT_SCALE

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


LEVELS: tuple[Level, ...] = (
    Level(1, "quota", "交流比例与骨干比例缺口", "rotation quota and backbone shortfall"),
    Level(5, "moves", "已公示安排的改动", "published placements not kept"),
    Level(2, "need", "未满足的学科需求（加权）", "unmet subject need (weighted)"),
    Level(3, "links", "结对保持与软规则", "links kept alive and soft rules"),
    Level(4, "teachers", "教师意愿与资历", "teachers' wishes and seniority", scale=1),
)
LEVEL_BY_NUMBER = {level.number: level for level in LEVELS}
LEVEL_BY_KEY = {level.key: level for level in LEVELS}
#: level number → its place in the priority order (0 first)
PRIORITY = {level.number: position for position, level in enumerate(LEVELS)}


def by_priority(numbers) -> list[int]:
    """Level numbers in priority order (the order they are optimised in)."""
    return sorted(numbers, key=PRIORITY.__getitem__)
