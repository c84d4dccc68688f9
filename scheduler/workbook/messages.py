"""Catalogue of validation messages: code → (Chinese, English) templates.

Templates name the bad value and say what is expected, so a planner can fix the cell
without reading any documentation.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "file_unreadable": ("无法读取文件（读取器报告：{reason}）：请在 Excel 中打开并另存为 .xlsx 后再上传",
                        "cannot read the file ({reason}): open it in Excel, save it again as .xlsx and upload that"),
    "file_encrypted": ("工作簿设有打开密码（已加密），无法读取：请在 Excel 中打开，在“文件 → 信息 → 保护工作簿 → "
                       "用密码进行加密”中清空密码并保存，再上传",
                       "the workbook is password-protected (encrypted) and cannot be read: open it in Excel, clear "
                       "the password under File → Info → Protect Workbook → Encrypt with Password, save and upload again"),
    "file_not_workbook": ("文件内容是{kind_zh}，不是 Excel 工作簿：请在 Excel 中打开并另存为 .xlsx 后再上传",
                          "the file holds {kind_en}, not an Excel workbook: open it in Excel, save it as .xlsx and "
                          "upload that"),
    "file_corrupt_zip": ("文件已损坏，不是完整的 Excel 工作簿（压缩结构无法打开）：请在 Excel 中打开并另存为 .xlsx 后再上传",
                         "the file is damaged, not a complete Excel workbook (its zip structure cannot be opened): "
                         "open it in Excel, save it again as .xlsx and upload that"),
    "file_corrupt_member": ("文件已损坏：工作簿内部的“{member}”无法完整解压，未读取：请在 Excel 中打开并另存为 .xlsx 后再上传",
                            "the file is damaged: its part {member!r} does not unpack whole, so nothing was read; "
                            "open it in Excel, save it again as .xlsx and upload that"),
    "zip_members": ("文件内部有 {count} 个部件，超过上限 {limit} 个，不是规划工作簿，未读取",
                    "the file holds {count} parts, more than the limit of {limit}: not a planning workbook, not read"),
    "zip_too_large": ("文件解压后超过 {limit}（在内部的“{member}”处超出），不是规划工作簿（可能是压缩炸弹），未读取：请只保留"
                      "规划所需的工作表后另存",
                      "the file unpacks to more than {limit} (passed at its part {member!r}): not a planning "
                      "workbook (perhaps a zip bomb), not read; keep only the planning sheets and save again"),
    "zip_ratio": ("文件内部的“{member}”由 {packed} 解压为 {size}，压缩比超过 {ratio} 比 1，不像规划工作簿（可能是压缩炸弹），"
                  "未读取：请只保留规划所需的工作表后另存",
                  "the part {member!r} of the file unpacks from {packed} to {size}, more than {ratio} to 1: not "
                  "like a planning workbook (perhaps a zip bomb), not read; keep only the planning sheets and save "
                  "again"),
    "zip_size_lie": ("文件内部的“{member}”声明解压后为 {declared}，实际内容更多：文件已损坏或被篡改，未读取：请在 Excel "
                     "中打开并另存为 .xlsx 后再上传",
                     "the file's part {member!r} says it unpacks to {declared} but holds more: the file is damaged "
                     "or tampered with, not read; open it in Excel, save it again as .xlsx and upload that"),
    "sheet_too_large": ("工作表“{sheet_name}”最远的内容在 {column} 列、第 {row} 行，表格范围 A1:{column}{row} 共 "
                        "{cells:,} 个单元格，超过上限 {limit:,} 个，未读取：请删去远处的单元格（选中多余的行和列，删除）后另存",
                        "sheet {sheet_name!r} has content as far as column {column}, row {row}: its range "
                        "A1:{column}{row} holds {cells:,} cells, more than the limit of {limit:,}, so it was not "
                        "read; delete the far cells (select the extra rows and columns, delete them) and save again"),
    "read_memory": ("读取此文件需要超过 {limit} 内存，已停止读取（其他用户不受影响）：文件中可能有远处的单元格或异常内容，"
                    "请删去多余的行和列后另存",
                    "reading this file needs more than {limit} of memory and was stopped (nobody else is "
                    "affected): it may hold far-away cells or unusual content; delete the extra rows and "
                    "columns and save again"),
    "read_timeout": ("读取此文件超过 {seconds} 秒，已停止（其他用户不受影响）：请删去多余的行和列，或另存为 .xlsx 后再上传",
                     "reading this file took more than {seconds} s and was stopped (nobody else is affected): "
                     "delete the extra rows and columns, or save it as .xlsx, and upload again"),
    "read_crashed": ("读取器无法处理此文件，已停止（其他用户不受影响）；文件可能已损坏或格式异常：请在 Excel 中打开并另存为 "
                     ".xlsx 后再上传",
                     "the reader failed on this file and stopped ({reason}; nobody else is affected): the file "
                     "may be damaged or unusual; open it in Excel, save it again as .xlsx and upload that"),
    "file_type": ("不支持的文件类型“{value}”，请上传 .xlsx 工作簿或 .csv 文件",
                  "unsupported file type {value!r}: upload an .xlsx workbook or .csv files"),
    "csv_binary": ("文件不是文本格式的CSV（含有二进制内容）：若是 Excel 工作簿，请以 .xlsx 文件上传；否则请在 Excel 中另存为“CSV UTF-8”",
                   "the file is not a text CSV (it contains binary data): upload an Excel workbook as .xlsx, or "
                   "save the sheet from Excel as CSV UTF-8"),
    "csv_encoding": ("无法识别文件编码，请另存为 UTF-8 或 GB18030/GBK 编码的CSV",
                     "cannot decode the file: save it as UTF-8 or GB18030/GBK CSV"),
    "csv_parse": ("CSV格式有误：{reason}", "the CSV is malformed: {reason}"),
    "unknown_file": ("无法判断此文件对应哪张表，文件名应为表名，如“教师.csv”或“teachers.csv”",
                     "cannot tell which sheet this file is: name it after the sheet, e.g. teachers.csv or 教师.csv"),
    "unknown_sheet": ("工作表“{value}”不属于规划模板，已忽略", "sheet {value!r} is not part of the template and was ignored"),
    "duplicate_sheet": ("表“{value}”提供了两次（{first} 与 {second}），请只保留一份",
                        "sheet {value!r} was given twice ({first} and {second}); keep one"),
    "no_files": ("没有上传任何文件", "no file was given"),
    "missing_sheet": ("缺少必需的工作表“{zh}”（英文名 {en}）", "the required sheet {en!r} ({zh}) is missing"),
    "empty_sheet": ("必需的工作表没有任何数据行", "the required sheet has no data rows"),
    "no_header": ("找不到表头：前11行（表头之上最多10行标题）中没有可识别的列名，应包含 {expected}",
                  "no header found: none of the first 11 rows (at most 10 title rows above the header) names a "
                  "known column; expected {expected}"),
    "missing_column": ("缺少必需列“{zh}”（英文 {en}）", "the required column {en!r} ({zh}) is missing"),
    "duplicate_column": ("列“{value}”出现了两次", "column {value!r} appears twice"),
    "required_empty": ("必填项为空", "this cell is required but empty"),
    "duplicate_id": ("编号“{value}”重复（第{first_row}行已出现）", "id {value!r} is duplicated (first seen in row {first_row})"),
    "bad_int": ("“{value}”不是整数，应填写如 3 这样的整数", "{value!r} is not a whole number; expected e.g. 3"),
    "bad_float": ("“{value}”不是数字", "{value!r} is not a number"),
    "negative": ("“{value}”不能为负数", "{value!r} must not be negative"),
    "bad_date": ("无法识别日期“{value}”，应写作如 1985-03-12", "cannot read the date {value!r}; expected e.g. 1985-03-12"),
    "date_year_only": ("“{value}”只有年份，应写出年月或日期，如 {year}-03 或 {year}-03-12",
                       "{value!r} is only a year; write a month or a date, e.g. {year}-03 or {year}-03-12"),
    "ambiguous_month": ("“{value}”作为数字输入时，Excel 会去掉末尾的0，无法分辨是 {year}年1月 还是 {year}年10月：请写作文本 "
                        "{year}-01 或 {year}-10，或输入为日期",
                        "{value!r} typed as a number may be January or October {year} (Excel drops the trailing "
                        "zero of {year}.10): write it as the text {year}-01 or {year}-10, or as a date"),
    "birth_date_range": ("出生日期 {value} 不合理：应不早于 1940-01-01，且不晚于 {latest}（年满18岁）",
                         "the birth date {value} is implausible: expected from 1940-01-01 to {latest} (aged 18 or more)"),
    "out_of_range": ("“{value}”超出合理范围，应在 {low} 到 {high} 之间", "{value!r} is out of range; expected {low} to {high}"),
    "bad_term": ("无法识别学期“{value}”，应写作如 2026秋 或 2027春（英文 2026-fall / 2027-spring）",
                 "cannot read the term {value!r}; expected e.g. 2026-fall or 2027-spring (2026秋 / 2027春)"),
    "bad_term_or_date": ("无法识别“{value}”，应写作学期如 2025秋、2026春，或年月如 2025-09、2025年9月",
                         "cannot read {value!r}; expected a term such as 2025-fall / 2026-spring, or a month "
                         "such as 2025-09"),
    "history_unknown_teacher": ("教师编号“{value}”不在“教师”表中（已退休或调离？）；此条交流记录保留，不影响本次规划",
                                "teacher id {value!r} is not in the teachers sheet (retired or moved?); the "
                                "record is kept and does not affect this plan"),
    "bad_yes_no": ("“{value}”不是“是/否”，可填 是/否、Y/N、1/0", "{value!r} is not yes/no; use yes/no, Y/N, 1/0 or 是/否"),
    "bad_choice": ("“{value}”不是有效的取值，可选：{choices}", "{value!r} is not a valid value; choose one of {choices_en}"),
    "unknown_subject": ("未知学科“{value}”{hint_zh}", "unknown subject {value!r}{hint_en}"),
    "unknown_school": ("学校编号“{value}”不在“学校”表中", "school id {value!r} is not in the schools sheet"),
    "unknown_teacher": ("教师编号“{value}”不在“教师”表中", "teacher id {value!r} is not in the teachers sheet"),
    "spouse_self": ("配偶编号不能是本人", "a teacher cannot be their own spouse"),
    "spouse_not_mutual": ("教师“{value}”未将本人登记为配偶，请核对", "teacher {value!r} does not name this teacher as spouse; please check"),
    "term_order": ("开始学期 {first} 晚于结束学期 {last}", "the start term {first} is after the end term {last}"),
    "priority_range": ("优先级“{value}”应在1到5之间", "priority {value!r} must be between 1 and 5"),
    "min_gt_max": ("每年最少派出（{low}）大于每年最多派出（{high}）", "min_per_year ({low}) is larger than max_per_year ({high})"),
    "link_self": ("牵头学校与成员学校相同", "the lead school and the member school are the same"),
    "duplicate_link": ("与第{first_row}行的结对关系重复", "this link repeats the one in row {first_row}"),
    "pin_needs_school": ("“{action}”需要填写学校编号", "{action_en} needs a school id"),
    "zero_count": ("需求人数为0，此行将被忽略", "the count is 0; this need is ignored"),
    "unknown_setting": ("未知参数“{value}”，已忽略；可用参数见说明页", "unknown setting {value!r} was ignored; see the instructions sheet"),
    "bad_setting": ("参数“{key}”的值“{value}”无效：{reason_zh}",
                    "setting {key!r} has an invalid value {value!r}: {reason_en}"),
    "unknown_rule": ("未知规则“{value}”，未设置；可用规则：{known_zh}", "unknown rule {value!r}, not set; rules: {known_en}"),
    "rule_mode": ("规则“{zh}”（{id}）可设为 {allowed_zh}，不能设为“{value}”",
                  "rule {id} ({en}) can be {allowed_en}, not {value!r}"),
    "horizon_order": ("{reason_zh}：请改正规划开始学期或规划结束学期", "{reason_en}: correct horizon_from or horizon_to"),
    "duplicate_setting": ("参数“{value}”重复设置（第{first_row}行已设置）", "setting {value!r} is set twice (first in row {first_row})"),
    "unknown_preference": ("志愿学校“{value}”不在“学校”表中，此志愿将被忽略",
                           "preferred school {value!r} is not in the schools sheet and is ignored"),
    "demand_no_link": ("学校“{name}”有需求但没有任何结对关系；结对模式为“严格”时它接收不到教师",
                       "school {name!r} has needs but no pairing link; with strict pairing it cannot receive teachers"),
    "bad_id_number": ("身份证号“{value}”无效：{reason_zh}", "the ID number {value!r} is not valid: {reason_en}"),
    "duplicate_id_number": ("身份证号“{value}”重复（第{first_row}行已出现）",
                            "the ID number {value!r} is duplicated (first seen in row {first_row})"),
    "id_birth_mismatch": ("出生日期 {value} 与身份证号中的出生日期 {from_id} 不一致，请核对",
                          "the birth date {value} differs from the one in the ID number, {from_id}; please check"),
    "id_gender_mismatch": ("性别“{value}”与身份证号（第17位）所示的“{from_id}”不一致，请核对",
                           "the gender {value!r} differs from the ID number's (17th character), {from_id_en}; please check"),
    "joined_after_horizon": ("进本校年月 {value} 晚于规划首学期开始日 {start}，不合理",
                             "joined the school on {value}, after the horizon's first term starts ({start}): implausible"),
    "years_disagree": ("本校任教年限 {value} 年与进本校年月 {joined} 算得的 {derived} 年（算至 {start}）不一致，按进本校年月计为 "
                       "{derived} 年",
                       "years_at_school {value} differs from the {derived} years counted from joined_school {joined} "
                       "to {start}; {derived} is used"),
    "unknown_school_name": ("学校“{value}”不在“学校”表的学校名称中（共{count}名教师，第{rows}行）{hint_zh}",
                            "school {value!r} is not a school name in the schools sheet ({count} teacher(s), rows "
                            "{rows}){hint_en}"),
    "ambiguous_school_name": ("“学校”表中有{count}所学校名为“{value}”（编号 {ids}），无法确定教师所在学校：请改用学校编号列，"
                              "或把学校名称改为互不相同（涉及第{rows}行）",
                              "{count} schools in the schools sheet are named {value!r} (ids {ids}), so the teacher's "
                              "school is unclear: use a school id column or make the names differ (rows {rows})"),
}
