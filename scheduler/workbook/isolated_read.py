"""Run calamine_child.py on a workbook and bring its sheets back, whatever the file does to the reader.

A file that makes the reader abort, panic, exhaust its memory cap or spin ends the child only;
the planner gets a refusal naming the reason and the server keeps serving. A subprocess (not
multiprocessing's fork) is safe to start from the planner's threads.
"""

from __future__ import annotations

import datetime
import io
import pickle
import signal
import subprocess
import sys
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
    rows: list[list[object]] | None  # None: not a template sheet, or it failed (see error)
    error: tuple[str, str] | None  # (exception type, its text) from the reader


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


def read_in_child(data: bytes, wanted: set[str]) -> ChildRead:
    """The sheets of a workbook, read in a child process; `wanted` are casefolded sheet names to read."""
    memory, seconds = limits.READ_MEMORY_BYTES, limits.READ_SECONDS
    request = pickle.dumps({"data": data, "wanted": wanted, "memory": memory, "seconds": seconds},
                           protocol=pickle.HIGHEST_PROTOCOL)
    child = subprocess.Popen([sys.executable, "-I", str(_CHILD)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = child.communicate(request, timeout=seconds + _WALL_MARGIN_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return ChildRead(refusal=Refusal("read_timeout", {"seconds": seconds}))
    if child.returncode != 0:
        return ChildRead(refusal=_why(child.returncode, err.decode("utf-8", "replace"), memory, seconds))
    try:
        answer = _CellsOnly(io.BytesIO(out)).load()
    except Exception:  # noqa: BLE001 - a truncated or strange answer is the child's failure
        return ChildRead(refusal=Refusal("read_crashed", {"reason": "no answer from the reader"}))
    return ChildRead([ChildSheet(*sheet) for sheet in answer["sheets"]], answer["error"])


def _why(returncode: int, stderr: str, memory: int, seconds: int) -> Refusal:
    if returncode in _TIMEOUT_SIGNALS:
        return Refusal("read_timeout", {"seconds": seconds})
    if "memory allocation" in stderr or "MemoryError" in stderr:
        return Refusal("read_memory", {"limit": size_text(memory)})
    last = next((line.strip() for line in reversed(stderr.splitlines()) if line.strip()), "")
    return Refusal("read_crashed", {"reason": (last or f"exit status {returncode}")[:200]})
