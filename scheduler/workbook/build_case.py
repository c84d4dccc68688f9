"""Typed sheet columns to a `Case`. Only called once the report has no errors.

The columns were parsed and checked already, so objects are made with `model_construct`:
validating 100,000 teachers a second time would double the reading time for nothing.

Which column fills which field is derived from the schema and the domain models: a column of
the schema is the model's field of the same name, unless `SPLIT` says it fills several. A
column with no field at all is never dropped: its text goes to the row's `extra` (and
tests/test_schema_fields.py fails until the field exists).
"""

from __future__ import annotations

from typing import Any, Callable

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
    """The model's plain defaults (not its factories)."""
    return {name: field.default for name, field in model.model_fields.items()
            if not field.is_required() and field.default_factory is None}


def _records(frame: SheetFrame, columns: Columns) -> list[dict[str, Any]]:
    """One dict per row: each model field given (a typed value, else its plain default), in the
    model's field order, and the unknown columns' text as `extra`. Built column by column: at
    province scale (400,000 teachers) a per-cell loop took most of the reading time."""
    sheet = frame.sheet.key
    model = MODELS[sheet]
    defaults = _defaults(model)
    mapping = column_fields(sheet)
    count = len(frame.text)
    given: dict[str, list[Any]] = {}
    for key, fields in mapping.items():
        if not fields:
            continue
        values = columns[key].tolist()
        if fields == (key,):
            default = defaults.get(key)
            given[key] = values if key not in defaults else [default if v is None else v for v in values]
        else:  # one column filling several fields (骨干: yes/no and the level)
            for position, name in enumerate(fields):
                default = defaults.get(name)
                given[name] = [default if v is None else v[position] for v in values]
    # Unknown columns, and a schema column with no field yet, travel as text.
    extra_names = list(frame.extra_columns) + [key for key, fields in mapping.items() if not fields]
    extras = {name: frame.text[name].tolist() for name in extra_names if frame.has(name)}
    given["extra"] = ([dict(zip(extras, cells)) for cells in zip(*extras.values())] if extras
                      else [{} for _ in range(count)])
    # A field no column gives takes its default; one with no plain default (a factory) is left to the model.
    names = [name for name in model.model_fields if name in given or name in defaults]
    table = [given[name] if name in given else [defaults[name]] * count for name in names]
    rows = [dict(zip(names, cells)) for cells in zip(*table)] if names else [{} for _ in range(count)]
    # A required field whose cell was empty is left out, as before (the report holds its error).
    for name in names:
        if name not in defaults and name != "extra" and any(v is None for v in given.get(name, ())):
            for row in rows:
                if row[name] is None:
                    del row[name]
    return rows


def _constructor(model: type[BaseModel]) -> Callable[[dict[str, Any]], BaseModel]:
    """`model.model_construct(**row)`, faster and smaller for a row that gives every field.

    The columns were parsed and checked already, so no validation is wanted; `model_construct`
    still costs about 25 µs a teacher walking the fields for aliases, and gives each object its
    own set of the fields given (1.2 kB a teacher, 0.5 GB at province scale). A row naming every
    field makes the same object here: its dict in field order and one shared fields-set (pydantic
    copies it before changing it, in `model_copy`; the models are frozen). Anything else — a
    missing field, aliases, extra fields allowed, a post-init — goes through `model_construct`."""
    fields = model.__pydantic_fields__
    if (model.__pydantic_post_init__ is not None or model.model_config.get("extra") == "allow"
            or model.__pydantic_root_model__ or any(f.alias or f.validation_alias for f in fields.values())):
        return lambda row: model.model_construct(**row)
    names = tuple(fields)
    every = set(names)
    make, put = model.__new__, object.__setattr__

    def construct(row: dict[str, Any]) -> BaseModel:
        if len(row) != len(names) or row.keys() != every:
            return model.model_construct(**row)
        instance = make(model)
        put(instance, "__dict__", row if tuple(row) == names else {name: row[name] for name in names})
        put(instance, "__pydantic_fields_set__", every)
        put(instance, "__pydantic_extra__", None)
        put(instance, "__pydantic_private__", None)
        return instance

    return construct


def _teachers(frame: SheetFrame, columns: Columns, school_ids: set[str]) -> list[Teacher]:
    construct = _constructor(Teacher)
    teachers = []
    for row in _records(frame, columns):
        # Unknown preferred schools were reported as warnings; the plan ignores them.
        preferences = row.get("preferences", ())
        if preferences or not isinstance(preferences, tuple):
            row["preferences"] = tuple(s for s in preferences if s in school_ids)
        teachers.append(construct(row))
    return teachers


def build_case(frames: dict[str, SheetFrame], columns: dict[str, Columns], settings: dict[str, str]) -> Case:
    """The case of the checked sheets; `settings` is the 设置 sheet's text (parsed on its own, see read.py)."""
    schools = list(map(_constructor(School), _records(frames["schools"], columns["schools"])))
    school_ids = {s.school_id for s in schools}
    teachers = _teachers(frames["teachers"], columns["teachers"], school_ids)
    demand = _constructor(Demand)
    demands = [demand(row) for row in _records(frames["demand"], columns["demand"]) if row["count"] > 0]
    links = list(map(_constructor(Link), _records(frames["links"], columns["links"]))) if "links" in frames else []
    pins = list(map(_constructor(Pin), _records(frames["pins"], columns["pins"]))) if "pins" in frames else []
    history = _history(frames["history"], columns["history"]) if "history" in frames else []
    return Case(teachers=teachers, schools=schools, demands=demands, links=links, pins=pins, settings=settings,
                history=history)


def _history(frame: SheetFrame, columns: Columns) -> list[Exchange]:
    """The past placements; without 结束学期 the end is counted from 学期数 (a plan's 派出安排)."""
    history, exchange = [], _constructor(Exchange)
    for row in _records(frame, columns):
        if row.get("to_term") is None:
            row["to_term"] = row["from_term"].shift(row["terms"] - 1)
        history.append(exchange(row))
    return history
