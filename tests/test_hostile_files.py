"""Files that used to abort the interpreter, panic or eat gigabytes: now each gets one precise refusal.

Every shape is written by hand (hostile_files); every test checks that this process is still
here, that its memory stayed modest, and that the planner is told which file and why.
"""

from __future__ import annotations

from pathlib import Path

import resource

import pytest

import hostile_files as h
from scheduler.workbook import isolated_read, limits, read_files, zip_scan
from workbook_builder import minimal

TEACHERS = minimal()["教师"]
OTHER_SHEETS = {name: rows for name, rows in minimal().items() if name != "教师"}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture(autouse=True)
def modest_memory():
    """No hostile file may grow this process by more than 200 MB (the bombs unpack to a gigabyte or two)."""
    before = peak_rss_mb()
    yield
    assert peak_rss_mb() - before < 200


def workbook(teachers_xml: str) -> bytes:
    return h.xlsx({"教师": teachers_xml, **h.table_sheets(OTHER_SHEETS)})


def only_error(loaded, code: str):
    assert [p.code for p in loaded.report.errors] == [code], loaded.report.text("en")
    return loaded.report.errors[0]


def test_a_far_cell_beside_the_table_is_refused_naming_sheet_and_cell():
    loaded = read_files([("roster.xlsx", workbook(h.sheet_xml(TEACHERS, {"XFD1048576": "x"})))])
    problem = only_error(loaded, "sheet_too_large")
    assert (problem.file, problem.sheet) == ("roster.xlsx", "teachers")
    assert problem.text("zh").startswith("[错误] roster.xlsx，“教师”表: 工作表“教师”最远的内容在 XFD 列、第 1048576 行")
    assert f"{limits.MAX_CELLS:,}" in problem.message("zh") and "A1:XFD1048576" in problem.message("en")


def test_a_sheet_whose_only_cell_is_far_out_is_refused():
    problem = only_error(read_files([("roster.xlsx", workbook(h.sheet_xml([], {"XFD1048576": 1})))]),
                         "sheet_too_large")
    assert problem.params["column"] == "XFD" and problem.params["row"] == 1048576


def test_a_far_cell_within_the_limit_is_read_and_a_style_only_far_cell_does_not_count():
    styled = h.sheet_xml(TEACHERS).replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>')
    assert read_files([("roster.xlsx", workbook(styled))]).ok
    near = h.sheet_xml(TEACHERS, {"Z20": "备注"})
    loaded = read_files([("roster.xlsx", workbook(near))])
    assert loaded.ok and len(loaded.case.teachers) == 2


def test_without_the_scan_the_child_process_takes_the_abort_and_the_panic(monkeypatch):
    """The backstop: what the scan misses kills the reading child, never this process."""
    monkeypatch.setattr(zip_scan, "MAX_CELLS", 1 << 62)
    far = read_files([("far.xlsx", workbook(h.sheet_xml(TEACHERS, {"XFD1048576": "x"})))])
    problem = only_error(far, "read_memory")
    assert problem.file == "far.xlsx" and limits.size_text(limits.READ_MEMORY_BYTES) in problem.message("zh")
    lonely = read_files([("lonely.xlsx", workbook(h.sheet_xml([], {"XFD1048576": "x"})))])
    problem = only_error(lonely, "read_crashed")
    assert (problem.file, problem.sheet) == ("lonely.xlsx", "teachers")
    assert "chunk size" in problem.message("en")


def test_a_shared_string_table_claiming_billions_of_strings_stops_at_the_memory_cap():
    parts = h.workbook_parts({"教师": h.sheet_xml(TEACHERS), **h.table_sheets(OTHER_SHEETS)})
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>')
    problem = only_error(read_files([("sst.xlsx", h.zip_bytes(parts))]), "read_memory")
    assert problem.file == "sst.xlsx"


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_unpacks():
    bomb = h.bomb_xlsx({"教师": TEACHERS, **OTHER_SHEETS}, "教师", filler_mb=2048)
    assert len(bomb) < 3_000_000
    problem = only_error(read_files([("bomb.xlsx", bomb)]), "zip_too_large")
    assert problem.file == "bomb.xlsx" and problem.params["member"] == "xl/worksheets/sheet1.xml"
    assert "1 GB" in problem.message("zh")


def test_a_bomb_under_the_size_limit_is_refused_by_its_ratio_before_anything_unpacks():
    """900 MB from 1 MB would pass the size limit and hold the reader for minutes."""
    bomb = h.bomb_xlsx({"教师": TEACHERS, **OTHER_SHEETS}, "教师", filler_mb=200)
    problem = only_error(read_files([("ratio.xlsx", bomb)]), "zip_ratio")
    assert problem.file == "ratio.xlsx" and problem.params["member"] == "xl/worksheets/sheet1.xml"
    assert "100 比 1" in problem.message("zh") and "100 to 1" in problem.message("en")


def test_a_real_roster_passes_the_ratio_limit():
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "datong_city.xlsx"
    assert read_files([(sample.name, sample.read_bytes())]).ok


def test_a_header_that_hides_a_gigabyte_behind_a_small_size_is_caught_at_the_first_extra_byte():
    liar = h.lying_bomb_xlsx({"教师": TEACHERS, **OTHER_SHEETS}, "教师", filler_mb=1536)
    problem = only_error(read_files([("liar.xlsx", liar)]), "zip_size_lie")
    assert problem.file == "liar.xlsx" and problem.params["member"] == "xl/worksheets/sheet1.xml"


def test_a_header_that_declares_more_than_the_limit_is_refused():
    problem = only_error(read_files([("big.xlsx", h.declared_bomb_xlsx({"教师": TEACHERS}, 3 << 30))]),
                         "zip_too_large")
    assert problem.file == "big.xlsx"


def test_a_truncated_or_damaged_zip_is_called_damaged():
    good = workbook(h.sheet_xml(TEACHERS))
    assert read_files([("good.xlsx", good)]).ok
    assert only_error(read_files([("cut.xlsx", good[: len(good) // 2])]), "file_corrupt_zip").file == "cut.xlsx"
    members = h.honest(h.workbook_parts({"教师": h.sheet_xml(TEACHERS), **h.table_sheets(OTHER_SHEETS)}))
    name, packed, crc, size = members[4]
    members[4] = (name, packed[:10] + bytes(b ^ 0x5A for b in packed[10:40]) + packed[40:], crc, size)
    problem = only_error(read_files([("flipped.xlsx", h.raw_zip(members))]), "file_corrupt_member")
    assert problem.params["member"] == name


def test_too_many_members_is_refused():
    parts = h.workbook_parts({"教师": h.sheet_xml(TEACHERS)})
    parts.update({f"xl/media/{n}.txt": b"" for n in range(limits.MAX_MEMBERS)})
    assert only_error(read_files([("many.xlsx", h.zip_bytes(parts))]), "zip_members").params["count"] > limits.MAX_MEMBERS


def test_a_read_that_runs_past_its_time_is_stopped(monkeypatch):
    monkeypatch.setattr(limits, "READ_SECONDS", 0)
    # Linux takes a CPU limit of 0 as 1 s, which a small file's read may never reach on a quiet
    # machine: the wall-clock watchdog at 0 s stops the read for certain.
    monkeypatch.setattr(isolated_read, "_WALL_MARGIN_S", 0)
    problem = only_error(read_files([("slow.xlsx", workbook(h.sheet_xml(TEACHERS)))]), "read_timeout")
    assert problem.file == "slow.xlsx"


def test_an_encrypted_workbook_is_called_password_protected():
    # An encrypted .xlsx is an OLE compound file; its directory names the EncryptionInfo stream.
    ole = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le")
           + bytes(100) + "EncryptedPackage".encode("utf-16-le") + bytes(4000))
    problem = only_error(read_files([("locked.xlsx", ole)]), "file_encrypted")
    assert problem.file == "locked.xlsx" and "密码" in problem.message("zh") and "password" in problem.message("en")


def test_a_web_page_saved_as_xls_is_named_as_such():
    page = "<html><body><table><tr><td>教师编号</td></tr></table></body></html>".encode()
    problem = only_error(read_files([("roster.xls", page)]), "file_not_workbook")
    assert "网页" in problem.message("zh") and "web page" in problem.message("en")
