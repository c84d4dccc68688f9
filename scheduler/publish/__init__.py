"""The published documents of a plan (issue #15, item 1): the 公示名单, the 接收名单, the 派遣通知书, the
county summary for indicator 2.11 and the national teacher-system record, as PDF, .xlsx and .docx.

One job per module: `roster` (what every document says), `pdf_list` / `list_workbook` (a list as a
PDF / as a workbook that prints the same), `template_fields` / `notices` / `default_template` (the
notices from a .docx template), `indicator`, `national_record`, `fonts` (the embedded CJK font),
`documents` (all of them into one folder), `bundle` (all of them as one .zip in memory). The command
line calls `publish`, the UI `published_zip`.
"""

from .bundle import published_zip
from .change_notice import change_notice
from .documents import Published, planned_files, publish
from .fonts import FontMissing
from .notices import load_template
from .roster import rows_of
from .template_fields import TemplateProblem

__all__ = ["FontMissing", "Published", "change_notice", "TemplateProblem", "load_template", "planned_files", "publish", "published_zip",
           "rows_of"]
