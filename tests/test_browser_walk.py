"""What only a browser shows, walking the bundled samples: the icons of the pre-solve check, the
charts (saved as PNGs to look at), a second upload through the real file input, and the live
progress of a solve (Datong four times over: long enough to watch and to press Stop).

One browser page (one Streamlit session) for the module, steps in file order, like
test_browser_e2e.py. `SCREENSHOT_DIR=tmp/screens .venv/bin/pytest tests/test_browser_walk.py`
keeps the pictures.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import REPO_ROOT, go, main, shoot, wait_idle

pytestmark = pytest.mark.browser

TIANJIN = REPO_ROOT / "sample_data" / "tianjin_pairing.xlsx"
LUEYANG = REPO_ROOT / "sample_data" / "lueyang_county.xlsx"
EMOJI = re.compile("[\u26a0\u26d4\U0001f300-\U0001faff]")


def test_data_page_charts_on_the_sample(page, shots: Path) -> None:
    from playwright.sync_api import expect

    body = main(page)
    expect(body.get_by_text("各区县各学科需求")).to_be_visible()
    expect(body.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2)
    shoot(page, shots, "data_lueyang")


def test_precheck_marks_are_streamlit_icons_not_emoji(page, shots: Path) -> None:
    go(page, "求解")
    body = main(page)
    body.get_by_text("查看原因与建议").click()
    wait_idle(page)
    details = body.locator('[data-testid="stExpander"]').filter(has_text="查看原因与建议")
    lines = details.locator("li")
    assert lines.count() >= 1
    for index in range(lines.count()):
        line = lines.nth(index)
        # No emoji font on many bureau PCs: ⛔ and ⚠️ become empty boxes there.
        assert not EMOJI.search(line.inner_text()), line.inner_text()
        icon = line.locator('span[role="img"]')
        assert icon.count() == 1, line.inner_html()
        assert "Material Symbols" in icon.evaluate("e => getComputedStyle(e).fontFamily"), line.inner_html()
    assert page.evaluate("""() => document.fonts.check('16px "Material Symbols Rounded"')"""), "the icon font is loaded"
    shoot(page, shots, "solve_precheck")


def test_plan_charts_on_the_sample(page, shots: Path) -> None:
    main(page).get_by_role("button", name="开始求解").click()
    main(page).get_by_text(re.compile("^求解完成")).wait_for(state="visible", timeout=90_000)
    wait_idle(page)
    go(page, "方案")
    main(page).get_by_role("tab", name="图表").click()
    wait_idle(page)
    shoot(page, shots, "plan_charts_lueyang")


def test_problems_of_whole_sheets_read_in_full(page, shots: Path, tmp_path: Path) -> None:
    """The same workbook twice in one upload: every sheet is given twice, a problem with no row."""
    from playwright.sync_api import expect

    go(page, "数据")
    body = main(page)
    copies = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        copies.append(tmp_path / folder / LUEYANG.name)
        copies[-1].write_bytes(LUEYANG.read_bytes())
    files = body.locator('[data-testid="stFileUploader"]').filter(has_text="上传工作簿或CSV文件").locator('input[type="file"]')
    files.set_input_files([str(p) for p in copies])
    expect(body.locator('[data-testid="stAlertContentError"]')).to_have_count(1, timeout=30_000)
    wait_idle(page)
    # A short report is open in full: the grid cuts a long message at its column's edge.
    full = body.locator('[data-testid="stExpander"]').filter(has_text="逐条查看问题全文").locator("li")
    assert full.count() >= 6, full.all_inner_texts()
    assert all("两次" in line for line in full.all_inner_texts()), full.all_inner_texts()
    shoot(page, shots, "data_sheets_twice")


def test_a_second_upload_replaces_the_first(page, shots: Path) -> None:
    from playwright.sync_api import expect

    go(page, "数据")
    body = main(page)
    files = body.locator('[data-testid="stFileUploader"]').filter(has_text="上传工作簿或CSV文件").locator('input[type="file"]')
    files.set_input_files(str(TIANJIN))
    expect(body.get_by_text(f"当前数据：{TIANJIN.name}")).to_be_visible(timeout=30_000)
    wait_idle(page)
    files = body.locator('[data-testid="stFileUploader"]').filter(has_text="上传工作簿或CSV文件").locator('input[type="file"]')
    files.set_input_files(str(LUEYANG))
    expect(body.get_by_text(f"当前数据：{LUEYANG.name}", exact=True)).to_be_visible(timeout=30_000)
    wait_idle(page)
    # The browser keeps the first file in the uploader's list: joined, both give "表“教师”提供了两次".
    expect(body.get_by_text("数据检查通过，未发现问题。")).to_be_visible()
    expect(body.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    picker = body.locator('[data-testid="stSelectbox"]').filter(has_text="样例数据")
    expect(picker).not_to_contain_text("略阳县")  # the uploaded data is in use, not the sample
    assert "正在使用上传的数据" in picker.inner_html()
    shoot(page, shots, "data_second_upload")


@pytest.fixture(scope="module", autouse=True)
def datong_x4_writing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen, Path]]:
    """Datong four times over (≈23,000 teachers): a solve of several seconds, so Stop can be pressed
    while it runs even on a slow machine (the bundled Datong solves in about 2 s). Written by
    `python -m scheduler generate` in its own process from the module's first step on (≈5 s, 12 s on
    a loaded machine), while the browser walks the sample; the last step waits for it."""
    path = tmp_path_factory.mktemp("datong") / "大同市x4.xlsx"
    with open(path.with_suffix(".log"), "wb") as log:
        writer = subprocess.Popen([sys.executable, "-m", "scheduler", "generate",
                                   str(REPO_ROOT / "seeds" / "datong_city.toml"), "--scale", "4", "--out", str(path)],
                                  cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield writer, path
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.wait()


@pytest.fixture(scope="module")
def datong_x4(datong_x4_writing: tuple[subprocess.Popen, Path]) -> Path:
    writer, path = datong_x4_writing
    assert writer.wait(timeout=300) == 0, path.with_suffix(".log").read_text(errors="replace")
    return path


def test_live_progress_in_words_and_a_stopped_plan_not_called_best(page, shots: Path, datong_x4: Path) -> None:
    from playwright.sync_api import expect

    body = main(page)
    files = body.locator('[data-testid="stFileUploader"]').filter(has_text="上传工作簿或CSV文件").locator('input[type="file"]')
    files.set_input_files(str(datong_x4))
    expect(body.get_by_text(f"当前数据：{datong_x4.name}")).to_be_visible(timeout=90_000)
    wait_idle(page, timeout_s=90)
    go(page, "求解")
    body.get_by_role("button", name="开始求解").click()
    bar = body.locator('[data-testid="stProgress"]')
    # Generous: on a loaded CI machine the first step once took over 30 s to show.
    expect(bar).to_contain_text(re.compile("第\\d步/共\\d步"), timeout=90_000)
    text = bar.inner_text()
    for word in ("当前值", "最优界", "差距"):
        assert word not in text, text
    shoot(page, shots, "solve_running_datong")
    body.get_by_role("button", name="停止").click()
    cut = body.get_by_text(re.compile("^求解未完成"))
    cut.wait_for(state="visible", timeout=60_000)
    assert "停止" in cut.inner_text() and "最优" not in cut.inner_text()
    wait_idle(page)
    shoot(page, shots, "solve_stopped_datong")
