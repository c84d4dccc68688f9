"""A planner's rules as a small JSON file, so a county keeps its own settings between years.

Next to "settings" a file may hold "columns": per sheet, which header of the county's own files
holds which field (`{"teachers": {"teacher_id": "人员编码"}}`), so a roster laid out the same way
next year is read without mapping its columns again. A file without "columns" reads as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..domain.settings import Settings, setting_names, value_text
from ..rules import Text
from ..workbook.schema import column_for_header, sheet_for_name
from ..workbook.setting_checks import Entry, check_entry, check_together, refusal_text

FORMAT = "teacher-exchange-settings/1"
#: the longest header text a mapping may name (a header is a cell, not a document)
MAX_HEADER = 200

#: sheet key → {field key: the header text in the planner's file}
Columns = dict[str, dict[str, str]]


@dataclass
class RulesFile:
    """What a rules file holds, checked: its settings (put them on a Settings with `settings_of`),
    its column mapping, and every problem found, in both languages. A file with any problem
    should be refused as a whole."""

    entries: list[Entry] = field(default_factory=list)
    columns: Columns = field(default_factory=dict)
    problems: list[Text] = field(default_factory=list)


def dump_settings(settings: Settings, columns: Columns | None = None) -> str:
    values = {name: value_text(getattr(settings, name), "en") for name in setting_names()}
    values.update({f"rule:{rule}": mode for rule, mode in settings.rule_modes.items()})
    body: dict[str, object] = {"format": FORMAT, "settings": values}
    kept = {sheet: dict(fields) for sheet, fields in (columns or {}).items() if fields}
    if kept:
        body["columns"] = kept
    return json.dumps(body, ensure_ascii=False, indent=2)


def load_rules(text: str | bytes) -> RulesFile:
    """The settings and the column mapping of a rules file, each checked."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError):  # UnicodeDecodeError is a ValueError
        return RulesFile(problems=[Text("这不是规则文件：内容不是有效的 JSON", "not a rules file: the content is not valid JSON")])
    values = data.get("settings") if isinstance(data, dict) else None
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(values, dict) and not (values is None and isinstance(columns, dict)):
        return RulesFile(problems=[Text("这不是规则文件：缺少“settings”部分（应为 参数: 值 的对象）",
                                        "not a rules file: it has no \"settings\" object of key: value")])
    found = RulesFile()
    for written, raw_value in (values or {}).items():
        entry = check_entry(str(written), _text(raw_value))
        if entry.code is not None:
            found.problems.append(refusal_text(entry))
        elif entry.given:
            found.entries.append(entry)
    together = check_together({entry.key: entry.parsed for entry in found.entries})
    if together is not None:
        found.problems.append(together)
    if columns is not None:
        found.columns, problems = _columns(columns)
        found.problems += problems
    return found


def _columns(written: object) -> tuple[Columns, list[Text]]:
    """The "columns" section: sheets and fields by their English key or Chinese name, each mapped
    to a non-empty header, no header given to two fields of one sheet."""
    if not isinstance(written, dict):
        return {}, [Text("规则文件的“columns”部分应为 工作表: {字段: 表头} 的对象",
                         "the rules file's \"columns\" should be an object of sheet: {field: header}")]
    columns: Columns = {}
    problems: list[Text] = []
    for sheet_name, fields in written.items():
        sheet = sheet_for_name(str(sheet_name))
        if sheet is None:
            problems.append(Text(f"列对应：没有名为“{sheet_name}”的工作表",
                                 f"column mapping: there is no sheet {sheet_name!r}"))
            continue
        if not isinstance(fields, dict):
            problems.append(Text(f"列对应：“{sheet.zh}”表应为 字段: 表头 的对象",
                                 f"column mapping: sheet {sheet.key} should be an object of field: header"))
            continue
        mapped = columns.setdefault(sheet.key, {})
        owner: dict[str, str] = {}
        for field_name, header in fields.items():
            column = column_for_header(sheet, str(field_name))
            if column is None:
                problems.append(Text(f"列对应：“{sheet.zh}”表没有字段“{field_name}”",
                                     f"column mapping: sheet {sheet.key} has no field {field_name!r}"))
                continue
            if not isinstance(header, str) or not header.strip() or len(header) > MAX_HEADER:
                problems.append(Text(f"列对应：“{sheet.zh}”表“{column.zh}”的表头应为不超过{MAX_HEADER}字的文字",
                                     f"column mapping: the header of {sheet.key}.{column.key} should be text of at "
                                     f"most {MAX_HEADER} characters"))
                continue
            header = header.strip()
            if header in owner and owner[header] != column.key:
                first = sheet.column(owner[header])
                problems.append(Text(f"列对应：“{sheet.zh}”表的表头“{header}”同时对应“{first.zh}”和“{column.zh}”",
                                     f"column mapping: sheet {sheet.key}'s header {header!r} is given to both "
                                     f"{first.key} and {column.key}"))
                continue
            owner[header] = column.key
            mapped[column.key] = header
        if not mapped:
            del columns[sheet.key]
    return columns, problems


def load_entries(text: str | bytes) -> tuple[list[Entry], list[Text]]:
    """The settings in a file, checked and parsed (put them on a Settings with `settings_of`), and
    the problems found, in both languages (those of its column mapping included).

    Each entry gets the check of a 设置 sheet row; a file with any problem should be refused as a
    whole (the entries returned are only those that passed, with a value).
    """
    found = load_rules(text)
    return found.entries, found.problems


def load_settings(text: str | bytes) -> tuple[dict[str, str], list[Text]]:
    """`load_entries` as English key → text."""
    entries, problems = load_entries(text)
    return {str(entry.key): entry.value for entry in entries}, problems


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
