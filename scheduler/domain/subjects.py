"""Subject names: one canonical (simplified Chinese) name per subject, whatever the roster wrote.

Rosters mix simplified, traditional and English names (音乐 / 音樂 / music). Everything is
compared after `normalise_subject`, and an unknown name gets the closest known one as a hint.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    #: music, PE and art: the chronic rural shortage that planners weigh extra (音体美).
    arts: bool = False


SUBJECTS: tuple[Subject, ...] = (
    Subject("语文", "Chinese", ("語文", "chinese", "国文", "chinese language")),
    Subject("数学", "math", ("數學", "maths", "mathematics")),
    Subject("英语", "English", ("英語", "english", "外语", "外語", "英文")),
    Subject("物理", "physics", ()),
    Subject("化学", "chemistry", ("化學",)),
    Subject("生物", "biology", ("生物学", "生物學")),
    Subject("历史", "history", ("歷史", "歷史")),
    Subject("地理", "geography", ()),
    Subject("道德与法治", "morality and law", ("道德與法治", "道法", "政治", "思想政治", "思想品德", "思品", "politics", "ethics")),
    Subject("科学", "science", ("科學",)),
    Subject("信息技术", "IT", ("信息技術", "資訊科技", "计算机", "計算機", "information technology", "computer science", "computing", "ict")),
    Subject("音乐", "music", ("音樂",), arts=True),
    Subject("体育", "PE", ("體育", "体育与健康", "體育與健康", "physical education", "sports", "p.e."), arts=True),
    Subject("美术", "art", ("美術", "fine art", "fine arts", "arts", "drawing"), arts=True),
    Subject("心理健康", "mental health", ("心理", "心理健康教育", "psychology", "counselling", "counseling")),
    Subject("书法", "calligraphy", ("書法",)),
    Subject("劳动", "labour", ("勞動", "劳动教育", "勞動教育", "labor")),
    Subject("综合实践", "integrated practice", ("綜合實踐", "综合实践活动")),
    Subject("通用技术", "general technology", ("通用技術",)),
    Subject("学前教育", "preschool", ("學前教育", "幼教", "幼儿教育", "幼兒教育", "early childhood", "kindergarten")),
    Subject("特殊教育", "special education", ("特教", "special needs")),
)

_BY_KEY: dict[str, Subject] = {}
for _subject in SUBJECTS:
    for _name in (_subject.zh, _subject.en, *_subject.aliases):
        _BY_KEY[re.sub(r"\s+", " ", _name.strip().casefold())] = _subject

BY_NAME: dict[str, Subject] = {s.zh: s for s in SUBJECTS}
ARTS: frozenset[str] = frozenset(s.zh for s in SUBJECTS if s.arts)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).strip().casefold())


def normalise_subject(text: str) -> str | None:
    """The canonical name of a subject, or None when the name is not known."""
    subject = _BY_KEY.get(_key(text))
    return subject.zh if subject else None


def suggest_subject(text: str) -> str | None:
    """The closest known subject to an unknown name, for the hint in a validation message."""
    key = _key(text)
    for known, subject in _BY_KEY.items():
        # 小学音乐, 音乐教师: a known name inside a longer one is the likeliest meaning.
        if len(known) >= 2 and known in key:
            return subject.zh
    close = difflib.get_close_matches(key, list(_BY_KEY), n=1, cutoff=0.5)
    return _BY_KEY[close[0]].zh if close else None


def subject_label(zh: str, lang: str = "zh") -> str:
    subject = BY_NAME.get(zh)
    if subject is None or lang == "zh":
        return zh
    return subject.en
