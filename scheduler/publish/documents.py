"""Publishing a plan: every document written into one folder.

| file | what it is |
|---|---|
| 公示名单.pdf / 公示名单.xlsx | the public-notice list, grouped by sending school |
| 接收名单.xlsx, 接收名单/<学校>.pdf | per receiving school, who arrives (the workbook: each school from a new page) |
| 派遣通知书.docx / 派遣通知书.pdf | one notice per placed teacher, one page each, from the template |
| 指标2.11汇总.xlsx / 指标2.11汇总.pdf | the county summary for indicator 2.11 |
| 教师管理信息系统_交流轮岗.xlsx | the national teacher-system's 交流轮岗 record |

`planned_files` names every file before anything is written, so the command line can refuse an
output that is an input or a file it did not write; `publish` writes each file in one step
(`export.safe_paths.write_atomically`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from ..domain.models import Case
from ..domain.settings import Settings, required_settings
from ..export.safe_paths import write_atomically
from ..plan import Plan
from . import indicator, national_record
from .default_template import TEMPLATE
from .list_workbook import write_list_workbook
from .notices import filled_document, load_template, write_notices_docx, write_notices_pdf
from .pdf_list import ListPage, write_list_pdf
from .roster import LIST_COLUMNS, RECEIVING_COLUMNS, Heading, Row, date_words, grouped, heading, rows_of

NOTICE_LIST = "公示名单"
RECEIVING = "接收名单"
NOTICES = "派遣通知书"
INDICATOR = "指标2.11汇总"
NATIONAL = "教师管理信息系统_交流轮岗"


@dataclass(frozen=True)
class Published:
    """What `publish` wrote, and the words a planner should hear about it."""

    files: list[Path]
    placed: int
    warnings: list[tuple[str, str]]


def _safe_name(name: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "_", name).strip(" .")
    return cleaned[:80] or "学校"


def receiving_files(folder: Path, rows: list[Row]) -> dict[str, Path]:
    """Receiving school id → its PDF; two schools of one name are told apart by their id."""
    names: dict[str, list[str]] = {}
    for row in rows:
        names.setdefault(row.host, [])
        if row.host_id not in names[row.host]:
            names[row.host].append(row.host_id)
    files = {}
    for name, ids in names.items():
        for school_id in ids:
            stem = _safe_name(name) if len(ids) == 1 else _safe_name(f"{name}_{school_id}")
            files[school_id] = folder / RECEIVING / f"{stem}.pdf"
    return files


def planned_files(folder: Path, rows: list[Row]) -> list[Path]:
    fixed = [folder / f"{NOTICE_LIST}.pdf", folder / f"{NOTICE_LIST}.xlsx", folder / f"{RECEIVING}.xlsx",
             folder / f"{NOTICES}.docx", folder / f"{NOTICES}.pdf", folder / f"{INDICATOR}.xlsx",
             folder / f"{INDICATOR}.pdf", folder / f"{NATIONAL}.xlsx"]
    return fixed + list(receiving_files(folder, rows).values())


def _sending_groups(rows: list[Row]) -> list[tuple[str, list[list[str]]]]:
    groups, number = [], 0
    for school, members in grouped(rows, "home"):
        cells = []
        for row in members:
            number += 1
            cells.append(row.cells(number))
        groups.append((f"派出学校：{school}（{len(members)}人）", cells))
    return groups


def _receiving_cells(members: list[Row]) -> list[list[str]]:
    ordered = sorted(members, key=lambda r: (r.home_id, r.start.ordinal, r.teacher_id))
    return [row.cells(number, RECEIVING_COLUMNS) for number, row in enumerate(ordered, start=1)]


def _write(path: Path, write: Callable[[Path], None], written: list[Path]) -> None:
    write_atomically(path, write)
    written.append(path)


def publish(case: Case, settings: Settings, plan: Plan, folder: Path, published: date,
            template: Path | None = None) -> Published:
    """Write every document of `plan` into `folder`. The template is checked before anything is
    written (TemplateProblem); FontMissing when no CJK font can be embedded in the PDFs."""
    settings = required_settings(settings)
    rows = rows_of(case, settings, plan)
    document = filled_document(template or TEMPLATE, rows, settings.issuer, published)
    head = heading(case, settings, rows, published)
    day = date_words(published)
    written: list[Path] = []
    warnings: list[tuple[str, str]] = []
    if not settings.issuer:
        warnings.append(("设置中未填写“发文单位”，名单和通知书上未印发文单位",
                         "the setting 发文单位 (issuer) is empty: no issuing body is printed on the lists and notices"))

    groups = _sending_groups(rows)
    intro = head.notice_sentence()
    _write(folder / f"{NOTICE_LIST}.pdf", lambda p: write_list_pdf(p, ListPage(
        head.list_title(), intro, LIST_COLUMNS, groups, settings.issuer, day)), written)
    _write(folder / f"{NOTICE_LIST}.xlsx", lambda p: write_list_workbook(p, [dict(
        name=NOTICE_LIST, title=head.list_title(), columns=LIST_COLUMNS, groups=groups, above=[intro],
        below=[x for x in (settings.issuer, day) if x])]), written)

    by_host = grouped(rows, "host")
    host_files = receiving_files(folder, rows)
    _write(folder / f"{RECEIVING}.xlsx", lambda p: write_list_workbook(p, [dict(
        name=RECEIVING, title=f"{head.region}{_year(head)}接收交流轮岗教师名单", columns=RECEIVING_COLUMNS,
        groups=[(f"接收学校：{school}（{len(members)}人）", _receiving_cells(members)) for school, members in by_host],
        below=[x for x in (settings.issuer, day) if x], break_groups=True)]), written)
    for school, members in by_host:
        _write(host_files[members[0].host_id], lambda p, s=school, m=members: write_list_pdf(p, ListPage(
            head.receiving_title(s), f"以下教师到{s}交流轮岗（交流期限见表），请做好接收、管理和考核工作。",
            RECEIVING_COLUMNS, [("", _receiving_cells(m))], settings.issuer, day)), written)

    _write(folder / f"{NOTICES}.docx", lambda p: write_notices_docx(p, document), written)
    _write(folder / f"{NOTICES}.pdf", lambda p: write_notices_pdf(p, document, settings.issuer), written)

    lines = indicator.summary_lines(case, settings, rows)
    table = indicator.table_rows(lines, settings) + [indicator.total_row(lines)]
    title = f"{head.region}{_year(head)}教师交流轮岗情况汇总（优质均衡指标2.11）"
    note = (f"注：交流轮岗比例 = 实际交流轮岗教师数 ÷ 符合交流条件教师总数（应不低于{settings.quota_rate:.0%}）；"
            f"骨干教师占比 = 实际交流骨干教师数 ÷ 实际交流轮岗教师数（应不低于{settings.backbone_share:.0%}）；"
            f"骨干教师指县级及以上骨干教师。")
    _write(folder / f"{INDICATOR}.xlsx", lambda p: write_list_workbook(p, [dict(
        name="指标2.11", title=title, columns=indicator.COLUMNS, groups=[("", table)], below=[note])]), written)
    _write(folder / f"{INDICATOR}.pdf", lambda p: write_list_pdf(p, ListPage(
        title, "", indicator.COLUMNS, [("", [[str(v) for v in r] for r in table])], settings.issuer, day,
        note=note)), written)
    _write(folder / f"{NATIONAL}.xlsx", lambda p: write_list_workbook(p, [dict(
        name="交流轮岗", title=None, columns=national_record.COLUMNS,
        groups=[("", national_record.record_rows(rows))])]), written)
    return Published(written, len(rows), warnings)


def _year(head: Heading) -> str:
    return f"{head.school_year}学年" if head.school_year is not None else ""


__all__ = ["Published", "load_template", "planned_files", "publish", "rows_of"]
