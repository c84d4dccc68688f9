"""How big an uploaded workbook may be. One place, so the README, the messages and the checks agree.

Measured on the 103,431-teacher benchmark roster (17 columns, 1.8 million cells, 46 MB unpacked,
5.7 MB on disk): the reading child peaks at 0.2 GB, the planner grows by 0.36 GB (about 200 bytes
a cell). A province of 400,000 teachers is about 7 million cells and 180 MB unpacked, well inside
these limits; a sheet at the cell limit costs the planner about 2.4 GB.
"""

from __future__ import annotations

#: Cells in one sheet's range, counted from A1 to its farthest filled cell (what the reader allocates).
MAX_CELLS = 12_000_000
#: Bytes the whole workbook may unpack to, and any one member of it.
MAX_UNPACKED_BYTES = 1 << 30
#: A part larger than RATIO_FROM_BYTES may unpack to at most MAX_RATIO times its packed size. Real
#: sheets pack 5–20 to 1 (the benchmark roster's sheet: 8 to 1); a bomb packs a thousand to one and,
#: under the size limit, would still hold the reader for minutes.
MAX_RATIO = 100
RATIO_FROM_BYTES = 32 << 20
#: Members of the zip: a workbook has a dozen, a few hundred with many images.
MAX_MEMBERS = 10_000
#: Address space of the child process that reads the workbook.
READ_MEMORY_BYTES = 4 << 30
#: CPU seconds the child may spend; the wall-clock wait is a little longer.
READ_SECONDS = 300


def size_text(size: int) -> str:
    """1073741824 → "1 GB", as a planner reads it."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"
