"""The 变更通知: after a re-plan of a published plan, the notice of what changed and only that —
each teacher dropped, moved or added, with the placement before and after and the reason — as a
.docx the bureau may still edit and as a PDF set like the lists (pdf_list: A4 landscape, the CJK
font embedded, the header row on every page, 第X页/共Y页, issuer and date under the table)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from ..domain.models import Case
from ..domain.settings import Settings, required_settings
from ..plan import Placement, Plan
from ..rules.changes import KIND_LABEL, Change
from ..rules.context import Context
from .notices import DOCX_MARKER
from .pdf_list import ListPage, write_list_pdf
from .roster import date_words, heading, rows_of, term_words

COLUMNS = ("序号", "姓名", "原单位", "变更", "原安排", "现安排", "原因")
FILE_STEM = "变更通知"


@dataclass(frozen=True)
class ChangeNotice:
    title: str
    intro: str
    rows: list[list[str]]
    issuer: str
    date_text: str


def _where(ctx: Context, placement: Placement) -> str:
    return (f"{ctx.school_name(placement.school_id)}（{placement.subject}，{term_words(placement.start)}至"
            f"{term_words(placement.end)}）")


def notice_of(case: Case, settings: Settings, plan: Plan, changes: Sequence[Change], published: Plan,
              day: date) -> ChangeNotice:
    """What the notice says: its title and sentence, and one row per teacher whose placement changed."""
    settings = required_settings(settings)
    ctx = Context(case, settings, published)
    head = heading(case, settings, rows_of(case, settings, plan) or rows_of(case, settings, published), day)
    year = f"{head.school_year}学年" if head.school_year is not None else ""
    title = f"关于调整{head.region}{year}教师交流轮岗人员的通知"
    changed = [c for c in changes if c.changed]
    rows = []
    for number, change in enumerate(changed, start=1):
        known = case.has_teacher(change.teacher_id)
        teacher = case.teacher(change.teacher_id) if known else None
        rows.append([str(number), teacher.name if teacher else change.teacher_id,
                     ctx.school_name(teacher.school_id) if teacher else "", KIND_LABEL[change.kind].zh,
                     _where(ctx, change.before) if change.before else "—",
                     _where(ctx, change.after) if change.after else "不参加交流", change.text.zh])
    who = settings.issuer or "我单位"
    intro = (f"根据已公示的交流轮岗人员名单执行中的变化（教师退出、岗位需求调整等），经研究，{who}对以下"
             f"{len(rows)}名教师的交流轮岗安排作如下调整；名单中其余教师的安排不变。")
    return ChangeNotice(title, intro, rows, settings.issuer, date_words(day))


def notice_docx(notice: ChangeNotice) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    style.font.size = Pt(11)
    section = document.sections[0]
    section.page_width, section.page_height = section.page_height, section.page_width  # landscape
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(notice.title)
    run.font.size = Pt(18)
    intro = document.add_paragraph(notice.intro)
    intro.paragraph_format.first_line_indent = Pt(22)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS):
        cell.text = text
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = header.makeelement(qn("w:tblHeader"), {})
    header.append(repeat)  # the header row repeats on every page
    for row in notice.rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    for text in [x for x in (notice.issuer + "（盖章）" if notice.issuer else "", notice.date_text) if x]:
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.core_properties.title = notice.title
    document.core_properties.author = notice.issuer
    document.core_properties.comments = DOCX_MARKER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_pdf(notice: ChangeNotice) -> bytes:
    """FontMissing (fonts.py) when no CJK font can be embedded."""
    with tempfile.TemporaryDirectory(prefix="change-notice-") as folder:
        path = Path(folder) / f"{FILE_STEM}.pdf"
        write_list_pdf(path, ListPage(notice.title, notice.intro, COLUMNS, [("", notice.rows)], notice.issuer,
                                      notice.date_text))
        return path.read_bytes()


def change_notice(case: Case, settings: Settings, plan: Plan, changes: Sequence[Change], published: Plan,
                  day: date) -> tuple[bytes, bytes]:
    """The 变更通知 as (.docx, PDF) bytes, for a download."""
    notice = notice_of(case, settings, plan, changes, published, day)
    return notice_docx(notice), notice_pdf(notice)
