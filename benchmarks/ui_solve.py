"""How long a solve takes in the browser, click to finished plan, against `python -m scheduler solve`.

    python -m benchmarks.ui_solve [--sample datong_city] [--pairing prefer|strict|any] [--repeat N]

Each run starts `streamlit run app.py` on a fresh store (PLANNER_DB, XDG_DATA_HOME and HOME in a
temporary folder), drives Debian's chromium through Playwright as a planner would: the sample on
the 数据 page, 结对模式 on the 规则 page, 开始求解 on the 求解 page. It times the click until the
page says 求解完成/求解未完成, reads the solve time the page reports and the 各步骤的结果 table,
and stops server and browser. Right after, the command line solves the same workbook with the same
结对模式 (`--set pairing_mode=...`); its solve time is the one it reports (times.total of its JSON
summary), its wall time includes starting the interpreter, reading and writing.

What it is for: the UI runs the same `solve` in a thread of the server, which also serves the
page's half-second progress fragments; UI ÷ CLI solve is what that costs. The step values of both
are compared: a ratio between two different plans says nothing. The load column is the 1-minute
average at the start of each run (the two share the machine's cores with whatever else runs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ui.state import DEFAULT_SAMPLE, SAMPLE_TITLES

from .browser import APP_TITLE, CHROMIUM, CHROMIUM_ARGS, REPO_ROOT as ROOT, VIEWPORT, go, streamlit_server, wait_idle

PAIRING_ZH = {"prefer": "优先", "strict": "严格", "any": "不限"}
SOLVE_TIMEOUT_S = 900.0  # the longest sample limit is far below; a hung page must still end the run


# ---------------------------------------------------------------- one run


def _env(folder: Path) -> dict[str, str]:
    """A store and a home of the run's own: never the planner's store, nothing written into the repo."""
    (folder / "home").mkdir(exist_ok=True)
    return {**os.environ, "PLANNER_DB": f"sqlite:///{folder / 'planner.db'}", "XDG_DATA_HOME": str(folder / "xdg"),
            "HOME": str(folder / "home"), "PYTHONDONTWRITEBYTECODE": "1"}


def _seconds(message: str) -> float | None:
    found = re.search(r"用时 ([\d.]+) 秒", message)
    return float(found.group(1)) if found else None


def ui_run(sample: str, pairing: str, folder: Path) -> dict:
    """Click → finished in the browser, the reported time and the steps' values and words."""
    from playwright.sync_api import sync_playwright

    title = SAMPLE_TITLES[sample][0].split("：")[0]
    with streamlit_server(folder / "server.log", _env(folder)) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
            page.set_default_timeout(60_000)
            body = page.locator('[data-testid="stMain"]')
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_role("heading", name=APP_TITLE).wait_for(state="visible")
            body.get_by_role("heading", name="数据", exact=True).wait_for(state="visible")
            wait_idle(page)
            if sample != DEFAULT_SAMPLE:  # a new project starts on the default sample
                picker = body.locator('[data-testid="stSelectbox"]').filter(has_text="样例数据")
                picker.locator("input").click()
                page.get_by_role("option", name=re.compile("^" + title)).click()
                wait_idle(page)
                body.get_by_role("button", name="载入样例").click()
                wait_idle(page)
            body.get_by_text(re.compile("当前数据：" + title)).first.wait_for(state="visible")

            go(page, "规则")
            mode = body.get_by_role("radiogroup", name=re.compile("^结对模式"))
            mode.get_by_text(re.compile("^" + PAIRING_ZH[pairing])).click()
            wait_idle(page)
            if not mode.get_by_role("radio", name=re.compile("^" + PAIRING_ZH[pairing])).is_checked():
                raise RuntimeError(f"结对模式 {PAIRING_ZH[pairing]} did not take")

            go(page, "求解")
            # the precheck's diagnosis runs on the first visit: it must be over before the clock starts
            wait_idle(page, timeout_s=180)
            button = body.get_by_role("button", name="开始求解")
            done = body.get_by_text(re.compile("^求解(完成|未完成)："))
            started = time.monotonic()
            button.click()
            done.first.wait_for(state="visible", timeout=SOLVE_TIMEOUT_S * 1000)
            wall = time.monotonic() - started
            message = done.first.inner_text()

            wait_idle(page)
            table = body.locator('[data-testid="stExpander"]').filter(has_text="各步骤的结果")
            table.locator("summary").first.click()
            cells = table.locator('[data-testid="stDataFrame"] [role="gridcell"]')
            cells.first.wait_for(state="attached")
            page.wait_for_timeout(500)  # the grid fills its cells after the first one
            texts = [c.strip() for c in cells.all_inner_texts()]
        finally:
            browser.close()
    rows = [texts[i:i + 4] for i in range(0, len(texts), 4)]  # step, value, bound, how good
    return {"wall": wall, "reported": _seconds(message), "message": message,
            "values": [row[1] for row in rows],
            "proven": bool(rows) and all(row[3] == "已证明最好" for row in rows)}


def cli_run(sample: str, pairing: str, folder: Path) -> dict:
    """`python -m scheduler solve` as a planner types it: its own solve time, and the wall around it."""
    summary = folder / "plan.json"
    cmd = [sys.executable, "-m", "scheduler", "solve", str(ROOT / "sample_data" / sample),
           "--out", str(folder / "plan.xlsx"), "--json", str(summary), "--set", f"pairing_mode={pairing}"]
    started = time.monotonic()
    with open(folder / "cli.log", "wb") as log:
        code = subprocess.run(cmd, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=_env(folder)).returncode
    wall = time.monotonic() - started
    if code != 0:
        raise RuntimeError(f"the CLI exited with {code}:\n" + (folder / "cli.log").read_text(errors="replace"))
    levels = json.loads(summary.read_text(encoding="utf-8"))
    return {"wall": wall, "solve": levels["times"]["total"],
            "values": [f"{level['value']:g}" for level in levels["objective_levels"]],
            "proven": all(level["gap"] == 0 for level in levels["objective_levels"])}


# ---------------------------------------------------------------- the table


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


COLUMNS = ("run", "load", "UI click→finished s", "UI reports s", "UI all proven", "CLI solve s", "CLI wall s",
           "CLI all proven", "same step values", "UI ÷ CLI solve")


def _figures(load: float, ui: dict, cli: dict) -> dict:
    return {"load": load, "ui": ui["wall"], "reported": ui["reported"], "ui_proven": ui["proven"],
            "cli": cli["solve"], "cli_wall": cli["wall"], "cli_proven": cli["proven"],
            "same": ui["values"] == cli["values"], "ratio": ui["wall"] / cli["solve"]}


def _median(runs: list[dict]) -> dict:
    """Medians of the numbers; a yes/no column says yes only when every run does."""
    out = {}
    for key in runs[0]:
        values = [run[key] for run in runs if run[key] is not None]
        if isinstance(runs[0][key], bool):
            out[key] = all(values)
        else:
            out[key] = statistics.median(values) if values else None
    return out


def _row(name: str, f: dict) -> str:
    def s(value):
        return "—" if value is None else f"{value:.1f}"
    cells = [name, f"{f['load']:.2f}", s(f["ui"]), s(f["reported"]), _yes(f["ui_proven"]), s(f["cli"]),
             s(f["cli_wall"]), _yes(f["cli_proven"]), _yes(f["same"]), f"{f['ratio']:.2f}"]
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    samples = sorted(name.removesuffix(".xlsx") for name in SAMPLE_TITLES)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ui_solve", description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="datong_city", choices=samples,
                        help="a bundled sample (default datong_city)")
    parser.add_argument("--pairing", default="prefer", choices=tuple(PAIRING_ZH), help="结对模式 (default prefer)")
    parser.add_argument("--repeat", type=int, default=1, help="runs, each on a fresh server and store (default 1)")
    args = parser.parse_args(argv)
    sample = args.sample + ".xlsx"

    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="ui_solve-") as tmp:
        for number in range(1, args.repeat + 1):
            folder = Path(tmp) / f"run{number}"
            folder.mkdir()
            load = os.getloadavg()[0]
            ui = ui_run(sample, args.pairing, folder)
            cli = cli_run(sample, args.pairing, folder)
            runs.append(_figures(load, ui, cli))
            print(f"run {number}: {ui['message']}", file=sys.stderr, flush=True)

    print(f"{args.sample}, 结对模式 {PAIRING_ZH[args.pairing]} ({args.pairing}), {os.cpu_count()} cores\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for number, figures in enumerate(runs, start=1):
        print(_row(str(number), figures))
    if len(runs) > 1:
        print(_row("median", _median(runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
