"""Fixtures shared by the browser tests (test_browser_smoke.py, test_browser_e2e.py).

Both are module-scoped: each browser test module gets its own fresh `streamlit run` server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from browser_support import CHROMIUM, missing, streamlit_server


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
