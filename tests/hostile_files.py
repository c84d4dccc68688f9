"""Workbooks written by hand with zipfile, in the shapes that used to take the reader down.

openpyxl cannot write these (a cell at XFD1048576 beside a table, a sheet XML of a gigabyte, a
member whose header lies about its size), so the XML and the zip are put together here.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Iterable, Sequence
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '{sheets}</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets>'
    '</workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
_SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = '</sheetData></worksheet>'


def column_letters(column: int) -> str:
    """1 → A, 16384 → XFD."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref: str, value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], far: dict[str, object] | None = None) -> str:
    """A worksheet with `rows` from A1 and, after them, the cells in `far` (reference → value)."""
    parts = [SHEET_HEAD]
    for number, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{column_letters(c)}{number}", v) for c, v in enumerate(row, start=1)
                        if v not in (None, ""))
        parts.append(f'<row r="{number}">{cells}</row>')
    for ref, value in (far or {}).items():
        row = "".join(ch for ch in ref if ch.isdigit())
        parts.append(f'<row r="{row}">{cell_xml(ref, value)}</row>')
    parts.append(SHEET_TAIL)
    return "".join(parts)


def workbook_parts(sheets: dict[str, str]) -> dict[str, bytes]:
    """The members of an .xlsx holding `sheets` (name → worksheet XML)."""
    names = list(sheets)
    numbered = list(enumerate(names, start=1))
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n, _ in numbered)),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK.format(sheets="".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in numbered)),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(rels="".join(_SHEET_REL.format(n=n) for n, _ in numbered)),
    }
    encoded = {name: text.encode("utf-8") for name, text in parts.items()}
    for n, name in numbered:
        encoded[f"xl/worksheets/sheet{n}.xml"] = sheets[name].encode("utf-8")
    return encoded


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx(sheets: dict[str, str]) -> bytes:
    return zip_bytes(workbook_parts(sheets))


def table_sheets(tables: dict[str, Sequence[Sequence[object]]]) -> dict[str, str]:
    return {name: sheet_xml(rows) for name, rows in tables.items()}


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, deflated bytes, CRC, size) members, headers written exactly as given."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, packed, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), size,
                              len(encoded), 0) + encoded)
        out.write(packed)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), size,
                                  len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                          len(central.getvalue()), start, 0))
    return out.getvalue()


def honest(parts: dict[str, bytes]) -> list[tuple[str, bytes, int, int]]:
    return [(name, _deflate(data), zlib.crc32(data), len(data)) for name, data in parts.items()]


def _padded_sheet(tables: dict[str, Sequence[Sequence[object]]], sheet: str,
                  filler_mb: int) -> tuple[dict[str, bytes], str, bytes, int, int]:
    """The workbook's parts without `sheet`, and that sheet's XML with `filler_mb` MB of spaces, deflated.

    Deflate blocks ended by a full flush share no history, so one packed megabyte of spaces is
    repeated as it is: a gigabyte of XML is built in well under a second and never held unpacked.
    """
    parts = workbook_parts(table_sheets(tables))
    target = f"xl/worksheets/sheet{list(tables).index(sheet) + 1}.xml"
    body = parts.pop(target)
    head, tail = body[: -len(SHEET_TAIL)], SHEET_TAIL.encode()
    filler = b" " * (1 << 20)

    def block(data: bytes, final: bool = False) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    packed = block(head) + block(filler) * filler_mb + block(tail, final=True)
    crc = zlib.crc32(head)
    for _ in range(filler_mb):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(tail, crc)
    return parts, target, packed, crc, len(head) + filler_mb * len(filler) + len(tail)


def bomb_xlsx(tables: dict[str, Sequence[Sequence[object]]], sheet: str, filler_mb: int) -> bytes:
    """A workbook whose sheet `sheet` really unpacks to `filler_mb` MB more, and says so in its headers."""
    parts, target, packed, crc, size = _padded_sheet(tables, sheet, filler_mb)
    return raw_zip(honest(parts) + [(target, packed, crc, size)])


def lying_bomb_xlsx(tables: dict[str, Sequence[Sequence[object]]], sheet: str, filler_mb: int) -> bytes:
    """Like `bomb_xlsx`, but the headers give the size and CRC of the sheet without its padding.

    A reader that trusts the header, or stops at the declared size (Python's zipfile does, and
    then finds the CRC right), sees a small valid member.
    """
    parts, target, packed, _, _ = _padded_sheet(tables, sheet, filler_mb)
    claimed = workbook_parts(table_sheets(tables))[target][: -len(SHEET_TAIL)]
    return raw_zip(honest(parts) + [(target, packed, zlib.crc32(claimed), len(claimed))])


def declared_bomb_xlsx(tables: dict[str, Sequence[Sequence[object]]], declared: int) -> bytes:
    """A small workbook whose first sheet's header claims it unpacks to `declared` bytes."""
    members = honest(workbook_parts(table_sheets(tables)))
    name, packed, crc, _ = members[-1]
    return raw_zip(members[:-1] + [(name, packed, crc, declared)])
