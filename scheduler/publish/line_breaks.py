"""Line breaks in a narrow table cell by the rules of Chinese typesetting (禁则): an opening bracket
or quote never ends a line, a closing one or a comma never starts one. reportlab's CJK wrapping keeps
the second rule but not the first ("…九年一贯制学校（" then "原…"), so the cells are broken here and
handed over line by line."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

CANNOT_END = "（([［【《〈「『“‘〔"
CANNOT_START = "）)]］】》〉」』”’〕，。、；：！？,.;:!?…—·％%"


def lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` points (a single character wider than that
    stays on a line of its own)."""
    out: list[str] = []
    line = ""
    for char in text:
        if char == "\n":
            out.append(line)
            line = ""
            continue
        if line and stringWidth(line + char, font, size) > width:
            carry = ""
            if char in CANNOT_START:
                # the character before goes down with it (and the one before that, if it too cannot
                # start a line: "学）" before "，")
                while len(line) > 1 and (not carry or carry[0] in CANNOT_START):
                    line, carry = line[:-1], line[-1] + carry
            while len(line) > 1 and line[-1] in CANNOT_END:
                line, carry = line[:-1], line[-1] + carry
            out.append(line)
            line = carry
        line += char
    out.append(line)
    return out
