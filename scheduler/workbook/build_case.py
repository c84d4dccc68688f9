"""Typed sheet columns to a `Case`. Only called once the report has no errors.

The columns were parsed and checked already, so objects are made with `model_construct`:
validating 100,000 teachers a second time would double the reading time for nothing.
"""

from __future__ import annotations

from typing import Any

from ..domain.models import Case, Demand, Link, Pin, School, Teacher
from .sheet_checks import Columns
from .sheet_frame import SheetFrame


def _records(frame: SheetFrame, columns: Columns, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    data = {key: columns[key].tolist() for key in keys}
    extras = {name: frame.text[name].tolist() for name in frame.extra_columns}
    rows = []
    for position in range(len(frame.text)):
        row = {key: data[key][position] for key in keys if data[key][position] is not None}
        row["extra"] = {name: values[position] for name, values in extras.items()}
        rows.append(row)
    return rows


def _teachers(frame: SheetFrame, columns: Columns, school_ids: set[str]) -> list[Teacher]:
    backbone = columns["backbone"].tolist()
    keys = ("teacher_id", "name", "school_id", "subject", "years_at_school", "gender", "birth_date",
            "other_subjects", "title", "exemption", "available_from", "available_to", "preferences",
            "spouse_id", "team_id", "seeking_promotion")
    teachers = []
    for row, flag in zip(_records(frame, columns, keys), backbone):
        if flag is not None:
            row["backbone"], row["backbone_level"] = flag
        # Unknown preferred schools were reported as warnings; the plan ignores them.
        row["preferences"] = tuple(s for s in row.get("preferences", ()) if s in school_ids)
        teachers.append(Teacher.model_construct(**row))
    return teachers


def build_case(frames: dict[str, SheetFrame], columns: dict[str, Columns], settings: dict[str, str]) -> Case:
    schools = [School.model_construct(**row) for row in _records(
        frames["schools"], columns["schools"],
        ("school_id", "name", "county", "locality", "stage", "host_capacity", "priority", "lon", "lat"))]
    school_ids = {s.school_id for s in schools}
    teachers = _teachers(frames["teachers"], columns["teachers"], school_ids)
    demands = [Demand.model_construct(**row) for row in _records(
        frames["demand"], columns["demand"], ("school_id", "subject", "count", "from_term", "to_term", "priority"))
        if row["count"] > 0]
    links = [Link.model_construct(**row) for row in _records(
        frames["links"], columns["links"],
        ("program", "lead_school_id", "member_school_id", "min_per_year", "max_per_year"))] if "links" in frames else []
    pins = [Pin.model_construct(**row) for row in _records(
        frames["pins"], columns["pins"], ("teacher_id", "action", "school_id", "start_term"))] if "pins" in frames else []
    return Case(teachers=teachers, schools=schools, demands=demands, links=links, pins=pins, settings=settings)

