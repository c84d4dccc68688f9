"""Stored plan versions as `export.compare` compares them: each labelled by its id and quota."""

from __future__ import annotations

from ..domain.models import Case
from ..export.compare import Compared, Comparison, compare
from .store import StoredVersion


def compared(stored: StoredVersion) -> Compared:
    """A stored version as the comparison takes it: "#3 12%", its plan, settings, headline and files."""
    settings = stored.settings
    return Compared(f"#{stored.info.id} {settings.quota_rate:.0%}", stored.plan, settings, stored.info.headline,
                    tuple(stored.info.upload_ids))


def compare_versions(case: Case, versions: list[StoredVersion]) -> Comparison:
    """Two or more stored versions side by side; `case` (read from the first one's files) names the people."""
    return compare(case, [compared(v) for v in versions])
