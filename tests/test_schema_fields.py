"""Every column of the workbook contract lands in a field of its domain model, never nowhere."""

from __future__ import annotations

import dataclasses

import pytest

from scheduler.workbook import build_case, schema
from scheduler.workbook.build_case import MODELS, SPLIT, column_fields, unmapped_columns
from scheduler.workbook.schema import Column, Kind
from workbook_builder import minimal, read_sheets


def test_every_schema_column_has_a_field_of_its_model():
    assert unmapped_columns() == [], "add the field to scheduler/domain/models.py (or to build_case.SPLIT)"


def test_every_sheet_that_becomes_objects_has_a_model():
    assert {s.key for s in schema.SHEETS} - set(MODELS) == {"settings"}  # settings become a Settings


@pytest.mark.parametrize("sheet", list(MODELS))
def test_every_field_a_column_fills_exists(sheet):
    fields = MODELS[sheet].model_fields
    for column, names in column_fields(sheet).items():
        assert names and all(name in fields for name in names), (sheet, column, names)
    assert all(key[0] in MODELS for key in SPLIT)


def test_a_new_column_without_a_field_fails_the_check(monkeypatch):
    teachers = schema.TEACHERS
    grown = dataclasses.replace(teachers, columns=(*teachers.columns,
                                                   Column("shoe_size", "鞋码", Kind.TEXT, False, "", "")))
    monkeypatch.setitem(schema.SHEET_BY_KEY, "teachers", grown)
    assert unmapped_columns() == [("teachers", "shoe_size")]


def test_a_column_no_field_receives_still_reaches_extra(monkeypatch):
    """The safety net behind the check: a column without a field travels as text, it is not dropped."""
    real = build_case.column_fields

    def without_spouse(sheet):
        fields = real(sheet)
        return {**fields, "spouse_id": ()} if sheet == "teachers" else fields

    monkeypatch.setattr(build_case, "column_fields", without_spouse)
    sheets = minimal()
    sheets["教师"][1][-1], sheets["教师"][2][-1] = "T2", "T1"
    loaded = read_sheets(sheets)
    assert loaded.case is not None, loaded.report.text("en")
    assert [(t.spouse_id, t.extra.get("spouse_id")) for t in loaded.case.teachers] == [(None, "T2"), (None, "T1")]
