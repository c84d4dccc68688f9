"""What an uploaded workbook file really is, decided from its bytes before any reader sees it.

A password-protected .xlsx is not a zip but an OLE compound file holding an EncryptionInfo
stream, and calamine only says "Cannot detect file format"; a registry's "xls" export is often
a web page. Naming the real cause tells the planner what to do.
"""

from __future__ import annotations

import io
import zipfile
from typing import Callable

from .schema import sheet_for_name
from .zip_scan import Refusal, scan_zip

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Stream names of an encrypted OOXML package (MS-OFFCRYPTO), as stored in the OLE directory.
_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def refuse_unreadable(data: bytes, scanned: Callable[[str], bool] | None = None) -> list[Refusal]:
    """Why `data` must not be handed to the reader (empty when it may be); `scanned(sheet name)`
    picks the sheets whose extent is checked (default: the template's)."""
    if data[:8] == _OLE_MAGIC:
        if any(name in data for name in _ENCRYPTED_STREAMS):
            return [Refusal("file_encrypted")]
        return []  # an .xls workbook: only the child's memory cap guards it
    if data[:2] == b"PK" or zipfile.is_zipfile(io.BytesIO(data)):
        return scan_zip(data, scanned or (lambda name: sheet_for_name(name) is not None))
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table")) or b"<html" in head:
        return [Refusal("file_not_workbook", {"kind_zh": "网页（HTML）", "kind_en": "a web page (HTML)"})]
    if head.startswith(b"<?xml"):
        return [Refusal("file_not_workbook", {"kind_zh": "XML 文件", "kind_en": "an XML file"})]
    if not data:
        return [Refusal("file_not_workbook", {"kind_zh": "空文件", "kind_en": "an empty file"})]
    return []
