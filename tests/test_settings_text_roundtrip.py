"""Settings written as text (the 设置 sheet, the rules file, the store's scenarios) read back the same,
in both languages, for list settings whose English labels hold a space ("master teacher")."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.domain.enums import BackboneCount, Locality
from scheduler.domain.settings import settings_from, value_text
from scheduler.store.store import settings_from_text, settings_text
from scheduler.workbook import read_paths

ROOT = Path(__file__).resolve().parents[1]
EVERY_COUNT = tuple(BackboneCount)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("counts", [EVERY_COUNT, (BackboneCount.MASTER, BackboneCount.SENIOR, BackboneCount.FIRST)])
def test_backbone_counts_read_back_from_their_text(lang, counts):
    text = value_text(counts, lang)
    assert settings_from({}, backbone_counts=text).backbone_counts == counts, text


@pytest.mark.parametrize("text", ["骨干 高级", "骨干,高级", "master teacher; senior", "骨干、 高级"])
def test_backbone_counts_as_planners_write_them(text):
    assert settings_from({}, backbone_counts=text).backbone_counts[-1] is BackboneCount.SENIOR


def test_localities_separated_by_spaces_still_read():
    assert settings_from({}, sending_localities="城区 镇区").sending_localities == (Locality.URBAN, Locality.TOWN)


def test_the_pucheng_samples_settings_survive_the_store():
    """The store keeps a scenario's settings as the rules file's text: Pucheng counts 名师 (its English
    label "master teacher"), which once could not be read back and broke the project on reopening."""
    settings = read_paths([ROOT / "sample_data" / "pucheng_county.xlsx"]).settings
    assert BackboneCount.MASTER in settings.backbone_counts
    assert settings_from_text(settings_text(settings)) == settings
