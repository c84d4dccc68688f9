"""Shared by the browser tests: Debian's chromium, its launch flags, and a real `streamlit run` server.

Playwright cannot download its own browser here, so the tests launch /usr/bin/chromium
(installed by scripts/install_system_deps.sh, which `make test` runs first).
Without chromium or playwright the tests are skipped locally but FAIL in CI (CI=true).
The pytest fixtures built on this (`chromium`, `streamlit_url`) live in tests/conftest.py.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
APP_TITLE = "教师交流轮岗规划"
STARTUP_TIMEOUT_S = 60.0
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(log_path: Path, env: dict[str, str] | None = None, port: int | None = None,
                     address: str = "127.0.0.1") -> Iterator[str]:
    """Start `streamlit run app.py` on a loopback port (a free one unless given; `address` 0.0.0.0
    listens on every interface too); yield its loopback URL once healthy; stop it. Its store is PLANNER_DB from `env`, else a new SQLite file beside the log: a
    browser test never touches the planner's own store (~/.local/share/teacher-exchange)."""
    port = port or free_port()
    environ = {**os.environ, "PLANNER_DB": f"sqlite:///{log_path.parent / 'planner.db'}", **(env or {})}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", address,
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=environ
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit exited early with code {proc.returncode}:\n"
                    + log_path.read_text(errors="replace")
                )
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode().strip() == "ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit did not answer /_stcore/health within {STARTUP_TIMEOUT_S:.0f} s:\n"
                    + log_path.read_text(errors="replace")
                )
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


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


def wait_idle(page, quiet_s: float = 0.6, timeout_s: float = 30.0) -> None:
    """Until Streamlit's "running" status widget has been gone for `quiet_s` (the script finished)."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"]').count() > 0
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the app was still running after {timeout_s:.0f} s")


def main(page):
    return page.locator('[data-testid="stMain"]')


def go(page, title: str) -> None:
    """Switch page through the top navigation (same session), wait for its header."""
    page.locator("header a", has_text=title).first.click()
    main(page).get_by_role("heading", name=title, exact=True).wait_for(state="visible")
    wait_idle(page)


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
