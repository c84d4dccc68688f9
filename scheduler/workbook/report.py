"""The validation report: every problem with the input, located by sheet, Excel row and column.

A problem is stored as a code plus parameters; the sentence is made in the planner's language
when it is shown, from the catalogue in `messages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..domain.personal import mask_id_number
from .messages import MESSAGES
from .schema import SHEET_BY_KEY

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str
    sheet: str | None = None  # a sheet key ("teachers"), None for file-level problems
    row: int | None = None  # the row number Excel shows (header is usually row 1)
    column: str | None = None  # a column key ("school_id") or the header as written
    value: str = ""
    params: dict[str, object] = field(default_factory=dict)
    file: str | None = None  # the uploaded file the problem was found in
    #: the header as written in the file when it is not the contract's name (任教学科 for 学科)
    header: str | None = None

    def message(self, lang: str = "zh") -> str:
        template = MESSAGES[self.code][0 if lang == "zh" else 1]
        return template.format(value=self.value, **self.params)

    def sheet_label(self, lang: str = "zh") -> str:
        sheet = SHEET_BY_KEY.get(self.sheet or "")
        return sheet.label(lang) if sheet else (self.sheet or "")

    def column_label(self, lang: str = "zh") -> str:
        sheet = SHEET_BY_KEY.get(self.sheet or "")
        if sheet and self.column:
            known = sheet.known_column(self.column)
            if known:
                return known.label(lang)
        return self.column or ""

    def location(self, lang: str = "zh") -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"“{self.sheet_label(lang)}”表" if lang == "zh" else f"sheet {self.sheet_label(lang)}")
        if self.row is not None:
            parts.append(f"第{self.row}行" if lang == "zh" else f"row {self.row}")
        if self.column:
            label = self.column_label(lang)
            if self.header and self.header != label:
                parts.append(f"“{label}”列（表头“{self.header}”）" if lang == "zh"
                             else f"column {label} (header {self.header!r})")
            else:
                parts.append(f"“{label}”列" if lang == "zh" else f"column {label}")
        return ("，" if lang == "zh" else ", ").join(parts)

    def text(self, lang: str = "zh") -> str:
        where = self.location(lang)
        label = ("错误" if self.severity == "error" else "警告") if lang == "zh" else self.severity
        return f"[{label}] {where}: {self.message(lang)}" if where else f"[{label}] {self.message(lang)}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, severity: Severity, code: str, **kwargs: object) -> None:
        # Personal data never reaches a message: an ID number anywhere in the value or the
        # parameters is masked here, once, whichever check found the problem.
        if kwargs.get("value"):
            kwargs["value"] = mask_id_number(kwargs["value"])
        if kwargs.get("params"):
            kwargs["params"] = {k: mask_id_number(v) if isinstance(v, str) else v
                                for k, v in dict(kwargs["params"]).items()}
        self.problems.append(Problem(severity, code, **kwargs))

    def error(self, code: str, **kwargs: object) -> None:
        self.add("error", code, **kwargs)

    def warning(self, code: str, **kwargs: object) -> None:
        self.add("warning", code, **kwargs)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Problem]:
        """Errors before warnings, then in sheet order and row order, as a planner fixes them."""
        sheet_order = {key: i for i, key in enumerate(SHEET_BY_KEY)}
        return sorted(
            self.problems,
            key=lambda p: (p.severity != "error", sheet_order.get(p.sheet or "", -1), p.row or 0, p.column or ""),
        )

    def to_frame(self, lang: str = "zh") -> pd.DataFrame:
        zh = lang == "zh"
        rows = [
            {
                ("级别" if zh else "severity"): ("错误" if p.severity == "error" else "警告") if zh else p.severity,
                ("工作表" if zh else "sheet"): p.sheet_label(lang),
                ("行" if zh else "row"): p.row,
                ("列" if zh else "column"): p.column_label(lang),
                ("值" if zh else "value"): p.value,
                ("问题" if zh else "message"): p.message(lang),
            }
            for p in self.sorted()
        ]
        frame = pd.DataFrame(rows, columns=["级别", "工作表", "行", "列", "值", "问题"] if zh
                             else ["severity", "sheet", "row", "column", "value", "message"])
        return frame.astype({frame.columns[2]: "Int64"})

    def summary(self, lang: str = "zh") -> str:
        e, w = len(self.errors), len(self.warnings)
        if lang == "zh":
            return f"{e} 个错误，{w} 个警告" if self.problems else "未发现问题"
        return f"{e} error(s), {w} warning(s)" if self.problems else "no problems found"

    def text(self, lang: str = "zh", limit: int | None = None) -> str:
        lines = [p.text(lang) for p in self.sorted()]
        if limit is not None and len(lines) > limit:
            more = len(lines) - limit
            lines = lines[:limit] + [f"……另有 {more} 条" if lang == "zh" else f"... and {more} more"]
        return "\n".join([self.summary(lang), *lines])
