"""Fixtures shared by the browser tests (test_browser_smoke.py, test_browser_e2e.py, test_browser_walk.py).

All are module-scoped: each browser test module gets its own fresh `streamlit run` server and page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import CHROMIUM, app_page, missing, screenshot_dir, streamlit_server


@pytest.fixture(scope="module")
def chromium() -> str:
    """Path of Debian's chromium; checked before the server is started."""
    if not os.path.exists(CHROMIUM):
        missing(f"{CHROMIUM} not found")
    return CHROMIUM


@pytest.fixture(scope="module")
def streamlit_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `streamlit run app.py` on a free loopback port, stopped after the module."""
    with streamlit_server(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def page(chromium: str, streamlit_url: str) -> Iterator[object]:
    """One chromium page on the app, kept for the whole module (one Streamlit session)."""
    with app_page(chromium, streamlit_url) as page:
        yield page
