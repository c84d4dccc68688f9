"""The planning workspace kept in a database (SQLAlchemy 2, Alembic migrations): projects, files as
uploaded, scenarios, immutable plan versions, notes, who did what. SQLite by default, any
SQLAlchemy URL through `--db` or PLANNER_DB."""

from .backup import backup, restore
from .errors import Conflict, Forbidden, StoreError
from .people import ROLES, UserInfo, check_password, hash_password, may, role_label
from .store import (ENV_VAR, NewVersion, ProjectInfo, ScenarioInfo, Store, StoredVersion, UploadInfo, VersionInfo,
                    changed_inputs, default_path, default_url, edited_version, open_store, settings_from_text,
                    settings_text, sqlite_path, version_record)

__all__ = ["Conflict", "ENV_VAR", "Forbidden", "ROLES", "UserInfo", "check_password", "hash_password", "may",
           "role_label", "NewVersion", "ProjectInfo", "ScenarioInfo", "Store", "StoreError", "StoredVersion",
           "UploadInfo", "VersionInfo", "backup", "changed_inputs", "default_path", "default_url", "edited_version",
           "open_store", "restore", "settings_from_text", "settings_text", "sqlite_path", "version_record"]
