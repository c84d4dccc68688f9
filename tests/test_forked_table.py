"""The 未派出教师 sheet made in a forked child (workbook/forked_table.py) is the sheet made in-process.

`python -m scheduler solve` begins that sheet in a child right after the solve, while it audits and
writes the rest. Whether the child made it, failed, or was never forked (another thread running, as
in the Streamlit server), the plan workbook holds the same sheets in the same order, and the
未派出教师 sheet's XML is the same byte for byte.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import zipfile
from pathlib import Path

import pytest

from scheduler.audit import audit
from scheduler.export import sheets, unplaced_ahead, write_plan_workbook
from scheduler.model import solve
from scheduler.workbook import read_paths
from scheduler.workbook import forked_table

LUEYANG = Path(__file__).resolve().parent.parent / "sample_data" / "lueyang_county.xlsx"
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking is POSIX only")


@pytest.fixture(scope="module")
def planned():
    loaded = read_paths([LUEYANG])
    settings = loaded.settings.model_copy(update={"time_limit_s": 20})
    return loaded.case, settings, solve(loaded.case, settings)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.fixture(scope="module")
def in_process(planned, tmp_path_factory) -> dict[str, bytes]:
    case, settings, plan = planned
    path = tmp_path_factory.mktemp("alone") / "plan.xlsx"
    write_plan_workbook(case, settings, plan, path)
    return _parts(path)


def _without_other_threads(monkeypatch):
    # pytest-xdist's worker may run a thread of its own; the fork decision is what is tested elsewhere
    monkeypatch.setattr(forked_table.threading, "active_count", lambda: 1)


def _in_the_child(monkeypatch, happen) -> None:
    """`happen()` in the forked child as it begins the sheet; the parent makes the sheet as ever."""
    parent = os.getpid()
    made_here = sheets.write_unplaced

    def write_unplaced(*args, **kwargs):
        if os.getpid() != parent:
            happen()
        made_here(*args, **kwargs)

    monkeypatch.setattr(sheets, "write_unplaced", write_unplaced)


def test_a_child_makes_the_same_unplaced_sheet(planned, in_process, tmp_path, monkeypatch):
    _without_other_threads(monkeypatch)
    case, settings, plan = planned
    pending = unplaced_ahead(case, settings, plan)
    assert pending is not None
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(case, settings, plan, path, report=audit(case, settings, plan), unplaced=pending)
    assert pending.peak_rss_mb is not None  # the child ran and was reaped
    assert _parts(path) == in_process
    assert not Path(pending.folder).exists()


def test_a_child_that_fails_leaves_the_sheet_to_the_parent(planned, in_process, tmp_path, monkeypatch):
    _without_other_threads(monkeypatch)
    case, settings, plan = planned

    def runs_out():
        raise MemoryError("the child ran out")

    _in_the_child(monkeypatch, runs_out)
    pending = unplaced_ahead(case, settings, plan)
    assert pending is not None
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(case, settings, plan, path, unplaced=pending)
    assert _parts(path) == in_process


def test_no_child_is_forked_beside_another_thread(planned):
    case, settings, plan = planned
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert unplaced_ahead(case, settings, plan) is None
    finally:
        stop.set()
        other.join()


def test_a_write_that_fails_stops_the_child_and_removes_its_file(planned, tmp_path, monkeypatch):
    _without_other_threads(monkeypatch)
    case, settings, plan = planned
    pending = unplaced_ahead(case, settings, plan)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sheets, "write_placements", disk_full)  # the first sheet: before the child's is taken
    with pytest.raises(OSError):
        write_plan_workbook(case, settings, plan, tmp_path / "plan.xlsx", unplaced=pending)
    assert pending.done and not Path(pending.folder).exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(pending.pid, os.WNOHANG)  # reaped, not left a zombie


def test_a_child_that_hangs_is_stopped_and_the_parent_makes_the_sheet(planned, in_process, tmp_path, monkeypatch):
    _without_other_threads(monkeypatch)
    case, settings, plan = planned
    _in_the_child(monkeypatch, threading.Event().wait)  # waits for ever
    monkeypatch.setattr(forked_table, "HUNG_AFTER_S", 1.0)
    pending = unplaced_ahead(case, settings, plan)
    # Should the write wait for the child for ever, the test's own guard ends it in 60 s, and fails.
    guard = threading.Timer(60, os.kill, (pending.pid, signal.SIGKILL))
    guard.start()
    started = time.monotonic()
    path = tmp_path / "plan.xlsx"
    try:
        write_plan_workbook(case, settings, plan, path, unplaced=pending)
    finally:
        guard.cancel()
    assert time.monotonic() - started < 30
    assert _parts(path) == in_process
    with pytest.raises(ChildProcessError):
        os.waitpid(pending.pid, os.WNOHANG)  # stopped and reaped


def test_a_child_is_taken_when_its_pipe_is_numbered_past_1024(planned, in_process, tmp_path, monkeypatch):
    # A process holding many files gets high descriptor numbers; select() refuses those, and the
    # child was left unreaped with its folder on disk.
    _without_other_threads(monkeypatch)
    case, settings, plan = planned
    pending = unplaced_ahead(case, settings, plan)
    high = os.dup2(pending.answer, 1500)
    os.close(pending.answer)
    pending.answer = high
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(case, settings, plan, path, unplaced=pending)
    assert pending.peak_rss_mb is not None  # the child's table was taken, not made again here
    assert _parts(path) == in_process
    assert not Path(pending.folder).exists()
