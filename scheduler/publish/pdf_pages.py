"""The page furniture every published PDF shares: A4, margins, the CJK font, 第X页/共Y页 and the
marker a later `publish` run recognises its own files by."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .fonts import cjk_font

#: the PDF's /Creator: `publish` replaces an existing file without --force only when it carries this
CREATOR = "teacher-exchange-planner publish"
MARGIN = 18 * mm


class NumberedCanvas(canvas.Canvas):
    """Draws 第X页/共Y页 at the foot of every page once the number of pages is known."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width, _ = self._pagesize
            self.setFont(cjk_font(), 9)
            self.drawCentredString(width / 2, MARGIN / 2, f"第{number}页/共{total}页")
            super().showPage()
        super().save()


def document_info(doc: Any, title: str, issuer: str) -> None:
    """Title, author and the creator marker of a SimpleDocTemplate."""
    doc.title = title
    doc.author = issuer or ""
    doc.creator = CREATOR
    doc.subject = title


def is_published_pdf(path: Path) -> bool:
    try:
        head = path.read_bytes()
    except OSError:
        return False
    return head.startswith(b"%PDF") and b"teacher-exchange-planner publish" in head
