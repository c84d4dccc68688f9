"""File names that say the scenario: `quota_rate=0.12,pairing_mode=prefer.xlsx`.

Only what Windows, macOS and Linux all accept (a bureau copies the folder to a shared drive), at most
120 characters before the suffix (a path of 260 characters is still a limit on many Windows desktops),
and never two scenarios on one name, also where names differ only in case.
"""

from __future__ import annotations

import hashlib
import re

#: characters no file name may hold on Windows (and / anywhere), control characters, and spaces
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\s]+')
#: names Windows reserves whatever the suffix
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_STEM = 120


def safe_name(text: str) -> str:
    """`text` with every unsafe run replaced by `_`, no leading or trailing dot or space."""
    name = _UNSAFE.sub("_", text).strip(" .") or "_"
    return f"_{name}" if name.split(".")[0].casefold() in _RESERVED else name


def file_stem(label: str, index: int, taken: set[str]) -> str:
    """The stem of the scenario `label`'s files: its safe name, shortened with a hash of the whole
    label when too long, numbered when another scenario already has it (`taken`, case-folded)."""
    stem = safe_name(label)
    if len(stem) > MAX_STEM:
        digest = hashlib.sha1(label.encode("utf-8")).hexdigest()[:8]
        stem = f"{stem[:MAX_STEM - 9]}~{digest}"
    if stem.casefold() in taken:
        stem = f"{stem}~{index + 1}"
    return stem
