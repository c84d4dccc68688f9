"""A project's history in sentences, as a planner would tell it: "张三 在 12-02 10:31 求解了方案 #3
（比例 12%）". Every change is in the store's audit log with its user and time; this module words it,
with what the log entry points at (the version's quota and placements, the note's text).

Opening a project is logged (so a new session reopens the one used last) but is no change: it is
left out. A version stored and made current at once is one sentence, not two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..present.activity import action_label, detail_text, person_label
from .schema import Note
from .store import Store, VersionInfo, settings_read

#: actions that change nothing (left out of the history)
_NOT_CHANGES = {"open_project"}


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    user: str
    #: what they did, in words (zh and en)
    zh: str
    en: str

    def line(self, lang: str = "zh", local_user: str | None = None) -> str:
        """The sentence; `local_user` (the server's own account) is named 本机管理员, not "root"."""
        when = self.at.astimezone().strftime("%m-%d %H:%M")
        who = person_label(self.user, local_user, lang)
        return f"{who} 在 {when} {self.zh}" if lang == "zh" else f"{when} {who} {self.en}"


def project_history(store: Store, project_id: int, newest_first: bool = True) -> list[Event]:
    """Every change of the project, worded, each with who and when."""
    entries = store.history(project_id)
    versions = {v.id: v for v in store.versions(project_id)}
    with store.transaction() as session:
        notes = {n.id: n.text for n in session.scalars(select(Note).where(Note.project_id == project_id))}
    events: list[Event] = []
    stored_last: int | None = None
    for at, user, action, detail in entries:
        if action in _NOT_CHANGES:
            continue
        if action == "set_current" and detail.get("after") == stored_last:
            stored_last = None  # made current as it was stored: said by the store_version sentence
            continue
        stored_last = detail.get("version_id") if action == "store_version" else None
        zh, en = _words(action, detail, versions, notes)
        events.append(Event(at, user, zh, en))
    return events[::-1] if newest_first else events


def _quota(version: VersionInfo | None) -> str:
    if version is None:
        return "?"
    return f"{settings_read(version.settings_text)[0].quota_rate * 100:g}%"


def _words(action: str, detail: dict[str, Any], versions: dict[int, VersionInfo], notes: dict[int, str]
           ) -> tuple[str, str]:
    if action == "store_version":
        number = detail.get("version_id")
        version = versions.get(number)
        placed = version.headline.get("placements") if version is not None else None
        placed_zh = f"，派出 {placed} 人" if placed is not None else ""
        placed_en = f", {placed} placed" if placed is not None else ""
        if detail.get("origin") == "edit":
            changed = detail.get("edits") or 0
            return (f"手工修改了方案 #{detail.get('parent_id')}，存为方案 #{number}（改动 {changed} 人{placed_zh}）",
                    f"edited plan #{detail.get('parent_id')} by hand into plan #{number} "
                    f"({changed} teacher(s) changed{placed_en})")
        return (f"求解了方案 #{number}（比例 {_quota(version)}{placed_zh}）",
                f"solved plan #{number} (quota {_quota(version)}{placed_en})")
    if action == "set_current":
        return f"把方案 #{detail.get('after')} 设为当前方案", f"made plan #{detail.get('after')} the current one"
    if action == "note":
        text = notes.get(detail.get("note_id"), "")
        about = detail.get("version_id")
        return ((f"为方案 #{about} 添加了备注：“{text}”" if about else f"为项目添加了备注：“{text}”"),
                (f"noted on plan #{about}: “{text}”" if about else f"noted on the project: “{text}”"))
    if action == "create_project":
        return f"新建了项目“{detail.get('name', '')}”", f"created the project {detail.get('name', '')!r}"
    if action == "rename_project":
        return (f"把项目“{detail.get('before', '')}”改名为“{detail.get('after', '')}”",
                f"renamed the project {detail.get('before', '')!r} to {detail.get('after', '')!r}")
    if action == "upload":
        return (f"上传了文件 {detail.get('file_name', '')}（#{detail.get('upload_id', '')}）",
                f"uploaded {detail.get('file_name', '')} (#{detail.get('upload_id', '')})")
    if action in ("create_scenario", "change_scenario"):
        kept = detail.get("replaced_settings_text")
        return ((f"修改了“{detail.get('scenario', '')}”的设置、锁定或文件"
                 + ("（此前无法读取的设置原文已记入本条历史）" if kept else "")),
                (f"changed the settings, pins or files of {detail.get('scenario', '')!r}"
                 + (" (the settings text that could not be read is kept in this entry)" if kept else "")))
    # archive, unarchive, and whatever a later change adds: the activity's own words
    zh, en = action_label(action, "zh"), action_label(action, "en")
    about_zh, about_en = detail_text(action, detail, "zh"), detail_text(action, detail, "en")
    return (f"{zh}{'：' + about_zh if about_zh else ''}", f"{en}{': ' + about_en if about_en else ''}")
