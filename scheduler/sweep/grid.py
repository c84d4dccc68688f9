"""The grid of a sweep: `key=v1,v2` items, each value checked as `solve --set key=value` checks it,
and their cartesian product as scenarios with names that say them.

Every key and value is checked before anything is solved and every bad one is named at once: a
province's 36-scenario sweep that stops at its first typo, then at its second, costs a planner
three runs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..config.overrides import OverrideError, override_entry
from ..rules import Text
from ..workbook.setting_checks import Entry, check_entry
from .names import file_stem


class GridError(ValueError):
    """Every bad grid item, in both languages (one line each)."""

    def __init__(self, problems: list[Text]):
        super().__init__("; ".join(p.en for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Scenario:
    """One combination of the grid: its overrides in grid order, its label
    (`quota_rate=0.12,pairing_mode=prefer`, keys and values as the planner wrote them) and the
    file-name-safe stem its plan and summary are written under."""

    index: int
    entries: tuple[Entry, ...]
    label: str
    stem: str

    def values(self) -> dict[str, str]:
        """Grid key as written → the value as written, in grid order (the table's columns)."""
        return {entry.written: entry.value for entry in self.entries}


def _split(item: str) -> tuple[str, list[str]] | None:
    key, sep, values = item.partition("=" if "=" in item else "＝")  # a Chinese keyboard types ＝
    if not sep or not key.strip():
        return None
    # Commas split values (，too, as typed on a Chinese keyboard); a list setting's own items are
    # separated by 、 or spaces, as in the 设置 sheet, so they never need a comma.
    return key.strip(), [v.strip() for v in values.replace("，", ",").split(",")]


def grid_axes(items: list[str]) -> list[tuple[str, list[Entry]]]:
    """(key as written, its checked values) per `--grid` item; GridError naming every bad key,
    value and repeated key."""
    problems: list[Text] = []
    axes: list[tuple[str, list[Entry]]] = []
    seen: dict[str, str] = {}
    for item in items:
        split = _split(item)
        if split is None:
            problems.append(Text(f"“{item}”应写作 参数=值1,值2，如 交流比例=0.10,0.12",
                                 f"{item!r} should be key=value1,value2, e.g. quota_rate=0.10,0.12"))
            continue
        key, values = split
        known = check_entry(key, "")  # the key alone first: an unknown key is named once, not per value
        if known.code is not None:
            problems.append(known.text)
            continue
        entries: list[Entry] = []
        for value in values:
            if not value:
                problems.append(Text(f"“{item}”中有空值（两个逗号之间或末尾）", f"{item!r} has an empty value (between "
                                                                      f"two commas or at the end)"))
                continue
            try:
                entries.append(override_entry(f"{key}={value}"))
            except OverrideError as error:
                problems.append(error.text)
        canonical = entries[0].key if entries else None
        if canonical is not None and canonical in seen:
            problems.append(Text(f"参数“{key}”在 --grid 中出现了两次（另一次写作“{seen[canonical]}”）；请把它的取值写在一处",
                                 f"the setting {key!r} is given twice in --grid (also as {seen[canonical]!r}); "
                                 f"list its values in one place"))
        elif canonical is not None:
            seen[canonical] = key
        duplicates = sorted({e.value for e in entries if [x.value for x in entries].count(e.value) > 1})
        if duplicates:
            problems.append(Text(f"参数“{key}”的取值重复：{'、'.join(duplicates)}",
                                 f"the setting {key!r} repeats a value: {', '.join(duplicates)}"))
        axes.append((key, entries))
    if problems:
        raise GridError(problems)
    return axes


def scenarios(items: list[str]) -> list[Scenario]:
    """The cartesian product of the grid, first key slowest (as a planner reads the table down)."""
    if not items:
        raise GridError([Text("至少需要一个 --grid 参数=值1,值2", "give at least one --grid key=value1,value2")])
    axes = grid_axes(items)
    result: list[Scenario] = []
    stems: set[str] = set()
    for index, combination in enumerate(itertools.product(*(entries for _, entries in axes))):
        label = ",".join(f"{key}={entry.value}" for (key, _), entry in zip(axes, combination))
        stem = file_stem(label, index, stems)
        stems.add(stem.casefold())
        result.append(Scenario(index, tuple(combination), label, stem))
    return result
