"""Browser smoke test: the real Streamlit server, driven by Debian's chromium via Playwright.

Playwright cannot download its own browser here, so it launches /usr/bin/chromium
(installed by scripts/install_system_deps.sh, which `make test` runs first).
Without chromium the test is skipped locally but FAILS in CI (CI=true).
The `chromium` and `streamlit_url` fixtures are in tests/conftest.py (helpers in browser_support.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import APP_TITLE, CHROMIUM_ARGS, require_playwright


@pytest.mark.browser
def test_app_renders_title_in_chromium(chromium: str, streamlit_url: str, tmp_path: Path) -> None:
    require_playwright()
    from playwright.sync_api import expect, sync_playwright

    screenshot = tmp_path / "app.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            page.goto(streamlit_url, wait_until="domcontentloaded", timeout=30_000)
            page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
            heading = page.get_by_role("heading", name=APP_TITLE)
            heading.wait_for(state="visible", timeout=30_000)
            expect(page).to_have_title(APP_TITLE, timeout=10_000)
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()

    assert screenshot.stat().st_size > 0
    print(f"screenshot: {screenshot}")
