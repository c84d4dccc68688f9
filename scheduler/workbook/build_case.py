"""Typed sheet columns to a `Case`. Only called once the report has no errors.

The columns were parsed and checked already, so objects are made with `model_construct`:
validating 100,000 teachers a second time would double the reading time for nothing.

Which column fills which field is derived from the schema and the domain models: a column of
the schema is the model's field of the same name, unless `SPLIT` says it fills several. A
column with no field at all is never dropped: its text goes to the row's `extra` (and
tests/test_schema_fields.py fails until the field exists).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..domain.models import Case, Demand, Exchange, Link, Pin, School, Teacher
from .schema import SHEET_BY_KEY
from .sheet_checks import Columns
from .sheet_frame import SheetFrame

#: the domain model each sheet's rows become
MODELS: dict[str, type[BaseModel]] = {"teachers": Teacher, "schools": School, "links": Link, "demand": Demand,
                                      "pins": Pin, "history": Exchange}
#: columns whose typed value is a tuple filling several fields: 骨干 is yes/no or a level
SPLIT: dict[tuple[str, str], tuple[str, ...]] = {("teachers", "backbone"): ("backbone", "backbone_level")}


def column_fields(sheet: str) -> dict[str, tuple[str, ...]]:
    """Each column of `sheet` → the model fields it fills (empty: none, so it goes to `extra`)."""
    fields = MODELS[sheet].model_fields
    return {column.key: SPLIT.get((sheet, column.key)) or ((column.key,) if column.key in fields else ())
            for column in SHEET_BY_KEY[sheet].columns}


def unmapped_columns() -> list[tuple[str, str]]:
    """(sheet, column) of every schema column no field of its model receives."""
    return [(sheet, column) for sheet in MODELS for column, fields in column_fields(sheet).items() if not fields]


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    """The model's plain defaults (not its factories): handed in with each row, so `model_construct`
    finds every field given and skips pydantic's per-field default lookup (a third of building
    100,000 teachers, measured)."""
    return {name: field.default for name, field in model.model_fields.items()
            if not field.is_required() and field.default_factory is None}


def _records(frame: SheetFrame, columns: Columns) -> list[dict[str, Any]]:
    sheet = frame.sheet.key
    defaults = _defaults(MODELS[sheet])
    mapping = column_fields(sheet)
    plain = [key for key, fields in mapping.items() if fields == (key,)]
    split = {key: fields for key, fields in mapping.items() if fields and fields != (key,)}
    data = {key: columns[key].tolist() for key in plain + list(split)}
    # Unknown columns, and a schema column with no field yet, travel as text.
    extra_names = list(frame.extra_columns) + [key for key, fields in mapping.items() if not fields]
    extras = {name: frame.text[name].tolist() for name in extra_names if frame.has(name)}
    rows = []
    for position in range(len(frame.text)):
        row = dict(defaults)
        row.update((key, data[key][position]) for key in plain if data[key][position] is not None)
        for key, names in split.items():
            if data[key][position] is not None:
                row.update(zip(names, data[key][position]))
        row["extra"] = {name: values[position] for name, values in extras.items()}
        rows.append(row)
    return rows


def _teachers(frame: SheetFrame, columns: Columns, school_ids: set[str]) -> list[Teacher]:
    teachers = []
    for row in _records(frame, columns):
        # Unknown preferred schools were reported as warnings; the plan ignores them.
        row["preferences"] = tuple(s for s in row.get("preferences", ()) if s in school_ids)
        teachers.append(Teacher.model_construct(**row))
    return teachers


def build_case(frames: dict[str, SheetFrame], columns: dict[str, Columns], settings: dict[str, str]) -> Case:
    """The case of the checked sheets; `settings` is the 设置 sheet's text (parsed on its own, see read.py)."""
    schools = [School.model_construct(**row) for row in _records(frames["schools"], columns["schools"])]
    school_ids = {s.school_id for s in schools}
    teachers = _teachers(frames["teachers"], columns["teachers"], school_ids)
    demands = [Demand.model_construct(**row) for row in _records(frames["demand"], columns["demand"])
               if row["count"] > 0]
    links = [Link.model_construct(**row) for row in _records(frames["links"], columns["links"])] \
        if "links" in frames else []
    pins = [Pin.model_construct(**row) for row in _records(frames["pins"], columns["pins"])] if "pins" in frames else []
    history = _history(frames["history"], columns["history"]) if "history" in frames else []
    return Case(teachers=teachers, schools=schools, demands=demands, links=links, pins=pins, settings=settings,
                history=history)


def _history(frame: SheetFrame, columns: Columns) -> list[Exchange]:
    """The past placements; without 结束学期 the end is counted from 学期数 (a plan's 派出安排)."""
    history = []
    for row in _records(frame, columns):
        if row.get("to_term") is None:
            row["to_term"] = row["from_term"].shift(row["terms"] - 1)
        history.append(Exchange.model_construct(**row))
    return history
