"""The whole store as one file, and back: every table's rows as gzip-compressed JSON (bytes in
base64, times in ISO 8601), so a backup of a SQLite store restores into PostgreSQL and back.
Restored only into an empty store, ids kept, so plan versions still name their parents."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import LargeBinary, DateTime, func, insert, select, text, update

from ..rules import Text
from . import migrate
from .errors import StoreError
from .schema import TABLES, Project, User
from .store import Store

FORMAT = "teacher-exchange-store-backup/1"


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).isoformat()
    return value


def backup(store: Store, path: Path) -> dict[str, int]:
    """Write every row of the store to `path` (through `write`, in one consistent read); rows per table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with store.transaction() as session:
        revision = migrate.current_revision(session.connection())
        for model in TABLES:
            table = model.__table__
            rows = session.execute(select(table).order_by(table.c.id)).mappings()
            tables[table.name] = [{key: _plain(value) for key, value in row.items()} for row in rows]
    body = {"format": FORMAT, "revision": revision, "tables": tables}
    path.write_bytes(gzip.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), mtime=0))
    return {name: len(rows) for name, rows in tables.items()}


def is_backup(path: Path) -> bool:
    """Whether `path` is a backup this program wrote (then a new backup may replace it)."""
    try:
        with gzip.open(path, "rb") as file:
            return json.loads(file.read()).get("format") == FORMAT
    except (OSError, ValueError, EOFError, AttributeError):
        return False


def _read(path: Path) -> dict[str, Any]:
    try:
        with gzip.open(path, "rb") as file:
            body = json.loads(file.read())
    except (OSError, ValueError, EOFError) as error:
        raise StoreError(Text(f"“{path}”不是规划数据库的备份文件（无法解压或解析）",
                              f"{path} is not a planner backup (it cannot be unpacked or parsed)")) from error
    if not isinstance(body, dict) or body.get("format") != FORMAT or not isinstance(body.get("tables"), dict):
        raise StoreError(Text(f"“{path}”不是规划数据库的备份文件", f"{path} is not a planner backup"))
    if body.get("revision") not in migrate.known_revisions():
        raise StoreError(Text(f"备份“{path}”来自更新版本的规划程序（数据库版本 {body.get('revision')}）；请升级本程序后再恢复",
                              f"the backup {path} comes from a newer planner (revision {body.get('revision')}); "
                              "upgrade the program to restore it"))
    return body


def restore(store: Store, path: Path) -> dict[str, int]:
    """Put a backup into this store, which must hold no project yet; all of it or nothing."""
    store.require("admin")
    body = _read(path)
    if body["revision"] != migrate.head_revision():
        raise StoreError(Text(f"备份“{path}”的数据库版本 {body['revision']} 与本程序（{migrate.head_revision()}）不同；"
                              "请用相同版本的程序恢复", f"the backup {path} is of revision {body['revision']}, this "
                              f"program's is {migrate.head_revision()}; restore it with the same version"))
    counts: dict[str, int] = {}
    with store.transaction() as session:
        if session.scalar(select(func.count()).select_from(Project)) or \
                session.scalar(select(func.count()).select_from(User)):
            raise StoreError(Text(f"数据库“{store.where}”中已有项目或用户；只能恢复到空的数据库中（用 --db 指定一个新文件）",
                                  f"the database {store.where} already holds projects or users; a backup is restored only into an "
                                  "empty store (give a new file with --db)"))
        current: dict[int, int] = {}
        for model in TABLES:
            table = model.__table__
            rows = [_typed(table, row) for row in body["tables"].get(table.name, [])]
            if table.name == "uploads":
                for row in rows:
                    if hashlib.sha256(row["content"]).hexdigest() != row["sha256"]:
                        raise StoreError(Text(f"备份“{path}”中的文件 #{row['id']}（{row['file_name']}）与其校验值不符，"
                                              "备份已损坏；未恢复任何内容",
                                              f"file #{row['id']} ({row['file_name']}) in the backup {path} does not "
                                              "match its hash: the backup is damaged. Nothing was restored"))
            if table.name == "projects":  # versions point to projects and back: the pointer comes last
                current = {row["id"]: row["current_version_id"] for row in rows if row.get("current_version_id")}
                rows = [{**row, "current_version_id": None} for row in rows]
            if rows:
                session.execute(insert(table), rows)
            counts[table.name] = len(rows)
        for project_id, version_id in current.items():
            session.execute(update(Project.__table__).where(Project.__table__.c.id == project_id)
                            .values(current_version_id=version_id))
        if session.bind.dialect.name == "postgresql":  # ids were given: move each sequence past them
            for model in TABLES:
                name = model.__table__.name
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
    return counts


def _typed(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    typed = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and isinstance(column.type, LargeBinary):
            value = base64.b64decode(value["base64"])
        elif value is not None and isinstance(column.type, DateTime):
            value = dt.datetime.fromisoformat(value)
        typed[column.name] = value
    return typed
