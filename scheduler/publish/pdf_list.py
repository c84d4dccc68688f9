"""A list as a PDF: title, the words above it, a table grouped by school whose header row repeats on
every page, the issuer and date below. Cells wrap (a long school name takes two lines), so no text
is ever cut off; the widths are shares of the printable width."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from xml.sax.saxutils import escape

from .fonts import cjk_font
from .line_breaks import lines
from .pdf_pages import MARGIN, NumberedCanvas, document_info

#: relative widths of the columns the lists use; any other column gets 1
WIDTHS = {"序号": 0.9, "姓名": 1.5, "性别": 0.8, "原单位": 4.2, "交流单位": 4.2, "学科": 1.2, "职称": 1.1,
          "骨干": 1.5, "交流方式": 1.7, "交流期限": 2.6, "学校名称": 4.2, "区县": 1.5, "学年": 1.8,
          # the 变更通知 (change_notice.py)
          "变更": 1.0, "原安排": 4.6, "现安排": 4.6, "原因": 4.0}


@dataclass(frozen=True)
class ListPage:
    """What a list PDF shows; `groups` are (group line, rows of cell texts); an empty group line
    prints the rows without one."""

    title: str
    intro: str
    columns: Sequence[str]
    groups: Sequence[tuple[str, Sequence[Sequence[str]]]]
    issuer: str
    date_text: str
    portrait: bool = False
    note: str = ""


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=17, leading=24, alignment=TA_CENTER,
                                spaceAfter=4 * 2.83, wordWrap="CJK"),
        "intro": ParagraphStyle("intro", fontName=font, fontSize=11, leading=18, alignment=TA_JUSTIFY,
                                firstLineIndent=22, spaceAfter=8, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=font, fontSize=10, leading=13, alignment=TA_CENTER, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12.5, alignment=TA_CENTER,
                               wordWrap="CJK"),
        "left": ParagraphStyle("left", fontName=font, fontSize=9.5, leading=12.5, alignment=TA_LEFT, wordWrap="CJK"),
        "group": ParagraphStyle("group", fontName=font, fontSize=10, leading=13, alignment=TA_LEFT, wordWrap="CJK"),
        "sign": ParagraphStyle("sign", fontName=font, fontSize=11, leading=20, alignment=TA_RIGHT, wordWrap="CJK"),
        "note": ParagraphStyle("note", fontName=font, fontSize=9, leading=13, alignment=TA_LEFT, wordWrap="CJK"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


#: a cell's left and right padding, in points
_PAD = 3


def _cell(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A cell's text broken into lines here (禁则 kept, line_breaks.py), a hair inside the cell so
    reportlab's own wrapping finds nothing more to break."""
    broken = lines(str(text), style.fontName, style.fontSize, width - 2 * _PAD - 1)
    return Paragraph("<br/>".join(escape(line) for line in broken), style)


#: columns whose text reads from the left (school names); the rest are centred
_LEFT = {"原单位", "交流单位", "学校名称"}


def write_list_pdf(path: str | Path, page: ListPage) -> None:
    size = A4 if page.portrait else landscape(A4)
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN)
    document_info(doc, page.title, page.issuer)
    style = _styles()
    width = size[0] - 2 * MARGIN
    weights = [WIDTHS.get(c, 1.0) for c in page.columns]
    widths = [width * w / sum(weights) for w in weights]
    data: list[list[object]] = [[_cell(c, style["head"], w) for c, w in zip(page.columns, widths)]]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
    ]
    for label, rows in page.groups:
        if label:
            data.append([_p(label, style["group"])] + [""] * (len(page.columns) - 1))
            line = len(data) - 1
            # The group line never ends a page: it goes over with the group's first row.
            commands += [("SPAN", (0, line), (-1, line)), ("NOSPLIT", (0, line), (-1, min(line + 1, line + len(rows)))),
                         ("BACKGROUND", (0, line), (-1, line), colors.Color(0.95, 0.95, 0.95))]
        for cells in rows:
            data.append([_cell(v, style["left" if c in _LEFT else "cell"], w)
                         for c, v, w in zip(page.columns, cells, widths)])
    last = len(data) - 1
    commands.append(("GRID", (0, 0), (-1, last), 0.5, colors.black))
    # The note and the issuer's signature are the table's last rows, without lines: they go over to a
    # new page together with the last two rows (and the header repeated above them), never alone.
    closing = [page.issuer + "（盖章）"] if page.issuer else []
    closing.append(page.date_text)
    below: list[object] = []
    if page.note:
        below.append(_p(page.note, style["note"]))
    below.append(Paragraph("<br/>".join(escape(x) for x in closing), style["sign"]))
    for position, flowable in enumerate(below):
        data.append([flowable] + [""] * (len(page.columns) - 1))
        row = len(data) - 1
        commands += [("SPAN", (0, row), (-1, row)), ("LEFTPADDING", (0, row), (-1, row), 0),
                     ("RIGHTPADDING", (0, row), (-1, row), 0),
                     ("TOPPADDING", (0, row), (-1, row), 24 if position == len(below) - 1 else 6)]
    commands.append(("NOSPLIT", (0, max(1, last - 1)), (-1, len(data) - 1)))
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    story: list[object] = [_p(page.title, style["title"])]
    if page.intro:
        story.append(_p(page.intro, style["intro"]))
    story.append(table)
    doc.build(story, canvasmaker=NumberedCanvas)
