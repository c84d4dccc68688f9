"""Fixtures shared by the browser tests (test_browser_*.py), by the store tests (from store_support),
and `downloads` for the AppTests.

The browser fixtures are module-scoped: each browser test module gets its own fresh `streamlit run` server and page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from browser_support import CHROMIUM, app_page, missing, screenshot_dir, streamlit_server
# the store tests' databases: a SQLite file and a throwaway PostgreSQL cluster (tests/store_support.py)
from store_support import other_store_url, postgres_cluster, store_url  # noqa: F401


@pytest.fixture(scope="module")
def chromium() -> str:
    """Path of Debian's chromium; checked before the server is started."""
    if not os.path.exists(CHROMIUM):
        missing(f"{CHROMIUM} not found")
    return CHROMIUM


# Under `pytest -n 2` the two test workers already take the two cores: each solve searches one part
# at a time (the servers the browser tests start inherit it). With a core each for the parts, a
# worker's solves took both cores and a browser test's clicks on the other timed out.
# tests/test_solve_parts.py searches parts at once on purpose.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("PLANNER_PART_THREADS", "1")

#: each running server's URL → its log, attached to the report of a browser test that fails
SERVER_LOGS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def streamlit_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `streamlit run app.py` on a free loopback port, stopped after the module."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with streamlit_server(log) as url:
        SERVER_LOGS[url] = log
        yield url
        SERVER_LOGS.pop(url, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failed browser test shows the server's log (a traceback in a solve thread shows only there)."""
    outcome = yield
    report = outcome.get_result()
    url = getattr(item, "funcargs", {}).get("streamlit_url")
    if report.failed and url in SERVER_LOGS and SERVER_LOGS[url].exists():
        report.sections.append(("streamlit server log (last 60 lines)",
                                "\n".join(SERVER_LOGS[url].read_text(errors="replace").splitlines()[-60:])))


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def page(chromium: str, streamlit_url: str) -> Iterator[object]:
    """One chromium page on the app, kept for the whole module (one Streamlit session)."""
    with app_page(chromium, streamlit_url) as page:
        yield page


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Every download button's content, by its file name (AppTest keeps no media after a run)."""
    saved: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes) and filename:
            saved[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return saved
