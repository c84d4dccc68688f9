"""The placements sheet (派出安排): its columns, shared by the writer and the plan reader.

The columns the reader needs follow the input workbook's conventions (教师编号 / teacher_id,
学科 / subject, 开始学期 / start_term, ...), so a planner can edit the exported sheet and hand
it back as a plan. The other columns are for people and are ignored when reading.
"""

from __future__ import annotations

from ..workbook.schema import Column, Kind, Sheet

_C = Column

PLACEMENTS = Sheet("placements", "派出安排", True, (
    _C("teacher_id", "教师编号", Kind.ID, True, "", ""),
    _C("name", "姓名", Kind.TEXT, False, "", ""),
    _C("from_school_id", "派出学校编号", Kind.ID, False, "", ""),
    _C("from_school_name", "派出学校", Kind.TEXT, False, "", ""),
    _C("school_id", "接收学校编号", Kind.ID, True, "改动此列即改动安排", "edit this column to move a teacher"),
    _C("school_name", "接收学校", Kind.TEXT, False, "", ""),
    _C("subject", "学科", Kind.SUBJECT, True, "", ""),
    _C("start_term", "开始学期", Kind.TERM, True, "", ""),
    _C("end_term", "结束学期", Kind.TERM, False, "", ""),
    _C("terms", "学期数", Kind.INT, False, "", ""),
    _C("form", "交流方式", Kind.TEXT, False, "", ""),
    _C("link_program", "结对项目", Kind.TEXT, False, "", ""),
    _C("backbone", "骨干", Kind.TEXT, False, "", ""),
    _C("title", "职称", Kind.TEXT, False, "", ""),
    _C("years_at_school", "本校任教年限", Kind.TEXT, False, "", ""),
    _C("wish", "志愿", Kind.TEXT, False, "", ""),
), "派出安排，每行一名教师", "the placements, one teacher a row")

