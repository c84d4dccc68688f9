"""Where the command line may read and write: inputs that are files, outputs that destroy nothing.

An output never is one of the inputs (a roster overwritten by its own plan is lost), and an
existing file is only replaced without --force when it is a previous output of the same kind
(a plan workbook, a JSON summary, a template, a generated workbook, next year's workbook written by
`history`): the planner is re-running
the command. Files are written next to their target and moved over it in one step, so a failed
write leaves the old file as it was and no half-written one.
"""

from __future__ import annotations

import errno
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

from ..rules import Text

#: output kind → (Chinese, English) name, as the refusal names it
KIND_LABELS = {
    "plan": ("方案工作簿", "plan workbook"),
    "summary": ("JSON 汇总", "JSON summary"),
    "template": ("空白模板", "blank template"),
    "generated": ("生成的名册工作簿", "generated roster workbook"),
    "next_year": ("下一年度规划工作簿", "next year's planning workbook"),
    "comparison": ("方案比较工作簿", "plan comparison workbook"),
}

#: the custom document property `generate` marks its workbooks with, so a re-run may replace them
GENERATED_PROPERTY = "scheduler_generated_from"
#: the property `history` marks next year's workbook with (the plan whose placements it appended)
HISTORY_PROPERTY = "scheduler_history_from"

_PLAN_SHEETS = {"求解概要", "overview"}
_SUMMARY_KEYS = {"status", "placements", "objective_levels", "headline"}


def input_problem(path: Path, what: tuple[str, str] = ("文件", "file")) -> Text | None:
    """Why `path` cannot be read as an input, or None when it can."""
    if path.is_dir():
        return Text(f"“{path}”是一个文件夹，不是{what[0]}；请给出文件，如 {path / 'roster.xlsx'}",
                    f"{path} is a folder, not a {what[1]}; give a file, e.g. {path / 'roster.xlsx'}")
    if not path.exists():
        return Text(f"找不到{what[0]}“{path}”", f"no such {what[1]}: {path}")
    if not os.access(path, os.R_OK):
        return Text(f"没有读取“{path}”的权限", f"no permission to read {path}")
    return None


def same_file(a: Path, b: Path) -> bool:
    """The same file, also through a link, a relative path or a differently cased name."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet
        return False


def output_problem(path: Path, kind: str, inputs: list[Path] = (), others: list[tuple[str, Path]] = (),
                   force: bool = False, option: str = "--out") -> Text | None:
    """Why the command must not write `path`, or None when it may.

    Checked before any work, so a long solve is never thrown away at the end.
    """
    if path.is_dir():
        return Text(f"{option} “{path}”是一个文件夹；请给出文件名，如 {path / _example(kind)}",
                    f"{option} {path} is a folder; give a file name, e.g. {path / _example(kind)}")
    for source in inputs:
        if same_file(path, source):
            return Text(f"{option} “{path}”就是输入文件，写出会覆盖它；请换一个文件名",
                        f"{option} {path} is an input file and would be overwritten; choose another name")
    for other_option, other in others:
        if same_file(path, other):
            return Text(f"{option} 与 {other_option} 指向同一个文件“{path}”；请给出两个不同的文件名",
                        f"{option} and {other_option} both name {path}; give two different file names")
    folder = _existing_ancestor(path.parent)
    if not folder.is_dir():
        return Text(f"无法创建文件夹“{path.parent}”：“{folder}”是文件", f"cannot create the folder {path.parent}: "
                    f"{folder} is a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Text(f"没有写入文件夹“{folder}”的权限", f"no permission to write in the folder {folder}")
    try:  # permissions do not tell everything (/proc, a read-only mount, a full disk): try it
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return Text(f"无法在文件夹“{folder}”中写出文件：{os_error_words(error, 'zh')}",
                    f"cannot write a file in the folder {folder}: {os_error_words(error, 'en')}")
    if path.exists() and not force and not is_output_of_kind(path, kind):
        zh, en = KIND_LABELS[kind]
        return Text(f"“{path}”已存在，且不是之前写出的{zh}；如确要覆盖它，请加 --force",
                    f"{path} exists and is not a previous {en}; add --force to overwrite it")
    return None


#: what the system said, in the planner's words (its own text is English on most servers)
_ERRNO_WORDS = {
    errno.ENOENT: ("文件夹不存在或不允许在此创建文件", "the folder does not exist or files cannot be created there"),
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("不允许此操作", "operation not permitted"),
    errno.EROFS: ("磁盘为只读", "the disk is read-only"),
    errno.ENOSPC: ("磁盘已满", "the disk is full"),
    errno.EDQUOT: ("磁盘配额已用完", "the disk quota is used up"),
    errno.EISDIR: ("这是一个文件夹", "it is a folder"),
    errno.EBUSY: ("文件正被其他程序使用（例如在 Excel 中打开）", "the file is in use by another program (open in Excel?)"),
}


def os_error_words(error: OSError, lang: str) -> str:
    words = _ERRNO_WORDS.get(error.errno)
    if words is not None:
        return words[0 if lang == "zh" else 1]
    detail = error.strerror or type(error).__name__
    return f"系统错误（{detail}）" if lang == "zh" else f"system error ({detail})"


def is_output_of_kind(path: Path, kind: str) -> bool:
    """Whether the existing file at `path` is one this planner wrote as `kind` (then a re-run may replace it)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if kind == "summary":
        try:
            parsed = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return False
        return isinstance(parsed, dict) and _SUMMARY_KEYS <= set(parsed)
    sheets = _sheet_names(data)
    if kind == "plan":
        return bool(_PLAN_SHEETS & set(sheets))
    if kind == "comparison":  # export.compare.SHEETS["figures"]
        return bool(sheets) and sheets[0] in ("方案比较", "comparison")
    if kind == "template":
        return bool(sheets) and sheets[0] == "说明"
    if kind == "generated":
        return _has_property(data, GENERATED_PROPERTY)
    if kind == "next_year":
        return _has_property(data, HISTORY_PROPERTY)
    raise ValueError(f"unknown output kind {kind!r}")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write` on a temporary file in the target's folder, then move it over the target.

    The missing folders are created: `--out plans/2026/plan.xlsx` is what a planner means.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        write(temporary)
        # mkstemp makes the file private (0600); the output gets the mode any new file would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _example(kind: str) -> str:
    return "summary.json" if kind == "summary" else "plan.xlsx" if kind == "plan" else "roster.xlsx"


def _existing_ancestor(folder: Path) -> Path:
    folder = folder if str(folder) else Path(".")
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _sheet_names(data: bytes) -> list[str]:
    # Read from the archive's workbook.xml instead of opening the whole workbook: a plan of 100k
    # rows is checked in milliseconds.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("xl/workbook.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return []
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return []
    return [element.get("name", "") for element in root.iter() if element.tag.endswith("}sheet")]


def _has_property(data: bytes, name: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            custom = archive.read("docProps/custom.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return False
    return f'name="{name}"' in custom
