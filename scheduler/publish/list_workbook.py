"""A list as a workbook that prints like its PDF: A4 landscape, fit to the page's width, the header
row repeated on every printed page (print titles), 第&P页/共&N页 in the footer; long school names wrap. Text cells are written as text and guarded against formulas
(`workbook.xlsx.neutralised`), every text masked for ID numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..export.personal_data import masked
from ..workbook.xlsx import neutralised, open_workbook

#: the custom document property `publish` marks its workbooks with (a re-run may replace them)
PUBLISHED_PROPERTY = "scheduler_published"

#: column widths in Excel's characters; any other column gets 12
WIDTHS = {"序号": 6, "姓名": 10, "性别": 6, "原单位": 28, "交流单位": 28, "学科": 8, "职称": 8, "骨干": 10,
          "交流方式": 12, "交流期限": 17, "学校名称": 28, "区县": 10, "学年": 13, "教师编号": 12,
          "身份证件号": 21, "交流轮岗类型": 14, "是否调动人事关系": 10, "开始年月": 10, "结束年月": 10,
          "原单位名称": 28, "交流轮岗单位名称": 28}


def _text(value: object) -> object:
    if isinstance(value, str):
        return neutralised(masked(value))
    return value


def add_list_sheet(workbook, name: str, title: str | None, columns: Sequence[str],
                   groups: Sequence[tuple[str, Sequence[Sequence[object]]]], above: Sequence[str] = (),
                   below: Sequence[str] = (), portrait: bool = False, break_groups: bool = False) -> None:
    """One sheet: the title (merged across the columns), lines above the table, the header, the
    groups (a group line merged across, then its rows), lines below. `break_groups`: each group
    from a new printed page (a receiving school's list is handed to that school). Without a title
    the header is the first row, as a system's import sheet wants it."""
    sheet = workbook.add_worksheet(name)
    title_format = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter",
                                        "text_wrap": True})
    line_format = workbook.add_format({"text_wrap": True, "valign": "top"})
    head_format = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                       "text_wrap": True, "bg_color": "#E0E0E0"})
    cell_format = workbook.add_format({"border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
    left_format = workbook.add_format({"border": 1, "align": "left", "valign": "vcenter", "text_wrap": True})
    group_format = workbook.add_format({"border": 1, "bold": True, "align": "left", "valign": "vcenter",
                                        "bg_color": "#F2F2F2"})
    last = len(columns) - 1
    for position, column in enumerate(columns):
        sheet.set_column(position, position, WIDTHS.get(column, 12))
    row = 0
    if title:
        sheet.merge_range(0, 0, 0, last, _text(title), title_format)
        sheet.set_row(0, 30)
        row = 1
    for line in above:
        sheet.merge_range(row, 0, row, last, _text(line), line_format)
        sheet.set_row(row, 15 * max(1, len(line) // 90 + 1))
        row += 1
    header_row = row
    for position, column in enumerate(columns):
        sheet.write_string(row, position, _text(column), head_format)
    row += 1
    breaks = []
    for label, rows in groups:
        if break_groups and row > header_row + 1:
            breaks.append(row)
        if label:
            sheet.merge_range(row, 0, row, last, _text(label), group_format)
            row += 1
        for cells in rows:
            for position, (column, value) in enumerate(zip(columns, cells)):
                fmt = left_format if column in ("原单位", "交流单位", "学校名称", "原单位名称", "交流轮岗单位名称") \
                    else cell_format
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(row, position, value, fmt)
                else:
                    sheet.write_string(row, position, _text("" if value is None else str(value)), fmt)
            row += 1
    for line in below:
        row += 1
        sheet.merge_range(row, 0, row, last, _text(line), workbook.add_format({"align": "right"}))
    sheet.freeze_panes(header_row + 1, 0)
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    # The print setup: A4, landscape, every column on the page's width, the header on every page.
    sheet.set_paper(9)
    if portrait:
        sheet.set_portrait()
    else:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    sheet.center_horizontally()
    sheet.set_footer("&C第&P页/共&N页")


def write_list_workbook(path: str | Path, sheets: Sequence[dict]) -> None:
    """`sheets`: the keyword arguments of `add_list_sheet`, one per sheet."""
    workbook = open_workbook(str(path))
    workbook.set_custom_property(PUBLISHED_PROPERTY, "yes")
    for sheet in sheets:
        add_list_sheet(workbook, **sheet)
    workbook.close()
