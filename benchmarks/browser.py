"""Driving the app in a real browser, for the browser tests and `benchmarks.ui_solve`: Debian's
chromium and its launch flags, a real `streamlit run` server on a store of its own, and waiting for a
page to settle. Nothing of the test runner here: the tests turn a server that does not start into a
failure (tests/browser_support.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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



class ServerDidNotStart(RuntimeError):
    """`streamlit run` exited or did not answer its health check in time (the message holds its log)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(log_path: Path, env: dict[str, str] | None = None, port: int | None = None,
                     address: str = "127.0.0.1") -> Iterator[str]:
    """Start `streamlit run app.py` on a loopback port (a free one unless given; `address` 0.0.0.0
    listens on every interface too); yield its loopback URL once healthy; stop it. Its store is
    PLANNER_DB from `env`, else a new SQLite file beside the log: a browser test or benchmark never
    touches the planner's own store (~/.local/share/teacher-exchange)."""
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
                raise ServerDidNotStart(f"streamlit exited early with code {proc.returncode}:\n"
                                        + log_path.read_text(errors="replace"))
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode().strip() == "ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise ServerDidNotStart(f"streamlit did not answer /_stcore/health within {STARTUP_TIMEOUT_S:.0f} s:\n"
                                        + log_path.read_text(errors="replace"))
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)



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
