"""The sweep's comparison table: one row per scenario, the grid's values, how the solve ended and
the headline figures, with the figure names and "value/of" cells of the Compare page
(export/compare.py), so a sweep row and a compared plan read the same.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import IO, Any

from ..export.compare import FIGURES, SHEETS, Table
from ..export.headline import status_label
from ..export.personal_data import write_table
from ..workbook.xlsx import open_workbook
from .grid import Scenario
from .outcome import CLASH, ERROR, INTERRUPTED, Outcome

_STATUS = {CLASH: ("设置冲突", "settings clash"), ERROR: ("出错", "failed"), INTERRUPTED: ("已中断", "interrupted")}
#: columns left out of the printed table (long text; the workbook has them)
_NOT_PRINTED = {"steps", "file"}


def _columns(keys: list[str], lang: str) -> list[tuple[str, str]]:
    """(column id, header) in order: the scenario, each grid key, the solve, the figures, the files."""
    zh = lang == "zh"
    head = [("scenario", "方案" if zh else "scenario")] + [(f"grid:{key}", key) for key in keys]
    solve = [("status", "状态" if zh else "status"), ("proven", "已证明最优" if zh else "proven"),
             ("steps", "各步" if zh else "steps"), ("seconds", "求解秒数" if zh else "solve s")]
    figures = [(f"figure:{key}", name_zh if zh else name_en) for key, name_zh, name_en, _ in FIGURES]
    tail = [("audit", "审核" if zh else "audit"), ("file", "方案文件" if zh else "plan file"),
            ("error", "说明" if zh else "note")]
    return head + solve + figures + tail


def _cells(scenario: Scenario, outcome: Outcome, files: str, lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    status = _STATUS.get(outcome.status)
    cells: dict[str, Any] = {"scenario": scenario.label,
                             **{f"grid:{key}": value for key, value in scenario.values().items()},
                             "status": status[not zh] if status else status_label(outcome.status, lang),
                             # a scenario with no solve (stopped, clashing, failed) is neither proven nor not
                             "proven": "" if status else ("是" if outcome.proven else "否") if zh else
                             ("yes" if outcome.proven else "no"),
                             "steps": outcome.level_words(lang),
                             "seconds": None if outcome.solve_seconds is None else round(outcome.solve_seconds, 2),
                             "file": files, "error": "" if outcome.error is None else outcome.error.get(lang)}
    if outcome.headline:
        figures = outcome.headline
        for key, _, _, total in FIGURES:
            value = int(figures.get(key, 0))
            cells[f"figure:{key}"] = value if total is None else f"{value}/{int(figures.get(total, 0))}"
        cells["audit"] = ("通过" if outcome.audit_ok else "违反硬规则") if zh else ("passed" if outcome.audit_ok else
                                                                              "hard rule broken")
    return cells


def sweep_table(scenarios: list[Scenario], outcomes: dict[int, Outcome], files: dict[int, str],
                lang: str = "zh") -> Table:
    """The table in grid order; a scenario without an outcome (the sweep was stopped) reads 已中断."""
    keys = list(scenarios[0].values()) if scenarios else []
    columns = _columns(keys, lang)
    rows = []
    for scenario in scenarios:
        outcome = outcomes.get(scenario.index) or Outcome(scenario.index, INTERRUPTED)
        cells = _cells(scenario, outcome, files.get(scenario.index, ""), lang)
        rows.append([cells.get(column, "") for column, _ in columns])
    return Table([header for _, header in columns], rows)


def write_sweep_table(table: Table, target: str | Path | IO[bytes], lang: str = "zh") -> None:
    """The table as a workbook; its sheet is named as the Compare page's (safe_paths knows it as a
    comparison workbook, so a re-run of the sweep may replace it)."""
    workbook = open_workbook(target)
    write_table(workbook, SHEETS["figures"][lang != "zh"], table.headers, table.rows, lang=lang)
    workbook.close()


def _width(text: str) -> int:
    """Columns on a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table_lines(table: Table, lang: str = "zh") -> list[str]:
    """The table for the terminal, columns aligned (the long ones left to the workbook)."""
    skip = {header for column, header in _columns([], lang) if column in _NOT_PRINTED}
    keep = [i for i, header in enumerate(table.headers) if header not in skip]
    rows = [[table.headers[i] for i in keep]] + [["" if row[i] is None else str(row[i]) for i in keep]
                                                 for row in table.rows]
    widths = [max(_width(row[c]) for row in rows) for c in range(len(keep))]
    return ["  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths)).rstrip()
            for row in rows]
