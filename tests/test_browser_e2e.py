"""Browser end-to-end: a planner's whole afternoon in Debian's chromium against a real `streamlit run`.

upload tianjin_pairing.xlsx through the real file input → clean report → quota 12 % on 规则 →
开始求解 on 求解 → 交流人数 on 方案 → the workbook from 导出, opened with openpyxl → the registry-style
roster (花名册 with ID numbers) uploaded and solved, no ID number in full on any page → English.

The tests run in file order and share ONE browser page (one Streamlit session): each step starts
where the previous one left off, exactly as a planner would click through the app. Pages are
switched by clicking the top navigation (a `page.goto` would open a new, empty session).

Every page is saved as a full-height PNG into $SCREENSHOT_DIR (default: a pytest tmp dir), so a
person can look at what a planner sees: `SCREENSHOT_DIR=tmp/screens .venv/bin/pytest -m browser`.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import openpyxl
import pytest

from browser_support import APP_TITLE, REPO_ROOT, go, main, number, shoot, wait_idle

pytestmark = pytest.mark.browser

SAMPLE = REPO_ROOT / "sample_data" / "tianjin_pairing.xlsx"
REGISTRY = REPO_ROOT / "sample_data" / "registry_county.xlsx"
FULL_ID = re.compile(r"[0-9]{17}[0-9Xx]")
QUOTA_LABEL = "每校每学年交流比例（占符合条件教师）（%）"
SOLVE_TIMEOUT_MS = 90_000
# Sheets of the exported assignment workbook (scheduler.export.sheets) a planner relies on.
SUMMARY_SHEETS = ["派出学校汇总", "接收学校汇总", "求解概要", "规则设置", "审核"]

# What one step found out and a later step checks against.
found: dict[str, object] = {}


# ---------------------------------------------------------------- fixtures


# ---------------------------------------------------------------- the planner's steps


def test_upload_through_the_file_input_reports_clean_data(page, shots: Path) -> None:
    from playwright.sync_api import expect

    # the app renders in chromium: its title on the tab and the page (the `page` fixture waited for the heading)
    expect(page).to_have_title(APP_TITLE, timeout=10_000)
    expect(page.get_by_role("heading", name=APP_TITLE)).to_be_visible()
    body = main(page)
    expect(body.get_by_text("当前数据：略阳县", exact=False)).to_be_visible()  # the sample on first visit
    uploader = body.locator('[data-testid="stFileUploader"]').filter(has_text="上传工作簿或CSV文件")
    uploader.locator('input[type="file"]').set_input_files(str(SAMPLE))
    expect(body.get_by_text(f"当前数据：{SAMPLE.name}")).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(body.get_by_text("数据检查通过，未发现问题。")).to_be_visible()
    expect(body.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    shoot(page, shots, "01_data")


def test_quota_12_solve_and_plan(page, shots: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    go(page, "规则")
    quota = main(page).get_by_role("spinbutton", name=QUOTA_LABEL, exact=True)
    quota.fill("12")
    quota.press("Enter")
    wait_idle(page)
    expect(quota).to_have_value(re.compile(r"^12(\.0+)?$"))
    shoot(page, shots, "02_rules")

    go(page, "求解")
    shoot(page, shots, "03_solve_before")
    started = time.monotonic()
    main(page).get_by_role("button", name="开始求解").click()
    done = main(page).get_by_text(re.compile("^求解完成："))
    # The live progress, if the solve lasts long enough to see it (not asserted: fast solves skip it);
    # a solve done within the 2 s goes on at once.
    try:
        done.wait_for(state="visible", timeout=2_000)
    except PlaywrightTimeout:
        if main(page).locator('[data-testid="stProgress"]').count():
            shoot(page, shots, "03_solve_running")
    done.wait_for(state="visible", timeout=SOLVE_TIMEOUT_MS)
    wall = time.monotonic() - started
    message = done.inner_text()
    reported = number(message.split("用时", 1)[1])
    placed = int(number(message.split("共安排", 1)[1]))
    print(f"\nsolve in the UI: {wall:.1f} s wall (click → message): {message}")
    found.update(solve_wall_s=wall, solve_reported_s=reported, placed=placed)
    wait_idle(page)
    shoot(page, shots, "04_solve_done")

    go(page, "方案")
    metric = main(page).locator('[data-testid="stMetric"]').filter(has_text="交流人数")
    value = int(number(metric.locator('[data-testid="stMetricValue"]').inner_text()))
    assert value > 0
    assert value == placed, f"方案 shows {value} placements, the solve message said {placed}"
    found["metric"] = value
    tabs = main(page).get_by_role("tab")
    names = tabs.all_inner_texts()
    assert "派出安排" in "".join(names)
    for index, name in enumerate(names):
        tabs.nth(index).click()
        wait_idle(page)
        shoot(page, shots, f"05_plan_tab{index + 1}_{name.strip()}")
    tabs.nth(0).click()


def test_export_workbook_opens_with_the_sheets(page, shots: Path, tmp_path: Path) -> None:
    go(page, "导出")
    shoot(page, shots, "06_export")
    body = main(page)
    with page.expect_download() as info:
        body.get_by_role("button", name="下载派出安排工作簿").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    assert "tianjin_pairing" in download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        assert "派出安排" in book.sheetnames, book.sheetnames
        for sheet in SUMMARY_SHEETS:
            assert sheet in book.sheetnames, f"{sheet} missing from {book.sheetnames}"
        rows = [r for r in book["派出安排"].iter_rows(min_row=2, values_only=True)
                if any(v not in (None, "") for v in r)]
        assert len(rows) >= 1
        if "placed" in found:
            assert len(rows) == found["placed"], "派出安排 rows differ from the solve message"
    finally:
        book.close()

    with page.expect_download() as info:
        body.get_by_role("button", name="下载JSON摘要").click()
    summary = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert len(summary["placements"]) == len(rows)
    assert float(summary["settings"]["quota_rate"]) == pytest.approx(0.12)


def test_registry_roster_uploads_clean_and_solves_without_showing_an_id_number(page, shots: Path) -> None:
    from playwright.sync_api import expect

    go(page, "数据")
    body = main(page)
    uploader = body.locator('[data-testid="stFileUploader"]').filter(has_text="上传工作簿或CSV文件")
    uploader.locator('input[type="file"]').set_input_files(str(REGISTRY))
    expect(body.get_by_text(f"当前数据：{REGISTRY.name}")).to_be_visible(timeout=30_000)
    wait_idle(page)
    # The registry's own headers (工号, 教师姓名, 所在学校 ...) are known: no mapping step, no error.
    expect(body.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    expect(body.get_by_role("heading", name="列对应")).to_have_count(0)
    assert not FULL_ID.search(body.inner_text()), "the Data page shows an ID number in full"
    shoot(page, shots, "10_registry_data")

    go(page, "求解")
    main(page).get_by_role("button", name="开始求解").click()
    done = main(page).get_by_text(re.compile("^求解完成："))
    done.wait_for(state="visible", timeout=SOLVE_TIMEOUT_MS)
    placed = int(number(done.inner_text().split("共安排", 1)[1]))
    assert placed > 0
    wait_idle(page)
    shoot(page, shots, "11_registry_solved")

    go(page, "方案")
    metric = main(page).locator('[data-testid="stMetric"]').filter(has_text="交流人数")
    assert int(number(metric.locator('[data-testid="stMetricValue"]').inner_text())) == placed
    tabs = main(page).get_by_role("tab")
    for index in range(tabs.count()):
        tabs.nth(index).click()
        wait_idle(page)
        assert not FULL_ID.search(main(page).inner_text()), f"plan tab {index + 1} shows an ID number in full"
    tabs.nth(0).click()
    go(page, "导出")


def test_english_switch_changes_the_labels(page, shots: Path) -> None:
    from playwright.sync_api import expect

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    body = main(page)
    expect(body.get_by_role("heading", name="Export", exact=True)).to_be_visible()
    expect(body.get_by_role("button", name="Download the assignment workbook")).to_be_visible()
    expect(page.locator("header a", has_text="Plan").first).to_be_visible()
    wait_idle(page)
    shoot(page, shots, "07_export_en")
    go(page, "Plan")
    expect(body.locator('[data-testid="stMetric"]').filter(has_text="Placements")).to_be_visible()
    shoot(page, shots, "08_plan_en")
    go(page, "Data")
    shoot(page, shots, "09_data_en")
