"""The 派遣通知书: one page per placed teacher, filled from a .docx template, as .docx and as PDF.

The .docx repeats the template's body once per teacher, each copy starting on a new page, so the
bureau prints one file (and may still edit a notice in Word). The PDF is set from the same filled
paragraphs (their alignment, indents, spacing and sizes), in the embedded CJK font, one teacher per
page: no office suite is needed on the server.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph as PdfParagraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable, TableStyle
from xml.sax.saxutils import escape

from ..rules import Text
from .fonts import cjk_font
from .pdf_pages import document_info
from .roster import Row, date_words, term_words
from .template_fields import COMMON, TemplateProblem, check_template, fill, fill_paragraph

#: custom marker in the .docx's core properties: `publish` may replace a file that carries it
DOCX_MARKER = "teacher-exchange-planner publish"


def load_template(source: str | Path) -> Document:
    """The template, checked: TemplateProblem for a file that is no .docx or names an unknown field."""
    try:
        document = Document(str(source))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise TemplateProblem(Text(f"通知书模板“{source}”不是可读取的 Word 文档（.docx）：{type(error).__name__}",
                                   f"the notice template {source} is not a readable Word document (.docx): "
                                   f"{type(error).__name__}")) from error
    check_template(document, Path(str(source)).name)
    return document


def notice_values(row: Row, issuer: str, day: date) -> dict[str, str]:
    return {"姓名": row.name, "性别": row.gender, "学科": row.subject, "职称": row.title, "原单位": row.home,
            "交流单位": row.host, "交流方式": row.form, "开始学期": term_words(row.start),
            "结束学期": term_words(row.end), "交流期限": row.period(), "发文单位": issuer, "日期": date_words(day)}


def _body_blocks(document: Document) -> list:
    body = document.element.body
    return [child for child in body.iterchildren() if child.tag != qn("w:sectPr")]


def filled_document(template: str | Path, rows: Sequence[Row], issuer: str, day: date) -> Document:
    """The template's body once per row, each from a new page, its fields filled."""
    document = load_template(template)
    body = document.element.body
    blocks = _body_blocks(document)
    section = body.find(qn("w:sectPr"))
    for block in blocks:
        body.remove(block)
    for number, row in enumerate(rows):
        copies = [copy.deepcopy(block) for block in blocks]
        for block in copies:
            if section is not None:
                section.addprevious(block)
            else:
                body.append(block)
        values = notice_values(row, issuer, day)
        for block in copies:
            if block.tag == qn("w:p"):
                fill_paragraph(Paragraph(block, document._body), values)
            elif block.tag == qn("w:tbl"):
                fill(Table(block, document._body), values)
        if number and copies:
            _new_page(document, copies[0])
    common = {name: value for name, value in notice_values(rows[0], issuer, day).items() if name in COMMON} \
        if rows else {"发文单位": issuer, "日期": date_words(day)}
    for section_ in document.sections:
        for part in (section_.header, section_.footer, section_.first_page_header, section_.first_page_footer):
            if not part.is_linked_to_previous:
                fill(part, common)
    document.core_properties.comments = DOCX_MARKER
    document.core_properties.title = "派遣通知书"
    return document


def _new_page(document: Document, first) -> None:
    """The next teacher's notice starts on a new page: its first paragraph breaks before it, or a
    template that opens with a table gets an empty paragraph with a page break in front of it."""
    if first.tag == qn("w:p"):
        Paragraph(first, document._body).paragraph_format.page_break_before = True
        return
    breaker = document.add_paragraph()._p
    run = breaker.add_r()
    run.add_br().set(qn("w:type"), "page")
    first.addprevious(breaker)


def write_notices_docx(path: str | Path, document: Document) -> None:
    document.save(str(path))


# --- the PDF, set from the filled paragraphs ------------------------------------------------

_ALIGN = {WD_ALIGN_PARAGRAPH.CENTER: TA_CENTER, WD_ALIGN_PARAGRAPH.RIGHT: TA_RIGHT,
          WD_ALIGN_PARAGRAPH.JUSTIFY: TA_JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT: TA_LEFT}


def _size(paragraph: Paragraph) -> float:
    for run in paragraph.runs:
        if run.font.size is not None:
            return run.font.size.pt
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 12.0


def _pt(length, default: float = 0.0) -> float:
    return length.pt if length is not None else default


def _pdf_paragraph(paragraph: Paragraph, font: str) -> list:
    size = _size(paragraph)
    fmt = paragraph.paragraph_format
    line = fmt.line_spacing
    leading = line.pt if hasattr(line, "pt") else size * 1.5 * (line if isinstance(line, float) else 1.0)
    alignment = paragraph.alignment if paragraph.alignment is not None else paragraph.style.paragraph_format.alignment
    style = ParagraphStyle(
        "p", fontName=font, fontSize=size, leading=max(leading, size * 1.2),
        alignment=_ALIGN.get(alignment, TA_LEFT), firstLineIndent=_pt(fmt.first_line_indent),
        leftIndent=_pt(fmt.left_indent), rightIndent=_pt(fmt.right_indent), spaceBefore=_pt(fmt.space_before),
        spaceAfter=_pt(fmt.space_after), wordWrap="CJK")
    text = paragraph.text
    flowables: list = []
    if fmt.page_break_before:
        flowables.append(PageBreak())
    if not text.strip():
        flowables.append(Spacer(1, max(leading, size * 1.2)))
    else:
        flowables.append(PdfParagraph(escape(text).replace("\n", "<br/>"), style))
    if any(br.get(qn("w:type")) == "page" for br in paragraph._p.iter(qn("w:br"))):
        flowables.append(PageBreak())
    return flowables


def _pdf_table(table: Table, font: str, width: float) -> PdfTable:
    style = ParagraphStyle("cell", fontName=font, fontSize=11, leading=15, wordWrap="CJK")
    data = [[PdfParagraph(escape(cell.text), style) for cell in row.cells] for row in table.rows]
    columns = max((len(r) for r in data), default=1)
    result = PdfTable(data, colWidths=[width / columns] * columns)
    result.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return result


def write_notices_pdf(path: str | Path, document: Document, issuer: str) -> None:
    font = cjk_font()
    section = document.sections[0]
    width = section.page_width.pt if section.page_width else A4[0]
    height = section.page_height.pt if section.page_height else A4[1]
    margins = [_pt(m, 72.0) for m in (section.left_margin, section.right_margin, section.top_margin,
                                      section.bottom_margin)]
    doc = SimpleDocTemplate(str(path), pagesize=(width, height), leftMargin=margins[0], rightMargin=margins[1],
                            topMargin=margins[2], bottomMargin=margins[3])
    document_info(doc, "派遣通知书", issuer)
    flowables: list = []
    for block in _body_blocks(document):
        if block.tag == qn("w:p"):
            flowables += _pdf_paragraph(Paragraph(block, document._body), font)
        elif block.tag == qn("w:tbl"):
            flowables.append(_pdf_table(Table(block, document._body), font, width - margins[0] - margins[1]))
    # One page per notice, always: a notice that would run over (a very long school name, a long
    # template) is set a little smaller rather than leave its signature or 抄送 alone on a page.
    frame = (width - margins[0] - margins[1] - 12, height - margins[2] - margins[3] - 12)
    story: list = []
    notice: list = []
    for flowable in flowables + [PageBreak()]:
        if isinstance(flowable, PageBreak):
            if notice:
                story += [KeepInFrame(*frame, content=notice, mode="shrink"), PageBreak()]
            notice = []
        else:
            notice.append(flowable)
    doc.build(story[:-1])
