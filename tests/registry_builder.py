"""One small planning case twice: in today's contract format and as a bureau's registry export (花名册).

The registry layout has what WORKBOOK.md "Rosters as the registry exports them" accepts: title rows
(merged) above the header, a 序号 column, header aliases with （必填） marks and line breaks, ID
numbers instead of birth dates and genders, 进本校年月 in several date formats instead of
本校任教年限, school names instead of codes, 在岗状态 / 是否在编 instead of 免交流原因, old-style
titles, backbone values as registries write them, empty rows, a second header row and a note block.
Both must read to the same case. `tests/fixtures/make_registry_xls.py` writes the same registry
workbook as an Excel 97–2003 .xls (tests/fixtures/registry_roster.xls).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from scheduler.domain.personal import check_digit

Sheets = dict[str, list[list[Any]]]


def id_number(born: str, sequence: int, area: str = "610727") -> str:
    """A valid 18-character ID: area code, YYYYMMDD, a 3-digit sequence (odd = male), check digit."""
    first17 = f"{area}{born}{sequence:03d}"
    return first17 + check_digit(first17)


TODAY: Sheets = {
    "教师": [
        ["教师编号", "姓名", "性别", "出生日期", "学校编号", "学科", "职称", "骨干", "本校任教年限", "免交流原因"],
        ["T1", "张伟", "男", "1985-03-12", "S1", "语文", "一级", "县级", 8, ""],
        ["T2", "王芳", "女", "1990-07-01", "S1", "数学", "二级", "否", 7, ""],
        ["T3", "李娜", "女", "1988-11-23", "S1", "音乐", "三级", "", 12, "产假"],
        ["T4", "赵磊", "男", "1979-02-05", "S3", "语文", "高级", "市级", 3, ""],
        ["T5", "周敏", "女", "1983-05-09", "S3", "英语", "一级", "", 9, "非在编"],
        ["T6", "孙强", "男", "1975-10-30", "S3", "英语", "正高级", "名师", 16, ""],
    ],
    "学校": [
        ["学校编号", "学校名称", "区县", "城乡类型", "学段"],
        ["S1", "城关小学", "略阳县", "城区", "小学"],
        ["S2", "白水江小学", "略阳县", "乡村", "小学"],
        ["S3", "城关中学", "略阳县", "城区", "初中"],
        ["S4", "金家河中学", "略阳县", "乡村", "初中"],
    ],
    "结对": [
        ["项目", "牵头学校", "成员学校"],
        ["学区", "S1", "S2"],
        ["1+X联合体", "S3", "S4"],
    ],
    "需求": [
        ["学校编号", "学科", "人数", "开始学期", "结束学期"],
        ["S2", "语文", 1, "2026秋", "2027春"],
        ["S4", "英语", 1, "2026秋", "2027春"],
    ],
}

_TITLE = "略阳县中小学教职工花名册（2026年）"
REGISTRY: Sheets = {
    "花名册": [
        [_TITLE],
        ["填报单位：略阳县教育体育局", "", "", "", "", "填报日期：2026年6月"],
        ["序号", "*工号", "教师姓名", "身份证号码", "现任教学校", "任教学科\n（必填）", "现聘专业技术职称",
         "骨干教师级别", "进本校年月", "参加工作年月", "在岗状态", "是否在编", "职务"],
        [1, "T1", "张伟", id_number("19850312", 101), "城关小学", "语文", "小学高级教师", "县级骨干教师",
         2018.03, "2007年9月", "在岗", "是", "教研组长"],
        [2, "T2", "王芳", id_number("19900701", 202), "城关小学", "数学", "小学一级教师", "无",
         "2019/9/1", "2012-09", "在岗", "是", ""],
        [None, None, None, None, None, None, None, None, None, None, None, None, None],
        [3, "T3", "李娜", id_number("19881123", 342), "城关 小学", "音乐", "小学二级教师", "",
         "2014年9月", "20100901", "产假", "是", ""],
        [4, "T4", "赵磊", id_number("19790205", 17), "城关中学", "语文", "中学高级教师", "市级骨干教师",
         date(2023, 9, 1), "2001.09", "在岗", "是", "副校长"],
        [5, "T5", "周敏", id_number("19830509", 48), "城关中学", "英语", "中学一级教师", "",
         "201709", "2005-09-01", "在岗", "否", ""],
        [6, "T6", "孙强", id_number("19751030", 99), "城关中学", "英语", "正高级教师", "特级教师",
         "2010-09", "1996.9", "在岗", "是", "书记"],
        ["注：1.身份证号须为18位；2.进本校年月写到月。"],
        ["说明：本表由学校人事干部填写。"],
    ],
    "学校信息": [
        ["略阳县学校名单"],
        ["学校编号", "学校名称", "区县", "城乡类型", "学段"],
        ["school_id", "name", "county", "locality", "stage"],
        ["S1", "城关小学", "略阳县", "城区", "小学"],
        ["S2", "白水江小学", "略阳县", "乡村", "小学"],
        ["S3", "城关中学", "略阳县", "城区", "初中"],
        ["S4", "金家河中学", "略阳县", "乡村", "初中"],
    ],
    "结对": [
        ["项目", "牵头学校", "成员学校"],
        ["学区", "S1", "S2"],
        ["1+X联合体", "S3", "S4"],
    ],
    "岗位需求": [
        ["2026学年交流岗位"],
        ["序号", "学校编号", "学科", "人数", "开始学期", "结束学期"],
        [1, "S2", "语文", 1, "2026秋", "2027春"],
        [2, "S4", "英语", 1, "2026秋", "2027春"],
    ],
}


def _merged_rows(rows: list[list[Any]]) -> list[int]:
    """Rows written as one merged cell across the table: a title or a note, alone in its row."""
    return [i for i, row in enumerate(rows) if len(row) == 1]


def xlsx_bytes(sheets: Sheets) -> bytes:
    """The workbook as .xlsx, a title or note row merged across the table as registries do."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        page = workbook.create_sheet(name)
        width = max(map(len, rows))
        for row in rows:
            page.append(row)
        for i in _merged_rows(rows):
            page.merge_cells(start_row=i + 1, start_column=1, end_row=i + 1, end_column=width)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xls_bytes(sheets: Sheets) -> bytes:
    """The workbook as Excel 97–2003 .xls (needs xlwt; the committed fixture was made with this)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        page = book.add_sheet(name)
        width = max(map(len, rows))
        merged = set(_merged_rows(rows))
        for r, row in enumerate(rows):
            if r in merged:
                page.write_merge(r, r, 0, width - 1, row[0])
                continue
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    page.write(r, c, value, dated)
                else:
                    page.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
