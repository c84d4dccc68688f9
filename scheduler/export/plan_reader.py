"""Read a plan back from the placements sheet of an exported (and perhaps hand-edited) workbook.

Only the columns that make a placement are read: 教师编号, 接收学校编号, 学科, 开始学期, and
学期数 or 结束学期 (Chinese or English headers, as exported). Names are for people; when one
no longer matches its id the id counts and a warning says so. Rows that cannot be read are
reported with sheet, Excel row and column and left out; the audit checks the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from ..domain.models import Case
from ..domain.settings import (DEFAULTS, Settings, check_setting, rule_key, setting_info, setting_keys, setting_names,
                               settings_from, value_text)
from ..domain.terms import Term
from ..plan import Placement, Plan
from ..rules import RULE_BY_ID, RULES, Text
from ..rules.context import Context
from ..workbook.cells import cell_text
from ..workbook.report import Problem, Report
from ..workbook.schema import column_for_header
from ..workbook.sheet_frame import SheetFrame, frame_table
from ..workbook.sources import RawTable, read_workbook_rows
from .messages import PlanProblem
from .plan_sheet import PLACEMENTS
from .sheets import MODE_LABEL, SETTINGS_USED

MAX_TERMS = 12


def read_plan(case: Case, source: str | Path | bytes, settings: Settings | None = None,
              unmatched: list[Placement] | None = None) -> tuple[Plan, Report]:
    """The plan in the workbook's placements sheet (status "edited") and what was wrong with it.

    A placement without a length (学期数, 结束学期) gets the 交流学期数 of the need it fills (the need
    row at its school and subject whose window holds its start), else `placement_terms` from
    `settings`, the ones the plan is judged by (the command line passes the workbook's with --set
    on top; without them, the case's own 设置 text is read). The settings the plan was made with,
    when the workbook lists them, are in
    `plan.stats["settings"]` (English key → value as written). `unmatched`, when given, receives the
    rows left out for naming a teacher or a school the case does not have (reported too), so a
    re-plan can say what became of each of them.
    """
    name, data = (Path(source).name, Path(source).read_bytes()) if isinstance(source, (str, Path)) \
        else ("plan.xlsx", bytes(source))
    report = Report()
    plan = Plan([], "edited")
    # A plan workbook comes from planners' hands too: the roster's guards (size limits, the read in
    # a capped child process) keep a hostile one from taking the server down.
    sheets = read_workbook_rows(name, data, report)
    if sheets is None:
        return plan, _located(report)

    recorded = _settings_used(sheets, name, report)
    plan.stats["settings"] = recorded
    if settings is None:
        try:
            settings = settings_from(case.settings)
        except ValueError:
            settings = DEFAULTS
    frame = _placements_frame(sheets, name, report)
    if frame is not None:
        plan.placements = _placements(case, frame, report, Context(case, settings).length_at, unmatched)
        if frame.text.empty:
            report.warning("plan_empty", sheet=PLACEMENTS.key, file=name)
    return plan, _located(report)


def _located(report: Report) -> Report:
    """The problems as plan problems, so they name the plan's sheet and columns."""
    names = [f.name for f in fields(Problem)]
    return Report([PlanProblem(**{n: getattr(p, n) for n in names}) for p in report.problems])


def _placements_frame(sheets: dict[str, list[list]], name: str, report: Report) -> SheetFrame | None:
    chosen = next((s for s in sheets if str(s).strip().casefold() in (PLACEMENTS.zh, PLACEMENTS.key)), None)
    if chosen is None:
        # A renamed sheet: the first one whose header names every column a placement needs.
        required = [c for c in PLACEMENTS.columns if c.required]
        for sheet_name, rows in sheets.items():
            header = [cell_text(v) for row in rows[:10] for v in row]
            if all(any(column_for_header(PLACEMENTS, h) is c for h in header) for c in required):
                chosen = sheet_name
                break
    if chosen is None:
        report.error("plan_no_sheet", file=name)
        return None
    raw = RawTable(PLACEMENTS, f"{name}:{chosen}", name, pd.DataFrame(sheets[chosen], dtype=object))
    return frame_table(raw, report)


def _placements(case: Case, frame: SheetFrame, report: Report, length: Callable[[str, str, int], int],
                unmatched: list[Placement] | None = None) -> list[Placement]:
    """`length`: how long a placement lasts that says nothing of it, from (school, subject, start ordinal)."""
    columns = {key: frame.parse(key, report) for key in ("teacher_id", "school_id", "subject", "start_term",
                                                           "end_term")}
    term_counts = _term_counts(frame, report)
    names = frame.column_text("name")
    school_names = frame.column_text("school_name")
    placements = []
    for position in range(len(frame.text)):
        row = int(frame.rows[position])
        teacher_id, school_id = columns["teacher_id"].iat[position], columns["school_id"].iat[position]
        subject, start = columns["subject"].iat[position], columns["start_term"].iat[position]
        end: Term | None = columns["end_term"].iat[position]
        terms = term_counts[position]
        if None in (teacher_id, school_id, subject, start) or terms == -1:
            continue  # already reported: an empty required cell or an unreadable one
        ok = True
        if not case.has_teacher(teacher_id):
            report.error("unknown_teacher", sheet=PLACEMENTS.key, row=row, column="teacher_id", value=teacher_id,
                         file=frame.file)
            ok = False
        elif names.iat[position] and names.iat[position] != case.teacher(teacher_id).name:
            _mismatch(report, frame, row, "name", names.iat[position], teacher_id, case.teacher(teacher_id).name)
        if not case.has_school(school_id):
            report.error("unknown_school", sheet=PLACEMENTS.key, row=row, column="school_id", value=school_id,
                         file=frame.file)
            ok = False
        elif school_names.iat[position] and school_names.iat[position] != case.school(school_id).name:
            _mismatch(report, frame, row, "school_name", school_names.iat[position], school_id,
                      case.school(school_id).name)
        if end is not None and end.ordinal < start.ordinal:
            report.error("term_order", sheet=PLACEMENTS.key, row=row, column="end_term", value=end.label(),
                         params={"first": start.label(), "last": end.label()}, file=frame.file)
            continue
        if terms is None:
            terms = end.ordinal - start.ordinal + 1 if end is not None \
                else length(school_id, subject, start.ordinal)
        elif end is not None and end.ordinal - start.ordinal + 1 != terms:
            report.warning("plan_terms_mismatch", sheet=PLACEMENTS.key, row=row, column="terms", value=str(terms),
                           params={"terms": terms, "first": start.label(), "last": end.label()}, file=frame.file)
        if ok:
            placements.append(Placement(teacher_id, school_id, subject, start, terms))
        elif unmatched is not None:
            unmatched.append(Placement(teacher_id, school_id, subject, start, terms))
    return placements


def _term_counts(frame: SheetFrame, report: Report) -> list[int | None]:
    """The 学期数 of each row: None when empty, -1 when unreadable (and reported)."""
    counts: list[int | None] = []
    for position, text in enumerate(frame.column_text("terms").tolist()):
        if not text:
            counts.append(None)
            continue
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number.is_integer() and 1 <= number <= MAX_TERMS:
            counts.append(int(number))
            continue
        report.error("plan_bad_terms", sheet=PLACEMENTS.key, row=int(frame.rows[position]), column="terms",
                     value=text, file=frame.file)
        counts.append(-1)
    return counts


def _mismatch(report: Report, frame: SheetFrame, row: int, column: str, written: str, id_: str, name: str) -> None:
    what = ("姓名", "name") if column == "name" else ("接收学校", "school name")
    report.warning("plan_name_mismatch", sheet=PLACEMENTS.key, row=row, column=column, value=written,
                   params={"what": what[0], "what_en": what[1], "id": id_, "name": name}, file=frame.file)


def _settings_used(sheets: dict[str, list[list]], name: str, report: Report) -> dict[str, str]:
    """The settings sheet the exporter wrote (its `key` and value columns), as settings overrides."""
    sheet_name = next((s for s in sheets if str(s).strip() in SETTINGS_USED), None)
    if sheet_name is None or not sheets[sheet_name]:
        return {}
    rows = [[cell_text(v) for v in row] for row in sheets[sheet_name]]
    header = [h.casefold() for h in rows[0]]
    if "key" not in header or not ({"值", "value"} & set(header)):
        return {}
    key_at = header.index("key")
    value_at = header.index("值") if "值" in header else header.index("value")
    keys = setting_keys()
    values: dict[str, str] = {}
    for row in rows[1:]:
        if len(row) <= max(key_at, value_at) or not row[key_at]:
            continue
        written, value = row[key_at], row[value_at]
        key = written if rule_key(written) is not None else keys.get(written.casefold())
        if key is None or not value:
            continue
        reason = check_setting(key, value)
        if reason is not None:
            report.warning("bad_plan_setting", sheet=str(sheet_name), file=name,
                           params={"key": written, "value": value, "reason": reason})
            continue
        values[key] = value
    return _explicit_modes(values)


def _explicit_modes(values: dict[str, str]) -> dict[str, str]:
    """Drop the rule rows that only repeat what the other settings imply (pairing_mode gives the
    pairing rule's mode, quota_hard the quota's), so a later --set of those settings still counts."""
    plain = {key: value for key, value in values.items() if rule_key(key) is None}
    try:
        implied = settings_from(plain)
    except ValueError:
        return values
    kept = dict(plain)
    for key, value in values.items():
        rule = RULE_BY_ID.get(rule_key(key) or "")
        if rule is not None and settings_from({key: value}).rule_modes[rule.id] != rule.mode(implied):
            kept[key] = value
    return kept


#: settings that steer the search, not the rules: a plan found with another time limit, seed or
#: worker count is judged the same, so a difference there is not worth the planner's attention
_SEARCH_ONLY = ("time_limit_s", "seed", "workers")


@dataclass(frozen=True)
class SettingDifference:
    """A setting the plan workbook records with another value than the one the audit uses."""

    zh: str
    en: str
    plan_value: Text
    used_value: Text

    def line(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"{self.zh}：方案中为“{self.plan_value.zh}”，规划工作簿为“{self.used_value.zh}”"
        return f"{self.en}: {self.plan_value.en!r} in the plan, {self.used_value.en!r} in the planning workbook"


def recorded_differences(recorded: dict[str, str], settings: Settings) -> list[SettingDifference]:
    """Where the settings a plan workbook lists (`plan.stats["settings"]`) differ from `settings`.

    The plan's own 规则设置 sheet never decides its audit (a hand-edited plan could switch the
    pairing rule off for itself); it is only compared, so the planner sees what changed.
    """
    if not recorded:
        return []
    try:
        made_with = settings_from(recorded)
    except ValueError:  # a combination the single checks cannot see: compare nothing rather than guess
        return []
    differences = []
    for name in setting_names():
        if name in _SEARCH_ONLY:
            continue
        before, now = getattr(made_with, name), getattr(settings, name)
        if before != now:
            info = setting_info(name)
            differences.append(SettingDifference(info["zh_key"], name, _value_text(before), _value_text(now)))
    for rule in RULES:
        before, now = rule.mode(made_with), rule.mode(settings)
        if before != now:
            differences.append(SettingDifference(f"规则“{rule.zh}”", f"rule {rule.en!r}", _mode_text(before),
                                                 _mode_text(now)))
    return differences


def _value_text(value) -> Text:
    empty = ("（空）", "(empty)")
    return Text(value_text(value, "zh") or empty[0], value_text(value, "en") or empty[1])


def _mode_text(mode: str) -> Text:
    return Text(*MODE_LABEL[mode])
