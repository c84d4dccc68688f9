"""Run calamine_child.py on a workbook and bring its sheets back, whatever the file does to the reader.

A file that makes the reader abort, panic, exhaust its memory cap or spin ends the child only;
the planner gets a refusal naming the reason and the server keeps serving. A subprocess (not
multiprocessing's fork) is safe to start from the planner's threads.

The child is started before the zip scan and works while the scan runs, and its answer is
unpickled as it streams in: on the 100,000-teacher roster this hides the scan and half the
transfer (about 0.7 s of the 1.2 s the isolation would otherwise add).
"""

from __future__ import annotations

import datetime
import pickle
import re
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import limits
from .limits import size_text
from .zip_scan import Refusal

_CHILD = Path(__file__).with_name("calamine_child.py")
#: Beyond the CPU cap: time to start, to hand the file over and to send the sheets back.
_WALL_MARGIN_S = 30
_TIMEOUT_SIGNALS = {-signal.SIGXCPU, -signal.SIGKILL} if hasattr(signal, "SIGXCPU") else set()


@dataclass
class ChildSheet:
    name: str
    columns: list[list[object]] | None  # None: not a template sheet, or it failed (see error)
    error: tuple[str, str] | None  # (exception type, its text) from the reader
    #: Positions of the columns whose every cell is text already as a planner sees it (no space
    #: around it, no exporter's apostrophe): `cells.texts` leaves those as they are.
    clean: frozenset[int] = frozenset()


#: A cell of a NUL-joined column that `cells.cell_text` would change: space at either end (the
#: same characters str.strip removes) or a leading apostrophe.
_NOT_CLEAN = re.compile(r"(?:^|\x00)[\s']|\s(?:\x00|\Z)")
#: Most columns hold no space or apostrophe at all, which this finds five times faster.
_MAYBE_NOT_CLEAN = re.compile(r"[\s']")


def _unpack(name: str, columns: list[tuple[str, object]] | None, error) -> ChildSheet:
    if columns is None:
        return ChildSheet(name, None, error)
    cells, clean = [], set()
    for position, (kind, packed) in enumerate(columns):
        if kind == "text":
            # One scan of the joined text instead of stripping 400,000 cells one by one (1.3 s).
            if _MAYBE_NOT_CLEAN.search(packed) is None or _NOT_CLEAN.search(packed) is None:
                clean.add(position)
            packed = packed.split("\x00")
        cells.append(packed)
    return ChildSheet(name, cells, error, frozenset(clean))


@dataclass
class ChildRead:
    sheets: list[ChildSheet] = field(default_factory=list)
    #: The reader refused the whole file: (exception type, its text).
    error: tuple[str, str] | None = None
    #: The child did not come back (killed by its caps, aborted): why, as a message.
    refusal: Refusal | None = None


class _CellsOnly(pickle.Unpickler):
    """The child's answer holds lists, text, numbers and dates; nothing else may be built from it."""

    _ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str) -> type:
        if (module, name) in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


class ChildReader:
    """One workbook being read in a child process: `finish()` for its sheets, or `cancel()`."""

    def __init__(self, data: bytes, wanted: set[str] | None):
        self.memory, self.seconds = limits.READ_MEMORY_BYTES, limits.READ_SECONDS
        request = pickle.dumps({"data": data, "wanted": wanted, "memory": self.memory, "seconds": self.seconds},
                               protocol=pickle.HIGHEST_PROTOCOL)
        # stderr to a file: a long Rust backtrace must never block the child on a full pipe.
        self._stderr = tempfile.TemporaryFile()
        self._child = subprocess.Popen([sys.executable, "-I", str(_CHILD)], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=self._stderr)
        self._timed_out = False
        self._watchdog = threading.Timer(self.seconds + _WALL_MARGIN_S, self._time_out)
        self._watchdog.daemon = True
        self._watchdog.start()
        try:
            self._child.stdin.write(request)  # the child reads all of it before it writes anything
            self._child.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # it died at once; finish() says why

    def _time_out(self) -> None:
        self._timed_out = True
        self._child.kill()

    def cancel(self) -> None:
        self._watchdog.cancel()
        self._child.kill()
        self._child.wait()
        self._close()

    def finish(self) -> ChildRead:
        try:
            answer = _CellsOnly(self._child.stdout).load()
        except Exception:  # noqa: BLE001 - no answer or a cut one: the exit status says why
            answer = None
        self._child.stdout.close()
        returncode = self._child.wait()
        self._watchdog.cancel()
        self._stderr.seek(0)
        stderr = self._stderr.read(1 << 20).decode("utf-8", "replace")
        self._close()
        if self._timed_out:
            return ChildRead(refusal=Refusal("read_timeout", {"seconds": self.seconds}))
        if returncode != 0 or answer is None:
            return ChildRead(refusal=_why(returncode, stderr, self.memory, self.seconds))
        return ChildRead([_unpack(name, columns, error) for name, columns, error in answer["sheets"]],
                         answer["error"])

    def _close(self) -> None:
        for stream in (self._child.stdout, self._stderr):
            if stream and not stream.closed:
                stream.close()


def read_in_child(data: bytes, wanted: set[str] | None) -> ChildRead:
    """The sheets of a workbook, read in a child process; `wanted` are casefolded sheet names to read
    (None: every sheet)."""
    return ChildReader(data, wanted).finish()


def _why(returncode: int, stderr: str, memory: int, seconds: int) -> Refusal:
    if returncode in _TIMEOUT_SIGNALS:
        return Refusal("read_timeout", {"seconds": seconds})
    if "memory allocation" in stderr or "MemoryError" in stderr:
        return Refusal("read_memory", {"limit": size_text(memory)})
    last = next((line.strip() for line in reversed(stderr.splitlines()) if line.strip()), "")
    return Refusal("read_crashed", {"reason": (last or f"exit status {returncode}")[:200]})
