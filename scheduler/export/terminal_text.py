"""Text for a terminal: control characters from cell values are shown, never obeyed.

A teacher's name typed as "\\x1b[2J王芳" in a roster would clear the planner's screen, and an
"\\r" hides what precedes it; bidirectional overrides reorder what is shown. Each of them is printed
as its escape ("\\x1b", "\\r", "\\u202e") instead; line breaks the program itself prints stay.
"""

from __future__ import annotations

import re
from typing import TextIO

# C0 and C1 controls except the newline, DEL, and the bidirectional embeddings, overrides and isolates.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    return _CONTROLS.sub(_escape, text)


class EscapingStream:
    """A text stream that escapes control characters on the way to the one it wraps."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escape_controls(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
