"""The blank workbook planners fill in: an instructions sheet, then every sheet with its headers.

Two layouts of the teacher sheet, the other sheets alike:
- `contract` (the default): the 教师 sheet with the contract's headers; row 1 holds the Chinese
  headers the reader matches, row 2 the English names, which the reader recognises and skips.
- `registry`: the teacher sheet as the teacher registry (教师管理信息系统) exports it, so a bureau
  can paste its 花名册 in: a title row, 序号, 工号, 教师姓名, 身份证号, 出生年月, 所在学校, 任教学科,
  现聘专业技术职称, 骨干教师级别, 进本校年月 (instead of 本校任教年限), 参加工作年月, 在岗状态, 是否在编,
  职务 ...
Each header carries its hint as a cell comment. The 说明 sheet of either explains both layouts and
lists, for every column, the other headers the reader accepts.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Literal

from ..domain.settings import setting_info, setting_names, value_text
from .schema import SHEETS, TEACHERS, Column
from .writer import REGISTRY_COLUMNS, REGISTRY_SHEET
from .xlsx import open_workbook, write_table

Layout = Literal["contract", "registry"]
LAYOUTS: tuple[Layout, ...] = ("contract", "registry")

_INTRO_ZH = (
    "使用说明：每张表第1行为中文列名（程序按此识别），第2行为英文列名和填写提示，可保留也可删除。"
    "带 * 的列为必填。学期写作“2026秋”或“2027春”（也可写 2026-fall / 2027-spring）。"
    "“设置”表可覆盖下列默认参数，不填则使用默认值。")
_INTRO_EN = (
    "Instructions: row 1 of each sheet holds the Chinese headers the planner reads; row 2 the English "
    "names with a hint, which you may keep or delete. Columns marked * are required. Terms are written "
    "2026秋/2027春 or 2026-fall/2027-spring. The settings sheet overrides the defaults listed below.")
_LAYOUTS_ZH = (
    "教师表有两种格式，任选其一：①标准格式（“教师”表，填本校任教年限和学校编号）；②花名册格式"
    "（“花名册”表，即教师管理信息系统导出的花名册：可有标题行和序号列，学校填名称，填进本校年月代替本校任教年限，"
    "另有身份证号、参加工作年月、在岗状态、是否在编、职务）。两种格式的列名可混用，下表“也可写作”列出程序认得的其他列名。"
    "生成花名册格式模板：python -m scheduler template --layout registry --out 模板.xlsx。"
    "身份证号是个人信息：程序只显示脱敏后的号码（如610799********123X），导出的方案和摘要中不含完整号码。")
_LAYOUTS_EN = (
    "The teacher sheet comes in two layouts, use either: (1) the standard one (sheet 教师, with years at the "
    "school and school ids); (2) the registry one (sheet 花名册, as the teacher registry exports it: title rows "
    "and a 序号 column allowed, the school by name, 进本校年月 instead of years at the school, plus ID number, "
    "参加工作年月, 在岗状态, 是否在编, 职务). Headers of both may be mixed; the column 'also accepted' lists the "
    "other headers the planner reads. ID numbers are personal data: the planner shows them masked only "
    "(610799********123X) and no plan or summary it writes holds one in full.")
_REGISTRY_TITLE = "（县区名）中小学教职工花名册"

_REGISTRY_HELP = {
    "teacher_id": ("工号或人员编号，唯一", "staff number, unique"),
    "school_name": ("学校名称，须与“学校”表的学校名称一致（无学校编号列时使用）",
                    "the school's name as in the schools sheet (when there is no school id column)"),
    "birth_date": ("如1985.03、1985年3月或1985-03-12；缺省时由身份证号得出",
                   "e.g. 1985.03, 1985年3月 or 1985-03-12; taken from the ID number when empty"),
    "joined_school": ("如2015.09或2015年9月；据此算到规划首学期的本校任教年限",
                      "e.g. 2015.09; gives the years at the school up to the horizon's first term"),
    "status": ("在岗；产假、哺乳期、长期病休、病假、借调、脱产进修等非在岗状态本次不交流",
               "在岗 = at work; 产假, 哺乳期, 长期病休, 病假, 借调, 脱产进修 ... do not rotate now"),
    "title": ("新旧职称均可：中学高级教师、小学高级教师、中小学一级教师、一级……",
              "old or unified titles: 中学高级教师, 小学高级教师, 中小学一级教师, 一级 ..."),
    "backbone": ("县级/市级/省级骨干教师、学科带头人、名师；无 = 不是骨干", "a backbone level; 无 = none"),
}


def _aliases(column: Column) -> str:
    return "、".join(column.aliases)


def _help_rows() -> list[list[str]]:
    rows = []
    for sheet in SHEETS:
        for column in (*sheet.columns, *(sheet.stand_ins if sheet is TEACHERS else ())):
            mark = "*" if column.required else ""
            rows.append([sheet.zh + (" / " + sheet.key), column.zh + mark + " / " + column.key,
                         column.zh_help, column.en_help, _aliases(column), ""])
    return rows


def _registry_rows() -> list[list[str]]:
    rows = [[f"{REGISTRY_SHEET} / registry", "序号", "行号，程序不读取", "row number, not read", "", ""]]
    for header, key in REGISTRY_COLUMNS:
        column = TEACHERS.known_column(key)
        zh, en = _REGISTRY_HELP.get(key, (column.zh_help, column.en_help) if column else ("", ""))
        rows.append([f"{REGISTRY_SHEET} / registry", f"{header} / {key}", zh, en,
                     "、".join(name for name in (column.zh, *column.aliases) if name != header) if column else "", ""])
    return rows


def write_template(target: str | Path | IO[bytes], layout: Layout = "contract") -> None:
    """The blank template; `layout="registry"` offers the teacher sheet as registries export it."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    workbook = open_workbook(target)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    rows = [["", "", _INTRO_ZH, _INTRO_EN, "", ""], ["", "", _LAYOUTS_ZH, _LAYOUTS_EN, "", ""]]
    rows += _help_rows() + _registry_rows()
    for name in setting_names():
        info = setting_info(name)
        default = info["default"]
        rows.append(["设置 / settings", f"{info['zh_key']} / {name}", info["zh"], info["en"], "",
                     value_text(default) + (f"（{info['source']}）" if info["source"] else "")])
    instructions = write_table(workbook, "说明", ["表 / sheet", "列 / column", "说明", "help",
                                                "也可写作 / also accepted", "默认值 / default"], rows)
    instructions.set_column(2, 3, 60, wrap)
    instructions.set_column(4, 4, 30, wrap)
    for sheet in SHEETS:
        if sheet is TEACHERS and layout == "registry":
            _registry_teachers(workbook)
            continue
        page = write_table(workbook, sheet.zh, [c.zh for c in sheet.columns], [],
                           notes=[c.key for c in sheet.columns])
        for position, column in enumerate(sheet.columns):
            page.write_comment(0, position, _hint(column), {"x_scale": 1.5})
    workbook.close()


def _hint(column: Column, zh: str | None = None, en: str | None = None) -> str:
    return "\n".join(filter(None, ["必填" if column.required else "选填", zh or column.zh_help, en or column.en_help]))


def _registry_teachers(workbook) -> None:
    """The 花名册 sheet: a title row, then the registry's headers (序号 first), hints as comments."""
    headers = ["序号", *(header for header, _ in REGISTRY_COLUMNS)]
    page = workbook.add_worksheet(REGISTRY_SHEET)
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                "align": "center", "valign": "vcenter"})
    page.merge_range(0, 0, 0, len(headers) - 1, _REGISTRY_TITLE, title)
    page.write_row(1, 0, headers, bold)
    page.write_comment(1, 0, "行号，程序不读取\nrow number, not read", {"x_scale": 1.5})
    for position, (header, key) in enumerate(REGISTRY_COLUMNS, start=1):
        column = TEACHERS.known_column(key)
        zh, en = _REGISTRY_HELP.get(key, (None, None))
        required = key in ("teacher_id", "name", "school_name", "subject", "joined_school")
        hint = _hint(column, zh, en) if column else ""
        if required:
            hint = hint.replace("选填", "必填", 1)
        page.write_comment(1, position, hint, {"x_scale": 1.5})
        page.set_column(position, position, max(8, len(header) * 2 + 2))
    page.freeze_panes(2, 0)
