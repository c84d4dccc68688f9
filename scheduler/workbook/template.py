"""The blank workbook planners fill in: an instructions sheet, then every sheet with its headers.

Row 1 holds the Chinese headers the reader matches; row 2 the English names with a short hint,
which the reader recognises and skips; each header
carries its hint as a cell comment.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from ..domain.settings import setting_info, setting_names, value_text
from .schema import SHEETS
from .xlsx import open_workbook, write_table

_INTRO_ZH = (
    "使用说明：每张表第1行为中文列名（程序按此识别），第2行为英文列名和填写提示，可保留也可删除。"
    "带 * 的列为必填。学期写作“2026秋”或“2027春”（也可写 2026-fall / 2027-spring）。"
    "“设置”表可覆盖下列默认参数，不填则使用默认值。")
_INTRO_EN = (
    "Instructions: row 1 of each sheet holds the Chinese headers the planner reads; row 2 the English "
    "names with a hint, which you may keep or delete. Columns marked * are required. Terms are written "
    "2026秋/2027春 or 2026-fall/2027-spring. The settings sheet overrides the defaults listed below.")


def write_template(target: str | Path | IO[bytes]) -> None:
    workbook = open_workbook(target)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    rows = [["", "", _INTRO_ZH, _INTRO_EN, ""]]
    for sheet in SHEETS:
        for column in sheet.columns:
            mark = "*" if column.required else ""
            rows.append([sheet.zh + (" / " + sheet.key), column.zh + mark + " / " + column.key,
                         column.zh_help, column.en_help, ""])
    for name in setting_names():
        info = setting_info(name)
        default = info["default"]
        rows.append(["设置 / settings", f"{info['zh_key']} / {name}", info["zh"], info["en"],
                     value_text(default) + (f"（{info['source']}）" if info["source"] else "")])
    instructions = write_table(workbook, "说明", ["表 / sheet", "列 / column", "说明", "help", "默认值 / default"],
                               rows)
    instructions.set_column(2, 3, 60, wrap)
    for sheet in SHEETS:
        page = write_table(workbook, sheet.zh, [c.zh for c in sheet.columns], [],
                           notes=[c.key for c in sheet.columns])
        for position, column in enumerate(sheet.columns):
            hint = "\n".join(filter(None, ["必填" if column.required else "选填", column.zh_help, column.en_help]))
            page.write_comment(0, position, hint, {"x_scale": 1.5})
    workbook.close()
