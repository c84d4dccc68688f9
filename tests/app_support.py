"""Driving the planner in AppTest (streamlit.testing): start it, reach its state, upload a file."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start(db: Path | None = None) -> AppTest:
    """A new session on the app. Its store (PLANNER_DB) is `db`, else a new empty one of its own: a
    test never sees another's projects, nor the planner's own store; the same `db` is one workspace."""
    if db is None:
        folder = tempfile.mkdtemp(prefix="planner-db-")
        atexit.register(shutil.rmtree, folder, True)  # 360 of them were left in /tmp after a day's runs
        db = Path(folder) / "planner.db"
    os.environ["PLANNER_DB"] = f"sqlite:///{db}"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    return at


def planner(at: AppTest):
    return at.session_state["planner"]


def uploader(at: AppTest):
    """The Data page's uploader: a fresh one (a new key) after every change of data."""
    return at.file_uploader(key=f"upload_{planner(at).data_version}")


def upload(at: AppTest, name: str, data: bytes) -> None:
    uploader(at).set_value((name, data, XLSX)).run()
    assert not at.exception
