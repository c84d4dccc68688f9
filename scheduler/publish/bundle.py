"""Every published document as one .zip in memory, for a download button (the UI) or a mail."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from ..domain.models import Case
from ..domain.settings import Settings
from ..plan import Plan
from .documents import Published, publish


def published_zip(case: Case, settings: Settings, plan: Plan, published: date,
                  template: Path | None = None) -> tuple[bytes, Published]:
    """The documents `publish` writes, zipped under their own names (接收名单/<学校>.pdf kept in its folder)."""
    with tempfile.TemporaryDirectory(prefix="publish-") as folder:
        root = Path(folder)
        result = publish(case, settings, plan, root, published, template)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in result.files:
                archive.write(path, path.relative_to(root).as_posix())
        names = [path.relative_to(root) for path in result.files]
    return buffer.getvalue(), Published(names, result.placed, result.warnings)
