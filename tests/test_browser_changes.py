"""Browser: publish, withdraw a teacher, re-plan and see the diff (issue #15's "Done when"). Debian's
chromium against a real `streamlit run` on a SQLite store of its own, the bundled Lüeyang sample:
solve, make the published documents on 导出 (which records the publication), record the first
published teacher's withdrawal on 变更, re-plan, and read the diff on screen — the teacher dropped
with the reason, a teacher added to take the seat, everyone else kept."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from browser_support import app_page, go, main, shoot, streamlit_server, wait_idle
from scheduler.store import open_store
from scheduler.store import changes as store_changes

pytestmark = pytest.mark.browser


def test_publish_withdraw_replan_and_see_the_diff(chromium: str, tmp_path: Path, shots: Path) -> None:
    from playwright.sync_api import expect

    started = time.monotonic()
    db = tmp_path / "planner.db"
    with streamlit_server(tmp_path / "server.log", env={"PLANNER_DB": f"sqlite:///{db}"}) as url, \
            app_page(chromium, url) as page:
        go(page, "求解")
        main(page).get_by_role("button", name="开始求解").click()
        main(page).get_by_text(re.compile("^求解完成：")).wait_for(state="visible", timeout=90_000)
        wait_idle(page)

        go(page, "导出")
        main(page).get_by_role("button", name="生成发布文件").click()
        expect(main(page).get_by_text(re.compile("^已记录：版本 #"))).to_be_visible(timeout=60_000)
        with open_store(f"sqlite:///{db}") as store:
            project = store.projects()[0]
            publication = store_changes.published(store, project.id)
            assert publication is not None  # publishing on 导出 froze the version as published
            placements = store.version(publication.version_id).plan.placements
        withdrawn = placements[0].teacher_id

        go(page, "变更")
        body = main(page)
        expect(body.get_by_text(f"已公示方案：版本 #{publication.version_id}")).to_be_visible()
        teacher = body.get_by_role("combobox", name="教师")
        teacher.click()
        page.keyboard.type(withdrawn)
        page.keyboard.press("Enter")
        wait_idle(page)
        body.get_by_label("原因").fill("调动")
        body.get_by_label("原因").press("Enter")
        wait_idle(page)
        body.get_by_role("button", name="登记", exact=True).click()
        expect(body.get_by_text(re.compile("^已登记：.*退出交流（调动）。$"))).to_be_visible()
        # and the form is empty again on screen (AppTest sees the widget's value, not what the browser shows);
        # until the rerun ends the old field may still be drawn next to the new, emptied one
        wait_idle(page)
        expect(body.get_by_label("原因")).to_have_count(1)
        expect(body.get_by_label("原因")).to_have_value("")
        expect(body.get_by_role("button", name="登记", exact=True)).to_be_disabled()
        # The message can show before the rerun has drawn the table of recorded changes: wait for its row.
        recorded = body.locator('[data-testid="stTable"]').first.locator("tbody tr").first
        expect(recorded.locator("td")).to_have_count(7)
        name = _cells(recorded)[3]
        wait_idle(page)

        body.get_by_role("button", name=re.compile("^重新规划")).click()
        body.get_by_role("heading", name="与已公示方案的差异").wait_for(state="visible", timeout=90_000)
        wait_idle(page)
        expect(body.get_by_text(f"保留 {len(placements) - 1} 人，调整 0 人，取消 1 人，新增 1 人")).to_be_visible()
        tables = body.locator('[data-testid="stTable"]')
        changed = tables.nth(1).locator("tbody tr")
        assert changed.count() == 2
        dropped, added = (_cells(changed.nth(i)) for i in (0, 1))
        assert dropped[:2] == ["取消", name] and dropped[-1] == f"{name}退出交流（调动）", dropped
        assert added[0] == "新增" and f"接替{name}" in added[-1], added
        # the kept placements are folded away under what changed: opened, as a planner would
        kept_box = body.get_by_text(re.compile("^保留的安排（"))
        expect(tables.nth(2)).not_to_be_visible()
        kept_box.click()
        kept = tables.nth(2).locator("tbody tr")
        expect(kept.first).to_be_visible()
        assert kept.count() == len(placements) - 1 and _cells(kept.first)[0] == "保留"
        expect(body.get_by_role("button", name="下载变更通知（PDF）")).to_be_visible()
        shoot(page, shots, "changes_diff")
    print(f"\npublish, withdraw, re-plan in the browser: {time.monotonic() - started:.1f} s")


def _cells(row) -> list[str]:
    """A st.table row's cells (the index is a th), as the planner reads them."""
    return [text.strip() for text in row.locator("td").all_inner_texts()]
