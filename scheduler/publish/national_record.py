"""The national teacher-management system's 交流轮岗 record (全国教师管理信息系统), one row per placed
teacher, as the bureau fills the system's import sheet: 交流轮岗类型, 是否调动人事关系, 开始年月, 结束年月,
原单位名称, 交流轮岗单位名称, with 姓名, 教师编号 and the 身份证件号 the system matches people by.

The ID number is written only masked (first 6 and last 4 kept), as everywhere in the planner: the
bureau's registry holds it in full, this sheet tells it whom to update. 是否调动人事关系 is 是 only for
a 交流方式 that says so (调动交流, 调动性); every other form keeps the teacher's 人事关系 at home.
"""

from __future__ import annotations

from ..domain.personal import mask_id_number
from .roster import Row, end_month, start_month

COLUMNS = ("序号", "教师编号", "姓名", "身份证件号", "交流轮岗类型", "是否调动人事关系", "开始年月", "结束年月",
           "原单位名称", "交流轮岗单位名称")


def moves_staff(form: str) -> bool:
    return "调动" in form


def record_rows(rows: list[Row]) -> list[list[object]]:
    out: list[list[object]] = []
    for number, row in enumerate(rows, start=1):
        first, last = start_month(row.start), end_month(row.end)
        out.append([number, row.teacher_id, row.name, mask_id_number(row.id_number) if row.id_number else "",
                    row.form, "是" if moves_staff(row.form) else "否", f"{first[0]}-{first[1]:02d}",
                    f"{last[0]}-{last[1]:02d}", row.home, row.host])
    return out
