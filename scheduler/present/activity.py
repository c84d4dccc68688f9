"""A project's history as a planner reads it: who did what, when (the store's audit log)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

#: action → (Chinese, English)
ACTIONS: dict[str, tuple[str, str]] = {
    "create_project": ("新建项目", "created the project"),
    "rename_project": ("重命名项目", "renamed the project"),
    "archive_project": ("归档项目", "archived the project"),
    "unarchive_project": ("取消归档", "took the project out of the archive"),
    "open_project": ("打开项目", "opened the project"),
    "upload": ("上传文件", "uploaded a file"),
    "create_scenario": ("新建场景", "created a scenario"),
    "change_scenario": ("修改场景", "changed a scenario"),
    "store_version": ("保存方案版本", "stored a plan version"),
    "set_current": ("设为当前方案", "made a version current"),
    "note": ("添加备注", "added a note"),
    "publish": ("发布方案", "published a plan"),
    "record_change": ("登记变更", "recorded a change"),
    "discard_replan": ("放弃重新规划", "discarded a re-plan"),
    "start_next_year": ("建立下一年度项目", "started next year's project"),
    "from_last_year": ("由上一年度项目建立", "made from last year's project"),
}
#: a recorded change's kind (scheduler.present.replan) → (Chinese, English)
_CHANGE_KINDS = {"withdrawal": ("退出交流", "withdrawal"), "need": ("需求变化", "need changed"),
                 "forbid": ("禁止去某校", "forbid a school"), "pin": ("锁定安排", "pin")}
_ORIGINS = {"solve": ("求解", "solve"), "edit": ("手工编辑", "hand edit")}


def action_label(action: str, lang: str = "zh") -> str:
    labels = ACTIONS.get(action)
    return labels[0 if lang == "zh" else 1] if labels else action


def detail_text(action: str, detail: dict[str, Any], lang: str = "zh") -> str:
    """What the entry is about, in a few words (a file, a scenario, a version and its edits)."""
    zh = lang == "zh"
    if action == "upload":
        return f"{detail.get('file_name', '')}（#{detail.get('upload_id', '')}）" if zh \
            else f"{detail.get('file_name', '')} (#{detail.get('upload_id', '')})"
    if action in ("create_scenario", "change_scenario"):
        return f"场景“{detail.get('scenario', '')}”" if zh else f"scenario {detail.get('scenario', '')!r}"
    if action == "store_version":
        origin = _ORIGINS.get(detail.get("origin", ""), (detail.get("origin", ""),) * 2)[0 if zh else 1]
        edits = detail.get("edits") or 0
        text = f"#{detail.get('version_id', '')} {origin}"
        return text + (f"，改动 {edits} 人" if zh else f", {edits} teacher(s) changed") if edits else text
    if action == "set_current":
        before = f"#{detail['before']}" if detail.get("before") else "—"
        return f"{before} → #{detail.get('after', '')}"
    if action == "rename_project":
        return f"{detail.get('before', '')} → {detail.get('after', '')}"
    if action == "create_project":
        return str(detail.get("name", ""))
    if action == "publish":
        return (f"#{detail.get('version_id', '')}，发布日期 {detail.get('publication_date', '')}" if zh
                else f"#{detail.get('version_id', '')}, published on {detail.get('publication_date', '')}")
    if action == "record_change":
        kind = _CHANGE_KINDS.get(detail.get("kind", ""), (detail.get("kind", ""),) * 2)[0 if zh else 1]
        who, reason = detail.get("teacher") or "", detail.get("reason") or ""
        if zh:
            return f"{who}{kind}" + (f"（{reason}）" if reason else "")
        return " ".join(part for part in (who, kind, f"({reason})" if reason else "") if part)
    if action == "start_next_year":
        return str(detail.get("project", ""))
    if action == "note" and detail.get("version_id"):
        return f"#{detail['version_id']}"
    return ""


def person_label(user: str, local_user: str | None = None, lang: str = "zh") -> str:
    """Who did it, as a planner says it: the server's own account (the planner on this computer, who
    needs no login: "root" to the system) is 本机管理员; a signed-in person by their name."""
    if local_user is not None and user == local_user:
        return "本机管理员" if lang == "zh" else "local admin"
    return user


def activity_rows(entries: Iterable[tuple[dt.datetime, str, str, dict[str, Any]]], lang: str = "zh",
                  newest_first: bool = True, local_user: str | None = None) -> list[list[str]]:
    """[when (local time, to the minute), who, what, about] per entry of `Store.history`; `local_user`
    (the server's own account) is named 本机管理员."""
    rows = [[at.astimezone().strftime("%Y-%m-%d %H:%M"), person_label(user, local_user, lang),
             action_label(action, lang),
             detail_text(action, detail, lang)] for at, user, action, detail in entries]
    return rows[::-1] if newest_first else rows
