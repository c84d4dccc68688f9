"""The notice template shipped with the planner (templates/派遣通知书模板.docx), and how it is made.

A bureau edits a copy in Word (its own wording, its 文号, its letterhead) and passes it with
`publish --template`; `python -m scheduler.publish.default_template` writes the shipped file again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEMPLATE = Path(__file__).with_name("templates") / "派遣通知书模板.docx"

_BODY = [
    ("{姓名}同志：", "left", 0),
    ("根据县域义务教育教师交流轮岗工作安排，经个人申报、学校推荐、资格审查和公示，决定派你自{开始学期}起"
     "到{交流单位}交流轮岗，交流方式为{交流方式}，任教{学科}，期限至{结束学期}结束。", "justify", 2),
    ("交流期间，由{交流单位}负责你的日常管理和考核。请于开学前持本通知到{交流单位}报到。", "justify", 2),
    ("特此通知。", "left", 2),
]


def _font(run, size: float) -> None:
    run.font.size = Pt(size)
    run.font.name = "仿宋"
    run.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")


def build(path: Path = TEMPLATE) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(24)
    run = title.add_run("教师交流轮岗派遣通知书")
    _font(run, 22)
    run.bold = True
    for text, align, indent in _BODY:
        paragraph = document.add_paragraph()
        paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        paragraph.paragraph_format.first_line_indent = Pt(16 * indent) if indent else None
        paragraph.paragraph_format.line_spacing = Pt(29)
        paragraph.paragraph_format.space_after = Pt(0)
        _font(paragraph.add_run(text), 16)
    for _ in range(2):
        document.add_paragraph().paragraph_format.space_after = Pt(0)
    for text in ("{发文单位}（盖章）", "{日期}"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.line_spacing = Pt(29)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(32)
        _font(paragraph.add_run(text), 16)
    copy = document.add_paragraph()
    copy.paragraph_format.space_before = Pt(30)
    _font(copy.add_run("抄送：{原单位}，{交流单位}。"), 14)
    document.core_properties.title = "教师交流轮岗派遣通知书"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE)
