"""A plan workbook handed to `audit` or the Plan page goes through the roster's guards: a hostile
one is refused with a message, and this process keeps running (before, calamine aborted it)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from scheduler.domain.settings import settings_from
from scheduler.export import read_plan, write_plan_workbook
from scheduler.model import solve
from scheduler.workbook import read_paths

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "lueyang_county.xlsx"


def _with_far_cell(plan_bytes: bytes) -> bytes:
    """The plan workbook with one cell added at the sheet's last column and row, in every sheet."""
    source = zipfile.ZipFile(io.BytesIO(plan_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</sheetData>",
                                    b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                                    b"</sheetData>")
            target.writestr(item, data)
    return out.getvalue()


def test_a_plan_with_a_far_cell_is_refused_naming_the_sheet(tmp_path):
    case = read_paths([SAMPLE]).case
    plan = solve(case, settings_from(case.settings))
    target = tmp_path / "plan.xlsx"
    write_plan_workbook(case, settings_from(case.settings), plan, target)
    good, problems = read_plan(case, target.read_bytes())
    assert problems.ok and len(good.placements) == len(plan.placements)

    hostile, problems = read_plan(case, _with_far_cell(target.read_bytes()))
    assert not hostile.placements
    codes = {p.code for p in problems.problems}
    assert "sheet_too_large" in codes, codes
    assert "XFD" in problems.text("zh")
