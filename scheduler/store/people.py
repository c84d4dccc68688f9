"""People: who may sign in, with which role, and what each role may change.

A role is enforced here, in the store, not only on the pages: a viewer's store refuses every
change (`Forbidden`), whatever page or script calls it. Passwords are kept as salted scrypt
hashes (hashlib, RFC 7914 parameters n=2**14, r=8, p=1) and compared in constant time; the
password itself is never stored or logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ContextManager

from sqlalchemy import select

from ..rules import Text
from .errors import Forbidden, StoreError
from .schema import User

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ADMIN, PLANNER, VIEWER = "admin", "planner", "viewer"
#: role → (Chinese, English), strongest first
ROLES: dict[str, tuple[str, str]] = {ADMIN: ("管理员", "admin"), PLANNER: ("规划员", "planner"),
                                     VIEWER: ("查看者", "viewer")}
#: what each role may do: "plan" (change projects, files, scenarios, plans, notes), "admin" (manage users)
_MAY = {ADMIN: {"plan", "admin"}, PLANNER: {"plan"}, VIEWER: set()}
MIN_PASSWORD = 8

_N, _R, _P, _LENGTH = 2**14, 8, 1, 32


def role_label(role: str, lang: str = "zh") -> str:
    labels = ROLES.get(role)
    return labels[0 if lang == "zh" else 1] if labels else role


def may(role: str, what: str) -> bool:
    """Whether `role` may `what` ("plan" or "admin")."""
    return what in _MAY.get(role, set())


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`: "scrypt$n$r$p$salt$hash" (hex), a fresh salt each time."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_LENGTH)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from (constant-time comparison)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, bytes.fromhex(digest))


#: compared against when the name is unknown, so a wrong name takes as long as a wrong password
_NOBODY = hash_password(secrets.token_hex(8))


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    role: str
    created_at: dt.datetime
    disabled: bool


def _user_info(user: User) -> UserInfo:
    created = user.created_at if user.created_at.tzinfo else user.created_at.replace(tzinfo=dt.timezone.utc)
    return UserInfo(user.id, user.name, user.role, created, user.disabled)


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise StoreError(Text(f"角色应为 admin（管理员）、planner（规划员）或 viewer（查看者），而不是“{role}”",
                              f"a role is admin, planner or viewer, not {role!r}"))
    return role


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise StoreError(Text(f"密码至少 {MIN_PASSWORD} 个字符", f"a password has at least {MIN_PASSWORD} characters"))
    return password


class People:
    """The store's users and roles (mixed into `Store`, which gives `transaction`, `_log`, `user`, `role`)."""

    user: str
    role: str

    def transaction(self) -> ContextManager["Session"]:  # pragma: no cover - Store's
        raise NotImplementedError

    def _log(self, session: "Session", project_id: int | None, action: str, **detail: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def require(self, what: str) -> None:
        """Refuse (Forbidden) unless this store's role may `what`: "plan" or "admin"."""
        if may(self.role, what):
            return
        if what == "admin":
            raise Forbidden(Text(f"只有管理员可以管理用户；“{self.user}”是{role_label(self.role)}",
                                 f"only an admin manages users; {self.user!r} is a {role_label(self.role, 'en')}"))
        raise Forbidden(Text(f"“{self.user}”是{role_label(self.role)}，只能查看，不能修改；未做任何更改",
                             f"{self.user!r} is a {role_label(self.role, 'en')}: they may look, not change. "
                             "Nothing was changed"))

    def users(self) -> list[UserInfo]:
        with self.transaction() as session:
            return [_user_info(u) for u in session.scalars(select(User).order_by(User.id))]

    def add_user(self, name: str, role: str, password: str) -> UserInfo:
        self.require("admin")
        name = name.strip()
        if not name or len(name) > 200:
            raise StoreError(Text("用户名应为1至200个字", "a user name is 1 to 200 characters"))
        _checked_role(role)
        _checked_password(password)
        with self.transaction() as session:
            if session.scalar(select(User).where(User.name == name)) is not None:
                raise StoreError(Text(f"已有用户“{name}”", f"there is a user {name!r} already"))
            user = User(name=name, role=role, password_hash=hash_password(password), created_at=_now(),
                        disabled=False)
            session.add(user)
            session.flush()
            self._log(session, None, "add_user", name=name, role=role)
            return _user_info(user)

    def _change_user(self, name: str, action: str, **values: Any) -> None:
        self.require("admin")
        with self.transaction() as session:
            user = session.scalar(select(User).where(User.name == name))
            if user is None:
                raise StoreError(Text(f"没有用户“{name}”", f"there is no user {name!r}"))
            for key, value in values.items():
                setattr(user, key, value)
            self._log(session, None, action, name=name,
                      **{k: v for k, v in values.items() if k != "password_hash"})

    def set_role(self, name: str, role: str) -> None:
        self._change_user(name, "set_role", role=_checked_role(role))

    def set_password(self, name: str, password: str) -> None:
        self._change_user(name, "set_password", password_hash=hash_password(_checked_password(password)))

    def disable_user(self, name: str, disabled: bool = True) -> None:
        self._change_user(name, "disable_user" if disabled else "enable_user", disabled=disabled)

    def authenticate(self, name: str, password: str) -> UserInfo | None:
        """The user when `password` is theirs and they are not disabled; None otherwise (a wrong
        name, a wrong password and a disabled user look the same, and take as long)."""
        with self.transaction() as session:
            user = session.scalar(select(User).where(User.name == name.strip()))
            stored = user.password_hash if user is not None else _NOBODY
            right = check_password(password, stored)
            if user is None or not right or user.disabled:
                self._log(session, None, "login_refused", name=name.strip()[:200])
                return None
            self._log(session, None, "login", name=user.name)
            return _user_info(user)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
