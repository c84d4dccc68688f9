"""Per-sheet CSV files: whatever encoding Excel or WPS saved them in, they read to the same case."""

from __future__ import annotations

import warnings

import pytest

from scheduler.workbook import read_files
from workbook_builder import ENGLISH_SHEETS, csv_bytes, located, minimal, read_sheets, xlsx_bytes

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk"]


def csv_files(encoding: str = "utf-8", english_names: bool = False) -> list[tuple[str, bytes]]:
    return [(f"{ENGLISH_SHEETS[name] if english_names else name}.csv", csv_bytes(rows, encoding))
            for name, rows in minimal().items()]


def test_csv_files_read_to_the_same_case_as_the_workbook():
    from_workbook = read_sheets(minimal()).case
    loaded = read_files(csv_files())
    assert loaded.report.problems == []
    assert loaded.case == from_workbook
    assert loaded.case.teacher("T1").years_at_school == 8  # "8" in a CSV is still a number


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_reads_to_the_same_case(encoding):
    loaded = read_files(csv_files(encoding))
    assert loaded.report.problems == []
    assert loaded.case == read_files(csv_files("utf-8")).case
    assert loaded.case.teacher("T2").name == "王芳"


def test_the_encodings_really_differ():
    """Guards the test above: the Chinese text is encoded differently in each file."""
    assert len({csv_bytes(minimal()["教师"], encoding) for encoding in ENCODINGS}) == 3  # gbk == gb18030 here
    assert csv_bytes(minimal()["教师"], "utf-8-sig").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("english_names", [False, True], ids=["教师.csv", "teachers.csv"])
def test_file_named_after_the_sheet_in_either_language(english_names):
    files = csv_files(english_names=english_names)
    assert ("teachers.csv" if english_names else "教师.csv") in [name for name, _ in files]
    loaded = read_files(files)
    assert loaded.report.problems == []
    assert loaded.case == read_sheets(minimal()).case


def test_csv_files_may_mix_with_a_workbook():
    sheets = minimal()
    demand = sheets.pop("需求")
    loaded = read_files([("roster.xlsx", xlsx_bytes(sheets)), ("需求.csv", csv_bytes(demand, "gb18030"))])
    assert loaded.report.problems == []
    assert loaded.case == read_sheets(minimal()).case


def test_row_numbers_in_a_csv_are_line_numbers():
    rows = minimal()["教师"]
    rows[2][rows[0].index("本校任教年限")] = "七年"
    files = [(name, data) for name, data in csv_files() if name != "教师.csv"] + [("教师.csv", csv_bytes(rows))]
    loaded = read_files(files)
    assert located(loaded) == [("error", "bad_int", "teachers", 3, "years_at_school", "七年")]
    assert loaded.report.problems[0].file == "教师.csv"


def test_binary_content_is_a_csv_binary_error():
    files = [(name, data) for name, data in csv_files() if name != "教师.csv"]
    files.append(("教师.csv", b"PK\x03\x04\x00\x00\x08\x00binary\x00\x00"))
    loaded = read_files(files)
    assert located(loaded) == [("error", "csv_binary", "teachers", None, None, "")]
    assert loaded.report.problems[0].file == "教师.csv"
    assert loaded.case is None


# \xff\xfe starts UTF-16 (Excel's Unicode text), so the second case is a lone surrogate there.
@pytest.mark.parametrize("data", [b"\x80\x80\x80", b"\xff\xfe\x00\xd8", "教师编号".encode("utf-8")[:-1] + b"\xff"])
def test_undecodable_bytes_are_a_csv_encoding_error(data):
    files = [(name, content) for name, content in csv_files() if name != "教师.csv"] + [("教师.csv", data)]
    loaded = read_files(files)
    assert located(loaded) == [("error", "csv_encoding", "teachers", None, None, "")]
    assert "UTF-8" in loaded.report.problems[0].message("zh")


def test_tab_separated_text_is_read():
    text = "\n".join("\t".join(str(v) for v in row) for row in minimal()["教师"]).encode("utf-8")
    files = [(name, data) for name, data in csv_files() if name != "教师.csv"] + [("教师.csv", text)]
    loaded = read_files(files)
    assert loaded.report.problems == []
    assert loaded.case == read_sheets(minimal()).case


def test_csv_named_after_no_sheet_is_a_warning():
    loaded = read_files(csv_files() + [("备注.csv", "随便写写".encode())])
    assert located(loaded) == [("warning", "unknown_file", None, None, None, "备注.csv")]
    assert loaded.case is not None


def test_sheet_given_twice_is_an_error():
    loaded = read_files(csv_files() + [("teachers.csv", csv_bytes(minimal()["教师"]))])
    assert [(p.code, p.file) for p in loaded.report.problems] == [("duplicate_sheet", "teachers.csv")]
    assert loaded.case is None


def test_short_rows_and_blank_lines_are_read_without_warnings():
    """Excel drops trailing empty cells when saving CSV, and files often end in blank lines."""
    def trimmed(row):
        while row and row[-1] == "":
            row = row[:-1]
        return ",".join(str(value) for value in row)

    text = "\r\n".join(trimmed(row) for row in minimal()["教师"]) + "\r\n\r\n\r\n"
    assert len({line.count(",") for line in text.splitlines() if line}) > 1
    files = [(name, data) for name, data in csv_files() if name != "教师.csv"] + [("教师.csv", text.encode())]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas deprecates ragged rows: they must be padded first
        loaded = read_files(files)
    assert loaded.report.problems == []
    assert loaded.case == read_sheets(minimal()).case


def unicode_text(rows: list[list[object]], encoding: str = "utf-16") -> bytes:
    """What Excel's "Save as Unicode text" writes: tab-separated UTF-16 (LE with a BOM)."""
    return "".join("\t".join(str(v) for v in row) + "\r\n" for row in rows).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excels_unicode_text_reads_like_utf8(encoding):
    files = [(f"{name}.txt", unicode_text(rows, encoding)) for name, rows in minimal().items()]
    if encoding == "utf-16":
        assert files[0][1].startswith(b"\xff\xfe")  # the BOM Excel writes
    loaded = read_files(files)
    assert loaded.report.problems == [], loaded.report.text("en")
    assert loaded.case == read_files(csv_files("utf-8")).case
    assert loaded.case.teacher("T2").name == "王芳"


def test_utf16_text_full_of_chinese_with_zero_low_bytes_is_still_text():
    rows = [["教师编号", "姓名"], ["T1", "一一一一一一一一"], ["T2", "丁一"]]  # 一 is U+4E00: 00 4E in UTF-16LE
    text = read_files([("教师.csv", unicode_text(rows, "utf-16-le"))])
    assert not any(p.code in ("csv_binary", "csv_encoding") for p in text.report.problems)
