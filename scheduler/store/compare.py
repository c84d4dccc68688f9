"""Stored plan versions as `export.compare` compares them: each labelled by its id and quota."""

from __future__ import annotations

from ..domain.models import Case
from ..domain.settings import setting_info, setting_names
from ..export.compare import Compared, Comparison, Table, compare
from .store import StoredVersion


def compared(stored: StoredVersion) -> Compared:
    """A stored version as the comparison takes it: "#3 12%", its plan, settings, headline and files."""
    settings = stored.settings
    return Compared(f"#{stored.info.id} {settings.quota_rate:.0%}", stored.plan, settings, stored.info.headline,
                    tuple(stored.info.upload_ids))


def compare_versions(case: Case, versions: list[StoredVersion]) -> Comparison:
    """Two or more stored versions side by side; `case` (read from the first one's files) names the people."""
    return compare(case, [compared(v) for v in versions])


def settings_shown(comparison: Comparison, versions: list[StoredVersion], lang: str = "zh") -> Table:
    """The settings that differ as the Rules page shows them: the setting's label and its value per
    version, a share as a percentage ("12%", not "0.12"); no key (that is the rules file's word,
    kept in the comparison workbook)."""
    names = set(setting_names())
    rows = []
    for key, by_lang in comparison.settings:
        label, texts = by_lang[lang]
        if key in names and setting_info(key)["ui"].get("percent"):
            texts = [f"{getattr(v.settings, key) * 100:g}%" for v in versions]
        rows.append([label, *texts])
    return Table(["参数" if lang == "zh" else "setting", *comparison.labels], rows)
