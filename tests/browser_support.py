"""Shared by the browser tests: Debian's chromium, its launch flags, and a real `streamlit run` server
(the parts a benchmark uses too are in benchmarks/browser.py).

Playwright cannot download its own browser here, so the tests launch /usr/bin/chromium
(installed by scripts/install_system_deps.sh, which `make test` runs first).
Without chromium or playwright the tests are skipped locally but FAIL in CI (CI=true).
The pytest fixtures built on this (`chromium`, `streamlit_url`) live in tests/conftest.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks import browser
# the tests' names for the shared parts
from benchmarks.browser import (  # noqa: F401
    APP_TITLE, CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, STARTUP_TIMEOUT_S, VIEWPORT, free_port, go, main, wait_idle)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> None:
    """Fail in CI (a missing browser must not pass silently), skip on a developer machine."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure; `make test` installs it)")
    pytest.skip(f"{reason}; run `bash scripts/install_system_deps.sh` or `make test`")


def require_playwright() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")


@contextmanager
def streamlit_server(log_path: Path, env: dict[str, str] | None = None, port: int | None = None,
                     address: str = "127.0.0.1") -> Iterator[str]:
    """`benchmarks.browser.streamlit_server`; a server that does not start fails the test."""
    try:
        with browser.streamlit_server(log_path, env, port, address) as url:
            yield url
    except browser.ServerDidNotStart as error:
        pytest.fail(str(error))


# ---------------------------------------------------------------- driving one page of the app


def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """$SCREENSHOT_DIR if set (to look at the pages afterwards), else a pytest tmp dir."""
    folder = os.environ.get("SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screens")
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def app_page(chromium: str, url: str) -> Iterator[object]:
    """One chromium page on the app, on the Data page, idle: one Streamlit session for its life."""
    require_playwright()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
            context.set_default_timeout(30_000)
            page = context.new_page()
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_role("heading", name=APP_TITLE).wait_for(state="visible")
            page.get_by_role("heading", name="数据", exact=True).wait_for(state="visible")
            wait_idle(page)
            yield page
        finally:
            browser.close()


def shoot(page, folder: Path, name: str) -> Path:
    """A full-height PNG: Streamlit scrolls inside <main>, so grow the viewport to its content."""
    height = page.evaluate(
        """() => Math.max(...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
                 .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight), 0)"""
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(int(height), 12_000))})
    page.wait_for_timeout(400)  # let charts and grids re-lay out at the new size
    path = folder / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)
    assert path.stat().st_size > 0
    return path


def number(text: str) -> float:
    match = re.search(r"-?\d[\d,]*(\.\d+)?", text)
    assert match, f"no number in {text!r}"
    return float(match.group(0).replace(",", ""))
