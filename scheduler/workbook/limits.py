"""How big an uploaded workbook may be. One place, so the README, the messages and the checks agree.

Sized for a province: 400,000 teachers with 20 to 40 columns is 8 to 16 million cells and about
200 MB of sheet XML (the 103,431-teacher benchmark roster: 1.8 million cells, 46 MB unpacked,
5.7 MB on disk, 0.6 GB peak memory while reading).
"""

from __future__ import annotations

#: Cells in one sheet's range, counted from A1 to its farthest filled cell (what the reader allocates).
MAX_CELLS = 25_000_000
#: Bytes the whole workbook may unpack to, and any one member of it.
MAX_UNPACKED_BYTES = 1 << 30
#: Members of the zip: a workbook has a dozen, a few hundred with many images.
MAX_MEMBERS = 10_000
#: Address space of the child process that reads the workbook.
READ_MEMORY_BYTES = 6 << 30
#: CPU seconds the child may spend; the wall-clock wait is a little longer.
READ_SECONDS = 300


def size_text(size: int) -> str:
    """1073741824 → "1 GB", as a planner reads it."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"
