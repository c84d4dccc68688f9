"""Write a `Case` back as a workbook in the contract's format, so reading it again gives the same case.

Columns the contract does not know (the `extra` of each row) are written after the known ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from ..domain.models import Case, Teacher
from .schema import DEMAND, LINKS, PINS, SCHOOLS, SETTINGS, TEACHERS, Sheet
from .xlsx import open_workbook, write_table


def _value(item: BaseModel, key: str) -> Any:
    if isinstance(item, Teacher) and key == "backbone":
        return item.backbone_level if item.backbone_level is not None else item.backbone
    return getattr(item, key)


def _write_items(workbook, sheet: Sheet, items: list[BaseModel], lang: str) -> None:
    extras = list(dict.fromkeys(name for item in items for name in item.extra))
    headers = [c.label(lang) for c in sheet.columns] + extras
    rows = ([_value(item, c.key) for c in sheet.columns] + [item.extra.get(name, "") for name in extras]
            for item in items)
    write_table(workbook, sheet.label(lang), headers, rows, lang=lang)


def write_case(case: Case, target: str | Path | IO[bytes], lang: str = "zh",
               properties: dict[str, str] | None = None) -> None:
    """Write every sheet of `case` (Chinese sheet names and headers, or English with lang="en").

    `properties` become custom document properties (`generate` marks its workbooks with one).
    """
    workbook = open_workbook(target)
    for name, value in (properties or {}).items():
        workbook.set_custom_property(name, value)
    _write_items(workbook, TEACHERS, case.teachers, lang)
    _write_items(workbook, SCHOOLS, case.schools, lang)
    _write_items(workbook, LINKS, case.links, lang)
    _write_items(workbook, DEMAND, case.demands, lang)
    _write_items(workbook, PINS, case.pins, lang)
    write_table(workbook, SETTINGS.label(lang), [c.label(lang) for c in SETTINGS.columns],
                ([key, value] for key, value in case.settings.items()), lang=lang)
    workbook.close()
