"""Messages of the plan reader, and problems located in the plan workbook's sheets.

The workbook reader's catalogue (`workbook.messages`) covers cells; these add what only a
plan can get wrong. A `PlanProblem` names the plan's sheets and columns, not the roster's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..workbook.messages import MESSAGES
from ..workbook.report import Problem
from .plan_sheet import PLACEMENTS

PLAN_MESSAGES: dict[str, tuple[str, str]] = {
    "plan_no_sheet": ("找不到“派出安排”表（英文 placements），也没有哪张表含有 教师编号、接收学校编号、学科、开始学期 列",
                      "no 派出安排 (placements) sheet, and no sheet has the columns teacher_id, school_id, "
                      "subject and start_term"),
    "plan_terms_mismatch": ("学期数{terms}与开始学期{first}、结束学期{last}不符，按学期数计",
                            "{terms} term(s) does not match {first} to {last}; the term count is used"),
    "plan_bad_terms": ("学期数“{value}”应为1到12之间的整数", "the term count {value!r} must be a whole number from 1 to 12"),
    "plan_name_mismatch": ("{what}“{value}”与编号{id}（{name}）不符；以编号为准，如要改动安排请改编号列",
                           "{what_en} {value!r} does not match id {id} ({name}); the id counts: to change the "
                           "placement, edit the id column"),
    "plan_empty": ("表中没有任何安排", "the sheet has no placements"),
    "bad_plan_setting": ("“规则设置”表中参数“{key}”的值“{value}”无效，已忽略：{reason}",
                         "the settings sheet sets {key!r} to an invalid value {value!r}, ignored: {reason}"),
}


@dataclass(frozen=True)
class PlanProblem(Problem):
    """A problem in the plan workbook: the placements sheet's names, the plan reader's messages."""

    def message(self, lang: str = "zh") -> str:
        template = (PLAN_MESSAGES.get(self.code) or MESSAGES[self.code])[0 if lang == "zh" else 1]
        return template.format(value=self.value, **self.params)

    def sheet_label(self, lang: str = "zh") -> str:
        if self.sheet == PLACEMENTS.key:
            return PLACEMENTS.label(lang)
        return self.sheet or ""

    def column_label(self, lang: str = "zh") -> str:
        if self.sheet == PLACEMENTS.key and self.column:
            known = next((c for c in PLACEMENTS.columns if c.key == self.column), None)
            if known:
                return known.label(lang)
        return self.column or ""
