"""Every sample published whole (slow): the plan solved, then `publish` in-process; each document
read back for the title, every placed teacher's name and both schools, page numbering and one
notice per teacher."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdf
import pytest
from docx import Document

from scheduler.domain.settings import settings_from
from scheduler.model import solve
from scheduler.publish import publish
from scheduler.workbook import read_paths

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p.name for p in (REPO / "sample_data").glob("*.xlsx"))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_publishes_every_document(name, tmp_path):
    case = read_paths([REPO / "sample_data" / name]).case
    settings = settings_from(case.settings, time_limit_s=60, issuer="某县教育局")
    plan = solve(case, settings)
    result = publish(case, settings, plan, tmp_path, date(2027, 6, 1))
    assert result.placed == len(plan.placements) > 0
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(str(tmp_path / "公示名单.pdf")).pages]
    assert "教师交流轮岗人员名单（公示）" in _flat(pages[0])
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页/共{len(pages)}页" in text and "序号" in text and "交流期限" in text
    everything = _flat("".join(pages))
    for placement in plan.placements:
        teacher = case.teacher(placement.teacher_id)
        assert _flat(teacher.name) in everything
        assert _flat(case.school(teacher.school_id).name) in everything
        assert _flat(case.school(placement.school_id).name) in everything
    notices = pypdf.PdfReader(str(tmp_path / "派遣通知书.pdf")).pages
    assert len(notices) == len(plan.placements)
    docx_text = "\n".join(p.text for p in Document(str(tmp_path / "派遣通知书.docx")).paragraphs)
    assert "{" not in docx_text
    receiving = list((tmp_path / "接收名单").glob("*.pdf"))
    assert len(receiving) == len({p.school_id for p in plan.placements})
