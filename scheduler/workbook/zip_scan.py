"""Limits checked on a zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) before any reader unpacks it.

The reader allocates a sheet's whole range, from A1 to its farthest filled cell, at once: one
stray cell at XFD1048576 asks for hundreds of gigabytes and aborts the interpreter, which no
`except` can catch. So the central directory is checked first (member count, declared sizes),
then every member is unpacked as a stream, counting the bytes that really come out (a header
that lies about its size is caught at its first extra byte), and each worksheet of the
template's sheets is scanned for the extent of its filled cells. Shapes this scan cannot see
(.xls, .xlsb cell ranges, an .ods repeat count) are left to the memory cap of the child
process that reads (isolated_read).
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable, Iterator
from xml.etree import ElementTree

from .limits import MAX_CELLS, MAX_MEMBERS, MAX_RATIO, MAX_UNPACKED_BYTES, RATIO_FROM_BYTES, size_text

_CHUNK = 4 << 20
#: A cell tag is far shorter; chunks overlap by this much so no tag is cut in two unseen.
_OVERLAP = 1024
#: workbook.xml and its relationships are parsed whole; a real one is a few kilobytes.
_MAX_INDEX_BYTES = 16 << 20

# First a quick bound on the range: the highest row tag, and any column of two or three letters
# (a cell of one letter is at most column Z). Only a sheet whose bound passes the limit is scanned
# cell by cell, counting filled cells only: a self-closed <c .../> carries a style and the reader
# skips it. Both patterns accept a namespace prefix (<x:c r=...>). Excel and every writer checked
# put r first; a file that does not is left to the child's memory cap.
_ROW_NUMBER = re.compile(rb'row r="([0-9]{1,7})"')
_WIDE_COLUMN = re.compile(rb'c r="([A-Z]{2,3})[0-9]')
_FILLED_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>')
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class Refusal:
    """Why a file is not read: a message code and its parameters; `sheet_name` when it is one sheet."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    sheet_name: str | None = None


class _Refused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.code)
        self.refusal = refusal


def scan_zip(data: bytes, wanted: Callable[[str], bool]) -> list[Refusal]:
    """Refusals for a zip workbook (empty when it may be read); `wanted(sheet name)` picks sheets to scan."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error):
        return [Refusal("file_corrupt_zip")]
    try:
        _check_directory(members)
        sheets = _sheet_members(archive, data, members)
        refusals = []
        for info in members:
            sheet_name = sheets.get(info.filename)
            if sheet_name is not None and wanted(sheet_name):
                refusal = _check_extent(sheet_name, lambda info=info: _unpack(data, info))
                if refusal:
                    refusals.append(refusal)
            else:
                for _ in _unpack(data, info):
                    pass
        return refusals
    except _Refused as refused:
        return [refused.refusal]


def _check_directory(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise _Refused(Refusal("zip_members", {"count": len(members), "limit": MAX_MEMBERS}))
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > MAX_UNPACKED_BYTES or total > MAX_UNPACKED_BYTES:
            raise _Refused(Refusal("zip_too_large", {"member": info.filename, "limit": size_text(MAX_UNPACKED_BYTES)}))
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Refused(Refusal("zip_ratio", {"member": info.filename, "size": size_text(info.file_size),
                                                 "packed": size_text(info.compress_size), "ratio": MAX_RATIO}))
        if info.flag_bits & 0x1:
            raise _Refused(Refusal("file_encrypted"))


def _unpack(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes as they really unpack, checked against its header as they come.

    Python's zipfile stops at the declared size and so never sees what a lying header hides
    behind it; the readers do not stop. So the raw deflate stream is unpacked here.
    """
    start = info.header_offset
    header = data[start:start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _Refused(Refusal("file_corrupt_member", {"member": info.filename}))
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin:begin + info.compress_size]
    if len(packed) < info.compress_size:
        raise _Refused(Refusal("file_corrupt_member", {"member": info.filename}))
    if info.compress_type == zipfile.ZIP_STORED:
        chunks: Iterator[bytes] = (bytes(packed[i:i + _CHUNK]) for i in range(0, len(packed), _CHUNK))
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        chunks = _inflate(inflater, packed, info)
    else:
        raise _Refused(Refusal("file_corrupt_member", {"member": info.filename}))
    size, crc = 0, 0
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise _Refused(Refusal("zip_size_lie", {"member": info.filename, "declared": size_text(info.file_size)}))
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if size != info.file_size or crc != info.CRC or (inflater is not None and not inflater.eof):
        raise _Refused(Refusal("file_corrupt_member", {"member": info.filename}))


def _inflate(inflater: "zlib._Decompress", packed: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    # max_length bounds every step, so a bomb never unpacks more than one chunk ahead of the count.
    try:
        for offset in range(0, len(packed), _CHUNK):
            pending = bytes(packed[offset:offset + _CHUNK])
            while pending and not inflater.eof:
                out = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
            if inflater.eof:
                break
        while not inflater.eof:
            out = inflater.decompress(b"", _CHUNK)
            if not out:
                break
            yield out
    except zlib.error:
        raise _Refused(Refusal("file_corrupt_member", {"member": info.filename})) from None


def _sheet_members(archive: zipfile.ZipFile, data: bytes, members: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet member path → sheet name, from xl/workbook.xml and its relationships (.xlsx, .xlsm)."""
    by_name = {info.filename: info for info in members}
    if "xl/workbook.xml" not in by_name or "xl/_rels/workbook.xml.rels" not in by_name:
        return {}
    workbook = _parse_small(data, by_name["xl/workbook.xml"])
    rels = _parse_small(data, by_name["xl/_rels/workbook.xml.rels"])
    if workbook is None or rels is None:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")}
    found = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        found[path] = sheet.get("name", "")
    return found


def _parse_small(data: bytes, info: zipfile.ZipInfo) -> ElementTree.Element | None:
    if info.file_size > _MAX_INDEX_BYTES:
        raise _Refused(Refusal("zip_too_large", {"member": info.filename, "limit": size_text(_MAX_INDEX_BYTES)}))
    try:
        return ElementTree.fromstring(b"".join(_unpack(data, info)))
    except ElementTree.ParseError:
        return None  # the reader will name what is wrong with it


def _check_extent(sheet_name: str, member: Callable[[], Iterator[bytes]]) -> Refusal | None:
    """A refusal when the sheet's range, A1 to its farthest filled cell, holds more than MAX_CELLS."""
    width, height = _quick_bound(member())
    if width * height <= MAX_CELLS:
        return None
    letters, height = _filled_extent(member())
    width = _column_number(letters) if letters else 0
    if width * height <= MAX_CELLS:
        return None
    return Refusal("sheet_too_large", {"sheet_name": sheet_name, "column": letters, "row": height,
                                       "cells": width * height, "limit": MAX_CELLS}, sheet_name)


def _quick_bound(chunks: Iterator[bytes]) -> tuple[int, int]:
    """At least the sheet's width and height, in whatever order the rows come."""
    width, height, tail = 26, 0, b""
    for chunk in chunks:
        text = tail + chunk
        wide = set(_WIDE_COLUMN.findall(text))
        if wide:
            width = max(width, *(_column_number(letters.decode()) for letters in wide))
        rows = _ROW_NUMBER.findall(text)
        if rows:
            height = max(height, max(map(int, rows)))
        tail = text[-_OVERLAP:]
    return width, height


def _filled_extent(chunks: Iterator[bytes]) -> tuple[str, int]:
    """The farthest column (letters) and row holding a filled cell, whatever the order of the rows."""
    columns: set[bytes] = set()
    height, tail = 0, b""
    for chunk in chunks:
        text = tail + chunk
        cells = _FILLED_CELL.findall(text)
        if cells:
            columns.update(column for column, _ in cells)
            height = max(height, max(int(row) for _, row in cells))
        tail = text[-_OVERLAP:]
    letters = max(columns, key=lambda c: (len(c), c)).decode() if columns else ""
    return letters, height


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
