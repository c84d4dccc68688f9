"""What can go wrong with the database, in the planner's words (zh/en). Every store operation
turns the driver's error into a `StoreError`; nothing is half-written (each operation is one
transaction, rolled back on any error)."""

from __future__ import annotations

import contextlib
from typing import Iterator

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..rules import Text


class StoreError(Exception):
    """The store cannot do what was asked; `text` says why in both languages."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


class Conflict(StoreError):
    """Someone else changed what the caller read before the caller's change (another tab, another planner)."""


class Forbidden(StoreError):
    """The user's role does not allow the change (a viewer changes nothing; only an admin manages users)."""


def _words(where: str, message: str) -> Text:
    lowered = message.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return Text(f"数据库“{where}”正被另一个程序写入（已锁定），请稍后再试；未做任何更改",
                    f"the database {where} is locked by another program writing to it; try again later. "
                    "Nothing was changed")
    if "readonly database" in lowered or "read-only" in lowered or "unable to open database" in lowered:
        return Text(f"数据库“{where}”是只读的或无法打开（请检查文件和所在文件夹的写权限）；未做任何更改",
                    f"the database {where} is read-only or cannot be opened (check the write permission of "
                    "the file and its folder). Nothing was changed")
    if "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        return Text(f"“{where}”不是规划数据库，或文件已损坏；文件保持原样，未做任何更改。请从备份恢复或换一个文件",
                    f"{where} is not a planner database, or the file is damaged; it was left as it was. "
                    "Restore a backup or give another file")
    if "disk is full" in lowered or "no space" in lowered:
        return Text(f"数据库“{where}”所在磁盘已满；未做任何更改", f"the disk of the database {where} is full. "
                    "Nothing was changed")
    if "connection refused" in lowered or "could not connect" in lowered or "connection failed" in lowered:
        return Text(f"无法连接数据库“{where}”（服务器未运行或地址有误）", f"cannot connect to the database {where} "
                    "(the server is not running or the address is wrong)")
    if "never change" in lowered:
        return Text("已保存的方案版本和上传文件不能修改；修改请保存为新版本",
                    "stored plan versions and uploaded files never change; save a new version instead")
    first = message.strip().splitlines()[0][:300] if message.strip() else ""
    return Text(f"数据库“{where}”出错：{first}；未做任何更改", f"database error in {where}: {first}. Nothing was changed")


@contextlib.contextmanager
def database_errors(where: str) -> Iterator[None]:
    """Turn the driver's errors into a StoreError naming `where` (the database, password hidden)."""
    try:
        yield
    except StoreError:
        raise
    except DBAPIError as error:
        raise StoreError(_words(where, str(error.orig))) from error
    except SQLAlchemyError as error:
        raise StoreError(_words(where, str(error))) from error
    except OSError as error:  # the folder of a new SQLite file cannot be made
        raise StoreError(_words(where, str(error))) from error
