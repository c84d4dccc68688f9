"""The fields of a notice template: `{姓名}` and the like, in a .docx the bureau edits in Word.

Word splits a paragraph's text into runs wherever the formatting or the spell checker says, so a
field typed as one word may lie across several runs; fields are found in the paragraph's whole
text and the runs are rewritten around them, keeping each run's formatting. Braces may be ASCII
or full-width (｛姓名｝, as a Chinese input method types them).
"""

from __future__ import annotations

import re
from typing import Iterator, Mapping

from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..rules import Text

FIELD = re.compile(r"[{｛]\s*([^{}｛｝\s]+)\s*[}｝]")

#: field → what it is, for the error that names an unknown one
FIELDS = {
    "姓名": "teacher's name", "性别": "gender", "学科": "subject", "职称": "title",
    "原单位": "sending school", "交流单位": "receiving school", "交流方式": "form of exchange",
    "开始学期": "first term", "结束学期": "last term", "交流期限": "period (months)",
    "发文单位": "issuing body", "日期": "date of the notice",
}
#: fields that are the same on every notice (the only ones a page header or footer may hold)
COMMON = ("发文单位", "日期")


class TemplateProblem(Exception):
    """A template that cannot be used; `text` names the problem in both languages."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def paragraphs(container) -> Iterator[Paragraph]:
    """Every paragraph of a document body, header, footer or table cell, tables included."""
    if isinstance(container, Table):
        yield from _table_paragraphs(container)
        return
    for paragraph in container.paragraphs:
        yield paragraph
    for table in getattr(container, "tables", []):
        yield from _table_paragraphs(table)


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            yield from paragraphs(cell)


def _parts(document: Document):
    yield "body", document
    for section in document.sections:
        for name, part in (("header", section.header), ("footer", section.footer),
                           ("header", section.first_page_header), ("footer", section.first_page_footer)):
            # A linked part has no text of its own (and reading it would add one to the document).
            if not part.is_linked_to_previous:
                yield name, part


def check_template(document: Document, source: str) -> None:
    """TemplateProblem naming every unknown field (and a per-teacher field in a header or footer)."""
    unknown: list[str] = []
    misplaced: list[str] = []
    for where, part in _parts(document):
        for paragraph in paragraphs(part):
            for name in FIELD.findall(paragraph.text):
                if name not in FIELDS:
                    unknown.append(name)
                elif where != "body" and name not in COMMON:
                    misplaced.append(name)
    known = "、".join("{" + f + "}" for f in FIELDS)
    if unknown:
        names = "、".join(dict.fromkeys("{" + n + "}" for n in unknown))
        raise TemplateProblem(Text(f"通知书模板“{source}”中有未知字段 {names}；可用字段：{known}",
                                   f"the notice template {source} has unknown field(s) {names}; the fields are: "
                                   f"{known}"))
    if misplaced:
        names = "、".join(dict.fromkeys("{" + n + "}" for n in misplaced))
        raise TemplateProblem(Text(f"通知书模板“{source}”的页眉或页脚中有每位教师不同的字段 {names}；"
                                   f"页眉页脚只能用 {{发文单位}}、{{日期}}",
                                   f"the notice template {source} has per-teacher field(s) {names} in a header or "
                                   f"footer; headers and footers may hold only {{发文单位}} and {{日期}}"))


def fill_paragraph(paragraph: Paragraph, values: Mapping[str, str]) -> None:
    """Replace every field in the paragraph, keeping the formatting of the run a field starts in."""
    runs = paragraph.runs
    text = "".join(run.text for run in runs)
    if not FIELD.search(text):
        return
    owner: list[int] = []  # the run each character of `text` belongs to
    for index, run in enumerate(runs):
        owner += [index] * len(run.text)
    pieces = [""] * len(runs)
    position = 0
    for match in FIELD.finditer(text):
        for at in range(position, match.start()):
            pieces[owner[at]] += text[at]
        pieces[owner[match.start()]] += values.get(match.group(1), match.group(0))
        position = match.end()
    for at in range(position, len(text)):
        pieces[owner[at]] += text[at]
    for run, piece in zip(runs, pieces):
        run.text = piece


def fill(container, values: Mapping[str, str]) -> None:
    for paragraph in paragraphs(container):
        fill_paragraph(paragraph, values)
