"""The CJK font the PDFs are set in, found on the system and embedded (subset) in every PDF.

reportlab embeds TrueType outlines only (glyf), from a .ttf or from one face of a .ttc collection;
OpenType/CFF fonts (Noto Sans CJK's .otf/.ttc) it cannot embed. WenQuanYi Micro Hei is TrueType
and is what scripts/install_system_deps.sh installs (fonts-wqy-microhei); the other candidates are
TrueType CJK fonts Debian ships. `SCHEDULER_CJK_FONT` names another .ttf/.ttc file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..rules import Text

FONT_NAME = "CJK"
INSTALL = "sudo apt-get install fonts-wqy-microhei"

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


class FontMissing(Exception):
    """No TrueType CJK font was found; `text` says what to install, in both languages."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def _paths() -> list[Path]:
    chosen = os.environ.get("SCHEDULER_CJK_FONT")
    return ([Path(chosen)] if chosen else []) + [Path(p) for p in CANDIDATES]


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The registered font's name; FontMissing naming the install command when there is none."""
    tried = []
    for path in _paths():
        if not path.is_file():
            continue
        try:
            font = TTFont(FONT_NAME, str(path), subfontIndex=0) if path.suffix.lower() == ".ttc" \
                else TTFont(FONT_NAME, str(path))
        except (TTFError, OSError) as error:  # a CFF-outline font, a damaged file
            tried.append(f"{path} ({error})")
            continue
        pdfmetrics.registerFont(font)
        # One face serves for bold and italic too: CJK official documents set no bold Latin.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT_NAME, bold, italic, FONT_NAME)
        return FONT_NAME
    detail = ("；已试：" + "，".join(tried)) if tried else ""
    raise FontMissing(Text(
        f"找不到可嵌入 PDF 的中文 TrueType 字体，无法写出 PDF；请安装：{INSTALL}"
        f"（或用环境变量 SCHEDULER_CJK_FONT 指定一个 .ttf/.ttc 文件）{detail}",
        f"no CJK TrueType font that a PDF can embed was found, so no PDF can be written; install one: {INSTALL} "
        f"(or name a .ttf/.ttc file in SCHEDULER_CJK_FONT){detail.replace('；已试：', '; tried: ')}"))
