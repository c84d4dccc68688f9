"""Whatever a planner uploads, the reader answers with a report it can show, never with a crash.

Property tests: garbage cells, missing sheets, empty and random files, text in the wrong encoding,
cells far out in a sheet, zip headers that lie and members that are damaged.
Each property also checks that every problem renders in Chinese and English and points at a
real place, and that reading from disk leaves the planner's file exactly as it was.
"""

from __future__ import annotations

import copy
import io
import os
import resource
import stat
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_files as h
from scheduler.workbook import Loaded, Report, limits, read_files, read_paths
from scheduler.workbook.schema import SHEET_BY_KEY, SHEETS
from registry_builder import REGISTRY, id_number
from registry_builder import xls_bytes as registry_xls
from registry_builder import xlsx_bytes as registry_xlsx
from workbook_builder import ENGLISH_SHEETS, csv_bytes, minimal, xlsx_bytes

# FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_reader.py searches harder; the default keeps each test near a second.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text openpyxl can store: no surrogates and no control characters (XML 1.0 forbids most of them).
cell_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
cell_values = st.one_of(
    st.none(),
    cell_text,
    st.sampled_from(["", " ", "2026秋", "2027-spring", "音樂", "S1", "T1", "是", "-1", "1e308", "#N/A", "=1/0"]),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31)),
)
CELLS = [(sheet, row, column) for sheet, rows in minimal().items()
         for row in range(len(rows)) for column in range(len(rows[0]))]


def assert_sound(loaded: Loaded, sheet_rows: dict[str, int] | None = None) -> None:
    """A report a planner can read: every message renders, every location exists, a case iff no errors."""
    assert isinstance(loaded, Loaded)
    assert isinstance(loaded.report, Report)
    for problem in loaded.report.problems:
        for lang in ("zh", "en"):
            assert problem.message(lang) and problem.text(lang)
        assert problem.severity in ("error", "warning")
        assert problem.sheet is None or problem.sheet in SHEET_BY_KEY
        if problem.row is not None:
            assert problem.row >= 1
            if sheet_rows is not None and problem.sheet in sheet_rows:
                assert problem.row <= sheet_rows[problem.sheet]
    assert (loaded.case is None) == (not loaded.report.ok)
    loaded.report.to_frame("zh")
    loaded.report.text("en", limit=5)


def row_counts(sheets) -> dict[str, int]:
    return {next(s.key for s in SHEETS if s.zh == name or s.key == name): len(rows) for name, rows in sheets.items()}


@FAST
@given(edits=st.lists(st.tuples(st.sampled_from(CELLS), cell_values), min_size=1, max_size=6))
def test_garbage_in_any_cell(edits):
    sheets = minimal()
    for (sheet, row, column), value in edits:
        sheets[sheet][row][column] = value
    assert_sound(read_files([("roster.xlsx", xlsx_bytes(sheets))]), row_counts(sheets))


@FAST
@given(edits=st.lists(st.tuples(st.sampled_from(CELLS), cell_text), min_size=1, max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_garbage_in_any_cell_of_csv_files(edits, encoding):
    sheets = minimal()
    for (sheet, row, column), value in edits:
        sheets[sheet][row][column] = value
    files = []
    for name, rows in sheets.items():
        text = csv_bytes(rows, "utf-8").decode("utf-8")
        files.append((f"{name}.csv", text.encode(encoding, errors="replace")))
    assert_sound(read_files(files))


@FAST
@given(removed=st.sets(st.sampled_from(sorted(minimal()))), english=st.booleans())
def test_any_sheets_removed(removed, english):
    sheets = {name: rows for name, rows in minimal().items() if name not in removed}
    if english:
        sheets = {ENGLISH_SHEETS[name]: rows for name, rows in sheets.items()}
    loaded = read_files([("roster.xlsx", xlsx_bytes(sheets) if sheets else xlsx_bytes({"说明": [["空"]]}))])
    assert_sound(loaded)
    missing = {p.sheet for p in loaded.report.problems if p.code == "missing_sheet"}
    required_removed = {SHEETS_BY_ZH[name].key for name in removed if SHEETS_BY_ZH[name].required}
    assert missing == required_removed
    assert (loaded.case is None) == bool(required_removed)


SHEETS_BY_ZH = {sheet.zh: sheet for sheet in SHEETS}


@pytest.mark.parametrize("name", ["roster.xlsx", "roster.xls", "roster.xlsm", "roster.ods", "教师.csv",
                                  "teachers.txt", "学校.CSV", "notes.docx", "no_suffix"])
def test_empty_file(name):
    loaded = read_files([(name, b"")])
    assert_sound(loaded)
    assert loaded.case is None


def test_empty_csv_for_a_required_sheet_says_it_is_empty():
    files = [(f"{name}.csv", csv_bytes(rows)) for name, rows in minimal().items() if name != "教师"]
    loaded = read_files(files + [("教师.csv", b"")])
    assert [(p.code, p.sheet) for p in loaded.report.problems] == [("empty_sheet", "teachers")]


@FAST
@given(data=st.binary(max_size=4096), name=st.sampled_from(["roster.xlsx", "roster.xls", "roster.ods",
                                                           "教师.csv", "demand.txt"]))
def test_random_bytes(data, name):
    assert_sound(read_files([(name, data)]))


VALID_XLSX = xlsx_bytes(minimal())


@FAST
@given(flips=st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.integers(min_value=1, max_value=len(VALID_XLSX)))
def test_damaged_workbook(flips, cut):
    data = bytearray(VALID_XLSX)
    for position, byte in flips:
        data[position] = byte
    assert_sound(read_files([("roster.xlsx", bytes(data[:cut]))]))


def _rewrite_member(source: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            new.writestr(item, content if item.filename == member else old.read(item.filename))
    return out.getvalue()


@FAST
@given(junk=st.binary(max_size=512), member=st.sampled_from(
    ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "[Content_Types].xml"]))
def test_workbook_with_a_garbage_part(junk, member):
    """A well-formed zip whose XML is garbage gets past the zip layer into calamine's parsers."""
    names = zipfile.ZipFile(io.BytesIO(VALID_XLSX)).namelist()
    if member not in names:
        member = names[-1]
    assert_sound(read_files([("roster.xlsx", _rewrite_member(VALID_XLSX, member, junk))]))


csv_cells = st.text(max_size=12)
csv_rows = st.lists(st.lists(csv_cells, min_size=1, max_size=6), max_size=6)
HEADER = "教师编号,姓名,学校编号,学科,本校任教年限\r\n"


@FAST
@given(rows=csv_rows, separators=st.sampled_from([",", "\t", "，", ";"]), header=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "latin-1", "big5"]))
def test_random_text_in_random_encodings(rows, separators, header, encoding):
    text = (HEADER if header else "") + "\r\n".join(separators.join(row) for row in rows)
    data = text.encode(encoding, errors="replace")
    others = [(f"{name}.csv", csv_bytes(rows)) for name, rows in minimal().items() if name != "教师"]
    assert_sound(read_files(others + [("教师.csv", data)]))


@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.just(VALID_XLSX), st.binary(max_size=1024), st.text(max_size=200).map(str.encode)),
       name=st.sampled_from(["roster.xlsx", "教师.csv", "schools.txt", "roster.ods"]))
def test_reading_from_disk_leaves_the_file_untouched(tmp_path_factory, data, name):
    folder = tmp_path_factory.mktemp("upload")
    path = folder / name
    path.write_bytes(data)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)  # read-only, as a file on a shared drive may be
    before = path.stat()

    assert_sound(read_paths([path]))

    after = path.stat()
    assert path.read_bytes() == data
    assert (after.st_mtime_ns, after.st_size, after.st_mode) == (before.st_mtime_ns, before.st_size, before.st_mode)
    assert sorted(p.name for p in folder.iterdir()) == [name]  # no lock or temp file left behind


# --- hostile shapes (hostile_files): far cells, lying and damaged zips ---

HOSTILE_TABLES = {name: rows for name, rows in minimal().items()}
near_cell = st.tuples(st.integers(1, 60), st.integers(1, 300))
# Beyond the cell limit by column, by row or both; the scan must refuse these before the reader sees them.
far_cell = st.tuples(st.integers(1, 16384), st.integers(1, 1048576)).filter(lambda c: c[0] * c[1] > limits.MAX_CELLS)


@FAST
@given(cells=st.lists(st.tuples(st.one_of(near_cell, far_cell), cell_values.filter(lambda v: v not in (None, ""))),
                      min_size=1, max_size=3),
       sheet=st.sampled_from(sorted(HOSTILE_TABLES)), alone=st.booleans())
def test_cells_anywhere_in_a_sheet(cells, sheet, alone):
    far = {f"{h.column_letters(column)}{row}": value if isinstance(value, (int, float, str)) else str(value)
           for (column, row), value in cells}
    sheets = h.table_sheets(HOSTILE_TABLES)
    sheets[sheet] = h.sheet_xml([] if alone else HOSTILE_TABLES[sheet], far)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    loaded = read_files([("roster.xlsx", h.xlsx(sheets))])
    assert_sound(loaded)
    table = [] if alone else HOSTILE_TABLES[sheet]
    width = max([len(table[0]) if table else 0, *(column for (column, _), _ in cells)])
    height = max([len(table), *(row for (_, row), _ in cells)])
    too_big = width * height > limits.MAX_CELLS  # the range runs from A1 to the farthest cell
    refused = [p for p in loaded.report.errors if p.code == "sheet_too_large"]
    assert bool(refused) == too_big
    assert all(p.sheet == SHEETS_BY_ZH[sheet].key and p.file == "roster.xlsx" for p in refused)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024


HOSTILE_XLSX = h.xlsx(h.table_sheets(HOSTILE_TABLES))


@FAST
@given(member=st.integers(0, 7), declared=st.one_of(st.integers(0, 4000), st.integers(1 << 30, (1 << 32) - 1)),
       crc=st.booleans(), flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=3))
def test_zip_headers_that_lie_or_members_that_are_damaged(member, declared, crc, flips):
    members = h.honest(h.workbook_parts(h.table_sheets(HOSTILE_TABLES)))
    name, packed, real_crc, size = members[member]
    packed = bytearray(packed)
    for position, byte in flips:
        packed[position % len(packed)] = byte
    members[member] = (name, bytes(packed), real_crc ^ 1 if crc else real_crc, declared)
    loaded = read_files([("roster.xlsx", h.raw_zip(members))])
    assert_sound(loaded)
    if declared != size or crc:
        assert not loaded.ok


# --- registry rosters (WORKBOOK.md "Rosters as the registry exports them") ----------------------

REGISTRY_CELLS = [(sheet, row, column) for sheet, rows in REGISTRY.items()
                  for row in range(len(rows)) for column in range(len(rows[row]))]
REGISTRY_SHEETS = {"花名册": "teachers", "学校信息": "schools", "结对": "links", "岗位需求": "demand"}
date_like = st.one_of(
    st.from_regex(r"(19|20)\d\d[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?", fullmatch=True),
    st.from_regex(r"(19|20)\d\d(0\d|1[0-2])(\d\d)?", fullmatch=True),
    st.floats(min_value=1900, max_value=2100), st.integers(min_value=0, max_value=99_999_999),
)
id_like = st.one_of(st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True),
                    st.builds(id_number, st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
                              st.integers(0, 999)),
                    st.from_regex(r"[0-9]{14,20}", fullmatch=True))


@FAST
@given(edits=st.lists(st.tuples(st.sampled_from(REGISTRY_CELLS), st.one_of(cell_values, date_like, id_like)),
                      min_size=1, max_size=6),
       as_xls=st.booleans())
def test_garbage_in_any_cell_of_a_registry_roster(edits, as_xls):
    """Title rows, aliases, IDs, 进本校年月, school names: a report, never a crash, and no ID in full."""
    sheets = copy.deepcopy(REGISTRY)
    for (sheet, row, column), value in edits:
        sheets[sheet][row][column] = value
    if as_xls:
        pytest.importorskip("xlwt")
        loaded = read_files([("registry.xls", registry_xls(sheets))])
    else:
        loaded = read_files([("registry.xlsx", registry_xlsx(sheets))])
    assert_sound(loaded, {REGISTRY_SHEETS[name]: len(rows) for name, rows in sheets.items()})
    shown = loaded.report.text("zh") + loaded.report.text("en")
    for rows in sheets.values():
        for row in rows:
            for value in row:
                text = str(value).strip() if value is not None else ""
                if len(text) == 18 and text[:17].isdigit():
                    assert text not in shown and text.upper() not in shown


@FAST
@given(written=date_like, column=st.sampled_from(["进本校年月", "参加工作年月", "出生年月"]))
def test_any_date_text_in_the_new_date_columns(written, column):
    sheets = copy.deepcopy(REGISTRY)
    header = sheets["花名册"][2]
    if column not in header:
        header.append(column)
        for row in sheets["花名册"][3:]:
            if len(row) > 1:
                row.append("")
    sheets["花名册"][3][header.index(column)] = written
    loaded = read_files([("registry.xlsx", registry_xlsx(sheets))])
    assert_sound(loaded)
    codes = {p.code for p in loaded.report.errors}
    assert codes <= {"bad_date", "ambiguous_month", "date_year_only", "joined_after_horizon", "birth_date_range",
                     "out_of_range"}, loaded.report.text("en")
