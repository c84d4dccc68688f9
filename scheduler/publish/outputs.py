"""Which of publish's files may be written: never over an input, and an existing file only when an
earlier `publish` wrote it (its marker: the PDF's /Creator, the workbook's custom property, the
.docx's comments), else with --force."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..export.safe_paths import same_file
from ..rules import Text
from .list_workbook import PUBLISHED_PROPERTY
from .notices import DOCX_MARKER
from .pdf_pages import is_published_pdf


def _zip_part(path: Path, part: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(part).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""


def is_published(path: Path) -> bool:
    """Whether `path` is a document an earlier `publish` run wrote."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return is_published_pdf(path)
    if suffix == ".xlsx":
        return f'name="{PUBLISHED_PROPERTY}"' in _zip_part(path, "docProps/custom.xml")
    if suffix == ".docx":
        return DOCX_MARKER in _zip_part(path, "docProps/core.xml")
    return False


def output_problems(folder: Path, planned: list[Path], inputs: list[Path], force: bool) -> list[Text]:
    """Why `publish` must not write into `folder` (empty when it may)."""
    if folder.exists() and not folder.is_dir():
        return [Text(f"--out “{folder}”是一个文件；请给出一个文件夹，名单和通知书都写在其中",
                     f"--out {folder} is a file; give a folder, every document is written into it")]
    problems = []
    for path in planned:
        for source in inputs:
            if same_file(path, source):
                problems.append(Text(f"“{path}”是输入文件，写出会覆盖它；请换一个 --out 文件夹",
                                     f"{path} is an input file and would be overwritten; choose another --out folder"))
        if path.is_dir():
            problems.append(Text(f"“{path}”是一个文件夹，无法写出同名文件", f"{path} is a folder; the file cannot be written"))
        elif path.exists() and not force and not is_published(path) \
                and not any(same_file(path, source) for source in inputs):
            problems.append(Text(f"“{path}”已存在，且不是之前发布写出的文件；如确要覆盖它，请加 --force",
                                 f"{path} exists and was not written by an earlier publish; add --force to overwrite it"))
    return problems
