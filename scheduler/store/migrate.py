"""The store's schema, brought to the newest revision on every open (`upgrade head`), inside one
transaction. A database stamped with a revision this program does not know was made by a newer
planner: it is refused untouched, never downgraded or guessed at."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic import command
from sqlalchemy import Connection, inspect

from ..rules import Text
from .errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(_config()).get_heads()
    return heads[0]


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, where: str) -> None:
    """Check what the database is, then migrate it to the head revision (within the caller's transaction)."""
    revision = current_revision(connection)
    if revision is None:
        tables = set(inspect(connection).get_table_names())
        if tables - {"alembic_version"}:
            raise StoreError(Text(f"“{where}”里已有别的表（{'、'.join(sorted(tables)[:5])}），不是规划数据库；未做任何更改",
                                  f"{where} already holds other tables ({', '.join(sorted(tables)[:5])}); it is not a "
                                  "planner database. Nothing was changed"))
    elif revision not in known_revisions():
        raise StoreError(Text(f"数据库“{where}”由更新版本的规划程序创建（数据库版本 {revision}，本程序最高支持 "
                              f"{head_revision()}）；请升级本程序后再打开。数据库未做任何更改",
                              f"the database {where} was made by a newer version of the planner (its revision "
                              f"{revision}, this program knows up to {head_revision()}); upgrade the program to "
                              "open it. The database was not changed"))
    if revision != head_revision():
        command.upgrade(_config(connection), "head")
