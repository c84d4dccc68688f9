"""One table of a `TableBook` made in a forked child, on the second core, while this process goes on.

At province scale the plan workbook's 未派出教师 sheet is 370,000 rows, a reason found and written for
each: 10 of the 16 seconds of writing, and nothing else waits for it. Forked right after the solve,
the child makes it while this process audits the plan and writes the other sheets and the JSON.

Only where forking is safe: on POSIX, from a process running no other Python thread (the command
line after its solve; the Streamlit server is threaded and makes the sheet itself). The child writes
the table's rows to a file and its widths and extent down a pipe, and touches nothing else; a child
that fails, is killed, sends a cut answer or is still at work `HUNG_AFTER_S` after it was forked
(stuck: the province's sheet takes it 7 s) leaves `take` returning None, and the caller makes the
table itself. Either way the sheet is the same, byte for byte.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from typing import Callable

from .table_book import TableBook, Table


#: a child still at work this long after it was forked is taken to be stuck, stopped, and its table
#: made by the caller (a table of 400,000 rows takes a child 7 s)
HUNG_AFTER_S = 600.0


def may_fork() -> bool:
    """Whether a child may be forked here: POSIX, and no other Python thread whose locks it could inherit."""
    return hasattr(os, "fork") and threading.active_count() == 1


class PendingTable:
    """A table being made in a child process: `take()` waits for it."""

    def __init__(self, pid: int, answer: int, folder: str):
        self.pid, self.answer, self.folder = pid, answer, folder
        self.forked = time.monotonic()
        self.done = False
        #: the child's peak resident memory, MiB, once taken (it shares the parent's pages until it writes them)
        self.peak_rss_mb: float | None = None

    def cancel(self) -> None:
        """Stop the child and clean up, unless its table was taken (a write that failed before it)."""
        if not self.done:
            os.kill(self.pid, signal.SIGKILL)
            self.take()

    def take(self) -> Table | None:
        """The child's table, or None when it did not make one (the caller makes it then). Once."""
        if self.done:
            return None
        self.done = True
        try:
            answer = self._answer()
        except OSError:  # whatever went wrong reading, the child is stopped and reaped, its folder removed
            os.kill(self.pid, signal.SIGKILL)
            answer = b""
        _, status, usage = os.wait4(self.pid, 0)
        self.peak_rss_mb = usage.ru_maxrss / 1024
        rows = os.path.join(self.folder, "rows.xml")
        try:
            if status != 0 or not answer:
                return None
            shape = json.loads(answer)
            table = Table(shape["name"], shape["columns"])
            table.widths, table.first, table.last = shape["widths"], shape["first"], shape["last"]
            # The child's file itself, not a copy (200 MB at province); open, it outlives its folder (POSIX).
            table.rows.close()
            table.rows = open(rows, "rb")
            return table
        except (OSError, ValueError, KeyError):
            return None
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


    def _answer(self) -> bytes:
        """What the child sent down the pipe; a child that is stuck is stopped first."""
        # poll, not select: select refuses a descriptor numbered 1024 or more, which a busy process has
        waiting = select.poll()
        waiting.register(self.answer, select.POLLIN)
        left_ms = max(0, round((self.forked + HUNG_AFTER_S - time.monotonic()) * 1000))
        if not waiting.poll(left_ms):
            os.kill(self.pid, signal.SIGKILL)  # stuck: its pipe closes, the read below ends at once
        with os.fdopen(self.answer, "rb") as pipe:
            return pipe.read()


def table_in_child(make: Callable[[TableBook], None]) -> PendingTable | None:
    """Fork a child that runs `make` on a workbook of its own (it adds one table); None when forking
    is not safe here (see `may_fork`), and the caller makes the table itself."""
    if not may_fork():
        return None
    folder = tempfile.mkdtemp(prefix="plan-table-")
    answer, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one table, then gone without running the parent's exit handlers
        code = 1
        try:
            os.close(answer)
            book = TableBook(os.devnull)
            make(book)
            (table,) = book.tables
            table.rows.seek(0)
            with open(os.path.join(folder, "rows.xml"), "wb") as rows:
                shutil.copyfileobj(table.rows, rows, 1 << 20)
            shape = json.dumps({"name": table.name, "columns": table.columns, "widths": table.widths,
                                "first": table.first, "last": table.last}).encode()
            with os.fdopen(send, "wb") as pipe:
                pipe.write(shape)
            code = 0
        finally:
            os._exit(code)
    os.close(send)
    return PendingTable(pid, answer, folder)
