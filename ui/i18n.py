"""Every label of the UI in Chinese and English. Chinese is the default."""

from __future__ import annotations

import streamlit as st

LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("教师交流轮岗规划", "Teacher-exchange planner"),
    "language": ("语言 / Language", "Language / 语言"),
    "page_data": ("数据", "Data"),
    "page_rules": ("规则", "Rules"),
    "page_solve": ("求解", "Solve"),
    "page_plan": ("方案", "Plan"),
    "page_export": ("导出", "Export"),
    # data
    "data_intro": ("上传教师名册工作簿（或各表CSV），检查数据问题，查看供需概况。",
                   "Upload the roster workbook (or one CSV per sheet), check it, and look at supply and need."),
    "sample": ("样例数据", "Sample data"),
    "use_sample": ("载入样例", "Load sample"),
    "sample_placeholder": ("正在使用上传的数据；可在此选择样例", "Uploaded data in use; pick a sample here"),
    "report_full": ("逐条查看问题全文", "Every problem in full"),
    "upload": ("上传工作簿或CSV文件", "Upload a workbook or CSV files"),
    "upload_help": ("支持 .xlsx 工作簿，或按表名命名的CSV（如 教师.csv），UTF-8 或 GB18030 编码",
                    ".xlsx workbook, or CSV files named after the sheets (teachers.csv), UTF-8 or GB18030"),
    "upload_caption": ("点击 Upload 或把文件拖到框内；单个文件不超过 50MB。", "Click Upload or drop files into the box; at most 50 MB each."),
    "template": ("下载空白模板", "Download the blank template"),
    "mapping": ("列对应", "Column mapping"),
    "mapping_help": ("部分必填字段没有找到对应的列（表头名称与模板不同）。请为每个字段选择文件中对应的列，再点“按此对应重新读取”。"
                     "对应关系会保存在规则文件中，下次上传相同格式的文件会自动对应。",
                     "Some required fields have no column (the headers differ from the template). Pick the file's "
                     "column for each field, then press Read again with this mapping. The mapping is saved with the "
                     "rules file, so the next upload laid out the same way maps itself."),
    "mapping_sheet": ("“{sheet}”表", "Sheet {sheet}"),
    "mapping_pick": ("选择对应的列", "Pick the column"),
    "mapping_incomplete": ("还有字段未选择对应的列；未选的字段仍会报“缺少列”。",
                           "Some fields have no column picked yet; those are still reported as missing."),
    "apply_mapping": ("按此对应重新读取", "Read again with this mapping"),
    "mapping_kept": ("正在使用的列对应（{n} 项）", "Column mapping in use ({n})"),
    "mapping_kept_help": ("每次上传都先按此对应读取表头；下载规则文件可保存它，下次载入规则文件即可沿用。",
                          "Every upload is read with this mapping first; download the rules file to keep it, and load "
                          "that file next time to use it again."),
    "mapping_clear": ("清除列对应", "Clear the mapping"),
    "current_data": ("当前数据：{name}", "Current data: {name}"),
    "report": ("数据检查", "Validation"),
    "no_problems": ("数据检查通过，未发现问题。", "The data passed every check."),
    "has_errors": ("发现 {errors} 个错误，需修正后才能求解；另有 {warnings} 个警告。",
                   "{errors} error(s) must be fixed before solving; {warnings} warning(s)."),
    "only_warnings": ("没有错误，有 {warnings} 个警告（不影响求解）。", "No errors; {warnings} warning(s) (solving is possible)."),
    "filter_sheet": ("按工作表筛选", "Filter by sheet"),
    "sheets": ("各表预览", "Sheet previews"),
    "rows": ("{n} 行", "{n} rows"),
    "overview": ("供需概况", "Supply and need"),
    "overview_help": ("左：接收学校的需求人数（同时需要的最多人数）；右：派出学校中可交流的教师（含兼教）。音体美以橙色标出。",
                      "Left: peak need at receiving schools; right: eligible teachers at sending schools (incl. other "
                      "subjects). Music/PE/art in orange."),
    "need_heatmap": ("各区县各学科需求", "Need by county and subject"),
    "counts": ("教师 {teachers} 名 · 学校 {schools} 所 · 结对 {links} 条 · 需求 {demands} 行 · 锁定 {pins} 条",
               "{teachers} teachers · {schools} schools · {links} links · {demands} need rows · {pins} pins"),
    # rules
    "rules_intro": ("调整规则参数。每项都显示默认值及其政策依据；修改只影响本次规划。",
                    "Adjust the rules. Each shows its default and the published figure behind it; changes affect this plan only."),
    "default_is": ("默认：{value}", "default: {value}"),
    "reset": ("恢复默认", "Reset to defaults"),
    "rule_modes": ("规则开关（硬约束/软约束/关闭）", "Rule switches (hard / soft / off)"),
    "mode_hard": ("硬约束", "hard"),
    "mode_soft": ("软约束", "soft"),
    "mode_off": ("关闭", "off"),
    "pins_title": ("锁定、禁止与排除", "Pins, forbids and exclusions"),
    "pins_help": ("锁定：必须安排该教师去该校；禁止：不安排该教师去该校；禁止交流：该教师不派出。按姓名选择教师和学校（可输入文字查找）；"
                  "开始学期只对锁定有意义，可不填。可增删行。",
                  "pin: the teacher must go to the school; forbid: never to that school; exclude: the teacher stays. Pick "
                  "teachers and schools by name (type to search); the start term only matters for a pin and may be left "
                  "empty. Add or delete rows."),
    "pins_errors": ("锁定表有问题：", "The pins table has problems:"),
    "settings_file": ("保存与载入规则", "Save and load the rules"),
    "save_settings": ("下载规则文件", "Download the rules file"),
    "load_settings": ("载入规则文件", "Load a rules file"),
    "loaded_settings": ("已载入规则文件“{name}”，页面上的规则已更新。", "Rules file {name!r} loaded; the rules above are updated."),
    "bad_settings_file": ("规则文件“{name}”未载入，规则保持不变。请修正以下问题后重新上传：",
                          "The rules file {name!r} was not loaded; the rules are unchanged. Fix these and upload it again:"),
    "group_quota": ("交流比例", "Quota"),
    "group_time": ("时间", "Time"),
    "group_fit": ("匹配与结对", "Fit and pairing"),
    "group_weights": ("权重", "Weights"),
    "advanced": ("高级：求解时限与随机种子", "Advanced: time limit and seed"),
    # solve
    "solve_intro": ("求解在后台进行，可随时停止并保留目前最好的方案。", "Solving runs in the background; stop at any time to keep the best plan so far."),
    "solve": ("开始求解", "Solve"),
    "stop": ("停止", "Stop"),
    "cannot_solve": ("数据有错误，请先在“数据”页修正。", "The data has errors; fix them on the Data page first."),
    "preparing": ("正在建立模型……", "Building the model…"),
    "solved": ("求解完成：用时 {seconds:.1f} 秒，共安排 {n} 人。{status}", "Solved in {seconds:.1f} s, {n} placements. {status}"),
    "solve_cut": ("求解未完成：用时 {seconds:.1f} 秒，保留目前最好的方案，共安排 {n} 人。{status}",
                  "The solve did not finish: {seconds:.1f} s, the best plan so far is kept, {n} placements. {status}"),
    "infeasible": ("硬规则互相冲突，无可行方案。请放宽规则（如结对模式改为“优先”，或比例改为软约束）。",
                   "The hard rules conflict: no plan exists. Relax a rule (pairing to prefer, or a soft quota)."),
    "solve_failed": ("求解出错：{error}", "The solve failed: {error}"),
    "precheck_ok": ("求解前检查：未发现无法满足的规则。", "Pre-solve check: every rule can be met as far as simple counts tell."),
    "precheck_conflicts": ("求解前检查：{n} 处硬规则冲突，求解将无可行方案，请先按建议放宽。",
                           "Pre-solve check: {n} hard-rule conflict(s); the solve will be infeasible until relaxed."),
    "precheck_shortfalls": ("求解前检查：{n} 处目标无法完全达到（不影响求解）。",
                            "Pre-solve check: {n} goal(s) cannot be fully met (solving still works)."),
    "precheck_details": ("查看原因与建议", "Reasons and suggested relaxations"),
    "levels_table": ("各步骤的结果", "How each step ended"),
    "levels_help": ("方案按步骤逐步求好：先完成交流比例，再填补学科缺口，再保持结对，最后照顾教师意愿；前一步的结果在后面各步中保持不变。"
                    "方案值是该步的加权缺口（越小越好），下界是任何方案在这一步都不可能低于的值。",
                    "The plan is improved step by step: the quota first, then the subject needs, then the links, then "
                    "teachers' wishes; a step's result is kept by every later step. The value is the step's weighted "
                    "shortfall (lower is better); the bound is what no plan can go below at that step."),
    "finding_conflict": ("正在查找冲突的规则……", "Looking for the conflicting rules…"),
    "step": ("步骤", "Step"),
    "value": ("方案值", "Value"),
    "bound": ("下界", "Bound"),
    "how_good": ("离最好可能", "From the best possible"),
    "go_plan": ("查看方案 →", "See the plan →"),
    "no_plan": ("还没有方案，请先在“求解”页求解。", "No plan yet: solve on the Solve page first."),
    # plan
    "placements": ("交流人数", "Placements"),
    "quota_met": ("交流比例达标", "Quota met"),
    "quota_met_help": ("达到交流比例的派出学校学年数 / 全部派出学校学年数", "sending school-years meeting the quota / all of them"),
    "backbone_share": ("骨干占比", "Backbone share"),
    "need_filled": ("需求满足率", "Need filled"),
    "arts_filled": ("音体美满足率", "Music/PE/art filled"),
    "links_alive": ("结对保持", "Links kept alive"),
    "links_alive_help": ("达到“每年最少派出”的结对学年数 / 有此要求的结对学年数", "link-years reaching their minimum / link-years with one"),
    "vs_previous": ("与上一次求解相比", "against the previous solve"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "tab_placements": ("派出安排", "Placements"),
    "tab_sending": ("派出学校", "Sending schools"),
    "tab_receiving": ("接收学校", "Receiving schools"),
    "tab_charts": ("图表", "Charts"),
    "tab_why": ("原因解释", "Why"),
    "tab_edit": ("手工调整", "Edit"),
    "audit_ok": ("审核通过：没有违反硬规则。", "Audit passed: no hard rule is broken."),
    "audit_bad": ("审核发现 {n} 处违反硬规则：", "The audit found {n} broken hard rule(s):"),
    "shortfalls": ("未达到的目标（{n} 处）", "Goals not met ({n})"),
    "flows": ("派出区县 → 接收区县 人数", "Teachers from sending county to receiving county"),
    "need_by_subject": ("各学科需求满足情况（人·学期）", "Need filled per subject (teacher-terms)"),
    "quota_chart": ("各派出学校（或按比例范围：各学区、各区县）交流人数与应交流人数",
                    "Rotated against required per sending school (or per district or county, by the quota scope)"),
    "filled": ("已满足", "filled"),
    "unmet": ("未满足", "unmet"),
    "pick_teacher": ("选择教师", "Pick a teacher"),
    "pick_school": ("选择学校", "Pick a school"),
    "score_breakdown": ("各优先级的缺口构成（哪些学校承担）", "Score breakdown by level (and which schools carry it)"),
    "why_not_school": ("为什么不安排去……", "Why not at…"),
    "why_not": ("查看原因（必要时重新求解比较）", "Explain (re-solves to compare if needed)"),
    "why_not_running": ("正在强制该安排并重新求解……", "Forcing the placement and re-solving…"),
    "edit_help": ("修改接收学校、学科或开始学期，删除或添加行，然后点“检查修改”；审核会立即重新运行。",
                  "Change the school, subject or start term, delete or add rows, then press Check; the audit re-runs at once."),
    "apply_edit": ("检查修改", "Check the edit"),
    "keep_edit": ("采用修改后的方案", "Use the edited plan"),
    "revert_edit": ("撤销修改", "Undo the edits"),
    "edited": ("当前方案已手工修改。", "The current plan was edited by hand."),
    "filter_all": ("全部", "all"),
    # export
    "export_intro": ("下载派出安排工作簿（可作为正式通知的底稿）和JSON摘要。",
                     "Download the assignment workbook (the basis of the official notices) and the JSON summary."),
    "download_plan": ("下载派出安排工作簿", "Download the assignment workbook"),
    "download_json": ("下载JSON摘要", "Download the JSON summary"),
    "export_sheets": ("工作簿包含：派出安排、求解概要、派出学校汇总、接收学校汇总、未满足需求、未派出教师（含原因）、规则设置、审核。"
                      "JSON摘要供其他系统读取。",
                      "The workbook holds: placements, solve summary, sending schools, receiving schools, unmet needs, "
                      "teachers not placed (with the reason), settings used, audit. The JSON summary is for other systems."),
}


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **values: object) -> str:
    zh, en = LABELS[key]
    text = zh if lang() == "zh" else en
    return text.format(**values) if values else text
