"""Stored plan versions as `export.compare` compares them: each labelled by its id and quota."""

from __future__ import annotations

from ..domain.models import Case
from ..domain.settings import setting_info, setting_names, value_text
from ..export.compare import Compared, Comparison, Table, compare
from ..rules import RULES
from ..export.sheets import MODE_LABEL
from .store import StoredVersion


def compared(stored: StoredVersion, label: str | None = None) -> Compared:
    """A stored version as the comparison takes it: `label` (else "#3 12%"), its plan, settings, headline and files."""
    settings = stored.settings
    return Compared(label or f"#{stored.info.id} {settings.quota_rate:.0%}", stored.plan, settings,
                    stored.info.headline, tuple(stored.info.upload_ids))


def compare_versions(case: Case, versions: list[StoredVersion], labels: list[str] | None = None) -> Comparison:
    """Two or more stored versions side by side; `case` (read from the first one's files) names the
    people; `labels` name the columns (else "#3 12%")."""
    return compare(case, [compared(v, label) for v, label in zip(versions, labels or [None] * len(versions))])


def _differing(versions: list[StoredVersion], lang: str) -> list[tuple[str, list[str]]]:
    """(label, value per version) of the settings and rule modes that differ, as the Rules page words them."""
    found = []
    for name in setting_names():
        values = [getattr(v.settings, name) for v in versions]
        if len(set(map(repr, values))) > 1:
            info = setting_info(name)
            texts = ([f"{value * 100:g}%" for value in values] if info["ui"].get("percent")
                     else [value_text(value, lang) for value in values])
            found.append((info["zh_key"] if lang == "zh" else name.replace("_", " "), texts))
    for rule in RULES:
        modes = [rule.mode(v.settings) for v in versions]
        if len(set(modes)) > 1:
            found.append((rule.name(lang), [MODE_LABEL[m][lang != "zh"] for m in modes]))
    return found


def version_labels(versions: list[StoredVersion], lang: str = "zh", published_id: int | None = None,
                   shown: int = 2) -> list[str]:
    """Each version's column head as a planner knows it: its number, 已公示 for the published one, and
    the first `shown` settings that set it apart — "版本#3（已公示，交流比例10%）", "版本#4（交流比例12%）"."""
    differing = _differing(versions, lang)
    labels = []
    for position, version in enumerate(versions):
        parts = ([("已公示" if lang == "zh" else "published")] if version.info.id == published_id else [])
        parts += [f"{label}{value}" if lang == "zh" else f"{label} {value}"
                  for label, values in differing[:shown] for value in [values[position]]]
        if len(differing) > shown:
            parts.append(f"等{len(differing)}项不同" if lang == "zh" else f"+{len(differing) - shown} more")
        head = f"版本#{version.info.id}" if lang == "zh" else f"version #{version.info.id}"
        labels.append(head + ((f"（{'，'.join(parts)}）" if lang == "zh" else f" ({', '.join(parts)})") if parts else ""))
    return labels


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
