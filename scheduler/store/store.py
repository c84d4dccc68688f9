"""The planning workspace on a database: projects, uploaded files, scenarios, plan versions,
notes and who did what. SQLite is the embedded default, any SQLAlchemy URL works (PostgreSQL for
a bureau's shared server).

Every method is one transaction: it is stored whole or not at all, so a crash, a lock or a full
disk in the middle leaves every earlier version as it was. A plan version is never changed once
stored (the database's triggers refuse it too); a hand edit or a re-solve adds a new version,
and only the project's pointer to its current version moves.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import getpass
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, load_only, sessionmaker

from ..audit import AuditReport, audit
from ..config.rules_file import Columns, dump_settings, load_rules
from ..domain.models import Case, Pin
from ..domain.settings import Settings
from ..export.headline import headline
from ..plan import Placement, Plan
from ..rules import Text
from ..workbook.report import Report
from ..workbook.setting_checks import SettingsClash, settings_of
from . import codec, migrate
from .errors import Conflict, StoreError, database_errors
from .people import ADMIN, People, _checked_role
from .schema import AuditEntry, Note, PlanVersion, Project, Scenario, Upload

#: the environment variable that names the database (any SQLAlchemy URL)
ENV_VAR = "PLANNER_DB"


def default_path() -> Path:
    """Where the embedded SQLite store lives when neither --db nor PLANNER_DB names one:
    $XDG_DATA_HOME/teacher-exchange/planner.db, i.e. ~/.local/share/teacher-exchange/planner.db."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "teacher-exchange" / "planner.db"


def default_url() -> str:
    return os.environ.get(ENV_VAR) or f"sqlite:///{default_path()}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; every time stored is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class ProjectInfo:
    id: int
    name: str
    created_at: dt.datetime
    archived: bool
    current_version_id: int | None
    versions: int = 0


@dataclass(frozen=True)
class UploadInfo:
    id: int
    project_id: int
    file_name: str
    sha256: str
    size: int
    uploaded_at: dt.datetime
    uploaded_by: str
    report: Report
    columns: Columns


@dataclass(frozen=True)
class ScenarioInfo:
    id: int
    project_id: int
    name: str
    settings_text: str
    pins: list[Pin]
    upload_ids: list[int]
    updated_at: dt.datetime

    @property
    def settings(self) -> Settings:
        return settings_from_text(self.settings_text)

    @property
    def columns(self) -> Columns:
        return load_rules(self.settings_text).columns


@dataclass(frozen=True)
class NewVersion:
    """Everything a plan version keeps, made by `version_record` or `edited_version`."""

    plan: dict[str, Any]
    status: str
    headline: dict[str, Any]
    findings: dict[str, Any]
    settings_text: str
    pins: list[dict[str, Any]]
    upload_ids: list[int]
    scenario_id: int | None = None
    parent_id: int | None = None
    origin: str = "solve"
    edits: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class VersionInfo:
    """A stored plan version without its placements (the list of versions)."""

    id: int
    project_id: int
    scenario_id: int | None
    parent_id: int | None
    created_at: dt.datetime
    created_by: str
    origin: str
    status: str
    headline: dict[str, Any]
    settings_text: str
    upload_ids: list[int]
    edits: list[dict[str, Any]]
    #: the pins it was solved with, as `codec.pins_record` writes them
    pins: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class StoredVersion:
    info: VersionInfo
    plan: Plan
    findings: dict[str, Any]
    pins: list[Pin]

    @property
    def settings(self) -> Settings:
        return settings_from_text(self.info.settings_text)


def settings_text(settings: Settings, columns: Columns | None = None) -> str:
    """The settings as the rules file writes them (every setting, the rule modes, the column mapping)."""
    return dump_settings(settings, columns)


def settings_from_text(text: str) -> Settings:
    """The stored settings; StoreError naming each one that cannot be read (`settings_read` reads
    the others and leaves those at their defaults)."""
    settings, problems = settings_read(text)
    if problems:
        raise unreadable_settings(problems)
    return settings


def settings_read(text: str) -> tuple[Settings, list[Text]]:
    """The stored settings as far as they can be read, and what cannot (each problem names its
    setting). Written by this program, so a problem means a text of an older or newer version (a
    value or a key this one does not know): that setting is at its default, the others as stored."""
    found = load_rules(text)
    try:
        return settings_of(found.entries), list(found.problems)
    except SettingsClash:  # a horizon that ends before it starts (said in found.problems): the default horizon
        return settings_of([e for e in found.entries if e.key not in ("horizon_from", "horizon_to")]), \
            list(found.problems)


def unreadable_settings(problems: list[Text]) -> StoreError:
    return StoreError(Text("保存的设置无法读取：" + "；".join(p.zh for p in problems),
                           "the stored settings cannot be read: " + "; ".join(p.en for p in problems)))


def version_record(case: Case, settings: Settings, plan: Plan, *, upload_ids: list[int],
                   columns: Columns | None = None, report: AuditReport | None = None,
                   scenario_id: int | None = None, parent_id: int | None = None) -> NewVersion:
    """What a solved plan stores: the plan, its audit, its headline, the settings, pins and files."""
    report = report if report is not None else audit(case, settings, plan)
    return NewVersion(plan=codec.plan_record(plan), status=plan.status,
                      headline=headline(case, settings, plan).as_dict(),
                      findings=codec.findings_record(case, report), settings_text=settings_text(settings, columns),
                      pins=codec.pins_record(case.pins), upload_ids=list(upload_ids), scenario_id=scenario_id,
                      parent_id=parent_id)


def edited_version(parent: StoredVersion, case: Case, changes: dict[str, Placement | None],
                   who: str, when: dt.datetime | None = None) -> NewVersion:
    """A hand edit of `parent` as a new version: `changes` maps each teacher to their new placement
    (None: stays home). The edit is audited by the parent's settings, and listed who / when / what."""
    settings = parent.settings
    when = when or now()
    before = parent.plan.by_teacher()
    kept = [p for p in parent.plan.placements if p.teacher_id not in changes]
    added = [p for p in changes.values() if p is not None]
    plan = Plan(placements=kept + added, status="edited")
    edits = [{"who": who, "when": when.isoformat(), "teacher_id": teacher,
              "before": codec.placement_record(before.get(teacher)), "after": codec.placement_record(after)}
             for teacher, after in changes.items()]
    record = version_record(case, settings, plan, upload_ids=parent.info.upload_ids,
                            columns=load_rules(parent.info.settings_text).columns,
                            scenario_id=parent.info.scenario_id, parent_id=parent.info.id)
    return dataclasses.replace(record, origin="edit", edits=edits, pins=codec.pins_record(parent.pins))


def changed_inputs(version: VersionInfo, scenario: ScenarioInfo) -> list[str]:
    """What of the scenario differs from what `version` was solved from: "settings" (settings, rule
    modes or column mapping), "pins", "files"; empty when the plan is still the scenario's."""
    changed = []
    if settings_read(version.settings_text)[0] != settings_read(scenario.settings_text)[0] or \
            load_rules(version.settings_text).columns != scenario.columns:
        changed.append("settings")
    if version.pins != codec.pins_record(scenario.pins):
        changed.append("pins")
    if sorted(version.upload_ids) != sorted(scenario.upload_ids):
        changed.append("files")
    return changed


class Store(People):
    """One database. Open with `open_store`; the schema is migrated to the newest revision first.
    `user` is who every change is recorded as, `role` what they may change (`people`): a viewer's
    store refuses every change, a planner's refuses managing users."""

    def __init__(self, engine: Engine, where: str, user: str, role: str = ADMIN):
        self.engine = engine
        self.where = where
        self.user = user
        self.role = _checked_role(role)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def as_user(self, user: str, role: str) -> "Store":
        """The same database, its changes recorded as `user` and allowed by `role` (a signed-in
        person); shares this store's connections, so close only the store `open_store` gave."""
        return Store(self.engine, self.where, user, role)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed whole at the end, rolled back whole on any error."""
        with database_errors(self.where), self._sessions.begin() as session:
            yield session

    def _log(self, session: Session, project_id: int | None, action: str, **detail: Any) -> None:
        session.add(AuditEntry(project_id=project_id, at=now(), user=self.user, action=action,
                               detail=json.loads(json.dumps(detail, default=str, ensure_ascii=False))))

    # projects ---------------------------------------------------------------------------------

    def projects(self, include_archived: bool = True) -> list[ProjectInfo]:
        with self.transaction() as session:
            counts = dict(session.execute(select(PlanVersion.project_id, func.count())
                                          .group_by(PlanVersion.project_id)).all())
            query = select(Project).order_by(Project.id)
            if not include_archived:
                query = query.where(Project.archived.is_(False))
            return [_project_info(p, counts.get(p.id, 0)) for p in session.scalars(query)]

    def project(self, name: str) -> ProjectInfo | None:
        with self.transaction() as session:
            found = session.scalar(select(Project).where(Project.name == name))
            if found is None:
                return None
            count = session.scalar(select(func.count()).where(PlanVersion.project_id == found.id)) or 0
            return _project_info(found, count)

    def create_project(self, name: str) -> ProjectInfo:
        self.require("plan")
        name = _project_name(name)
        with _unique_name(name), self.transaction() as session:
            project = Project(name=name, created_at=now(), archived=False)
            session.add(project)
            session.flush()
            self._log(session, project.id, "create_project", name=name)
            return _project_info(project, 0)

    def rename_project(self, project_id: int, name: str) -> None:
        self.require("plan")
        name = _project_name(name)
        with _unique_name(name), self.transaction() as session:
            project = session.get_one(Project, project_id)
            self._log(session, project_id, "rename_project", before=project.name, after=name)
            project.name = name

    def archive_project(self, project_id: int, archived: bool = True) -> None:
        self.require("plan")
        with self.transaction() as session:
            session.get_one(Project, project_id).archived = archived
            self._log(session, project_id, "archive_project" if archived else "unarchive_project")

    # uploads ----------------------------------------------------------------------------------

    def add_upload(self, project_id: int, file_name: str, content: bytes, report: Report,
                   columns: Columns | None = None) -> tuple[UploadInfo, bool]:
        """Keep a file as uploaded; (the stored file, True) when this project has it already (then
        nothing is added: the same bytes under any name are one file)."""
        self.require("plan")
        digest = hashlib.sha256(content).hexdigest()
        with self.transaction() as session:
            existing = session.scalar(select(Upload).where(Upload.project_id == project_id, Upload.sha256 == digest)
                                      .options(load_only(*_UPLOAD_FIELDS)))
            if existing is not None:
                return _upload_info(existing), True
            upload = Upload(project_id=project_id, file_name=file_name, sha256=digest, size=len(content),
                            content=content, uploaded_at=now(), uploaded_by=self.user,
                            report=codec.report_record(report), columns=columns or {})
            session.add(upload)
            session.flush()
            self._log(session, project_id, "upload", file_name=file_name, sha256=digest, size=len(content),
                      upload_id=upload.id)
            return _upload_info(upload), False

    def uploads(self, project_id: int) -> list[UploadInfo]:
        with self.transaction() as session:
            query = (select(Upload).where(Upload.project_id == project_id).order_by(Upload.id)
                     .options(load_only(*_UPLOAD_FIELDS)))
            return [_upload_info(u) for u in session.scalars(query)]

    def upload_content(self, upload_id: int) -> tuple[str, bytes]:
        """The file's name and bytes, checked against the hash it was stored with."""
        with self.transaction() as session:
            upload = session.get_one(Upload, upload_id)
            if hashlib.sha256(upload.content).hexdigest() != upload.sha256:
                raise StoreError(Text(f"上传文件 #{upload_id}（{upload.file_name}）的内容与其校验值不符，已损坏",
                                      f"uploaded file #{upload_id} ({upload.file_name}) does not match its hash; "
                                      "it is damaged"))
            return upload.file_name, upload.content

    # scenarios --------------------------------------------------------------------------------

    def save_scenario(self, project_id: int, name: str, settings_text: str, pins: list[Pin],
                      upload_ids: list[int], *, seen: dt.datetime | None = None) -> ScenarioInfo:
        """Create the scenario `name`, or change its settings, pins and files. With `seen` (the
        `updated_at` the caller read), a change made meanwhile by someone else is refused (Conflict)
        instead of being overwritten silently."""
        self.require("plan")
        with self.transaction() as session:
            scenario = session.scalar(select(Scenario).where(Scenario.project_id == project_id, Scenario.name == name)
                                      .with_for_update())
            if scenario is not None and seen is not None and _utc(scenario.updated_at) != seen:
                raise Conflict(Text(f"场景“{name}”已于 {_utc(scenario.updated_at):%H:%M:%S} 被他人修改；请重新打开后再改",
                                    f"scenario {name!r} was changed by someone else at "
                                    f"{_utc(scenario.updated_at):%H:%M:%S}; open it again before changing it"))
            stamp = now()
            if scenario is None:
                scenario = Scenario(project_id=project_id, name=name, created_at=stamp, updated_at=stamp,
                                    settings_text=settings_text, pins=codec.pins_record(pins), upload_ids=upload_ids)
                session.add(scenario)
                action = "create_scenario"
            else:
                # a text this program could not read in full is kept in the history, not lost
                replaced = scenario.settings_text if settings_read(scenario.settings_text)[1] else None
                scenario.settings_text, scenario.pins = settings_text, codec.pins_record(pins)
                scenario.upload_ids, scenario.updated_at = list(upload_ids), stamp
                action = "change_scenario"
            session.flush()
            extra = {"replaced_settings_text": replaced} if action == "change_scenario" and replaced else {}
            self._log(session, project_id, action, scenario=name, upload_ids=upload_ids, **extra)
            return _scenario_info(scenario)

    def scenarios(self, project_id: int) -> list[ScenarioInfo]:
        with self.transaction() as session:
            query = select(Scenario).where(Scenario.project_id == project_id).order_by(Scenario.id)
            return [_scenario_info(s) for s in session.scalars(query)]

    def scenario(self, project_id: int, name: str) -> ScenarioInfo | None:
        return next((s for s in self.scenarios(project_id) if s.name == name), None)

    # plan versions ----------------------------------------------------------------------------

    def add_version(self, project_id: int, new: NewVersion, make_current: bool = True,
                    seen_current: int | None | bool = False) -> VersionInfo:
        """Store a new version (and make it current): all of it or, on any error, nothing. With
        `seen_current` (the current version id the caller read, None for none), a current version
        moved meanwhile by someone else refuses the whole store (Conflict)."""
        self.require("plan")
        with self.transaction() as session:
            if seen_current is not False:
                self._check_current(session, project_id, seen_current)
            version = PlanVersion(project_id=project_id, scenario_id=new.scenario_id, parent_id=new.parent_id,
                                  created_at=now(), created_by=self.user, origin=new.origin, status=new.status,
                                  plan=new.plan, headline=new.headline, findings=new.findings,
                                  settings_text=new.settings_text, pins=new.pins, upload_ids=new.upload_ids,
                                  edits=new.edits)
            session.add(version)
            session.flush()
            self._log(session, project_id, "store_version", version_id=version.id, origin=new.origin,
                      status=new.status, parent_id=new.parent_id, edits=len(new.edits))
            if make_current:
                self._make_current(session, project_id, version.id)
            return _version_info(version)

    def set_current(self, project_id: int, version_id: int, seen_current: int | None | bool = False) -> None:
        self.require("plan")
        with self.transaction() as session:
            if seen_current is not False:
                self._check_current(session, project_id, seen_current)
            self._make_current(session, project_id, version_id)

    def _check_current(self, session: Session, project_id: int, seen: int | None) -> None:
        project = session.scalar(select(Project).where(Project.id == project_id).with_for_update())
        if project is not None and project.current_version_id != seen:
            raise Conflict(Text(f"项目“{project.name}”的当前方案已被他人改为版本 #{project.current_version_id}；"
                                "请先查看该版本，未做任何更改",
                                f"someone else made version #{project.current_version_id} the current plan of "
                                f"{project.name!r}; look at it first. Nothing was changed"))

    def _make_current(self, session: Session, project_id: int, version_id: int) -> None:
        project = session.get_one(Project, project_id)
        version = session.get(PlanVersion, version_id, options=[load_only(PlanVersion.project_id)])
        if version is None or version.project_id != project_id:
            raise StoreError(Text(f"项目“{project.name}”没有方案版本 {version_id}",
                                  f"project {project.name!r} has no plan version {version_id}"))
        self._log(session, project_id, "set_current", before=project.current_version_id, after=version_id)
        project.current_version_id = version_id

    def versions(self, project_id: int) -> list[VersionInfo]:
        with self.transaction() as session:
            query = (select(PlanVersion).where(PlanVersion.project_id == project_id).order_by(PlanVersion.id)
                     .options(load_only(*_VERSION_FIELDS)))
            return [_version_info(v) for v in session.scalars(query)]

    def version(self, version_id: int) -> StoredVersion:
        with self.transaction() as session:
            version = session.get(PlanVersion, version_id)
            if version is None:
                raise StoreError(Text(f"没有方案版本 {version_id}", f"there is no plan version {version_id}"))
            return StoredVersion(info=_version_info(version), plan=codec.plan_of(version.plan),
                                 findings=version.findings, pins=codec.pins_of(version.pins))

    # notes and history ------------------------------------------------------------------------

    def add_note(self, project_id: int, text: str, version_id: int | None = None) -> int:
        self.require("plan")
        with self.transaction() as session:
            note = Note(project_id=project_id, version_id=version_id, created_at=now(), author=self.user, text=text)
            session.add(note)
            session.flush()
            self._log(session, project_id, "note", note_id=note.id, version_id=version_id)
            return note.id

    def notes(self, project_id: int) -> list[tuple[dt.datetime, str, str, int | None]]:
        with self.transaction() as session:
            query = select(Note).where(Note.project_id == project_id).order_by(Note.id)
            return [(_utc(n.created_at), n.author, n.text, n.version_id) for n in session.scalars(query)]

    def history(self, project_id: int) -> list[tuple[dt.datetime, str, str, dict[str, Any]]]:
        """Who did what and when in this project, oldest first."""
        with self.transaction() as session:
            query = select(AuditEntry).where(AuditEntry.project_id == project_id).order_by(AuditEntry.id)
            return [(_utc(e.at), e.user, e.action, e.detail) for e in session.scalars(query)]


def _project_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise StoreError(Text("项目名称应为1至200个字", "a project name is 1 to 200 characters"))
    return name


@contextlib.contextmanager
def _unique_name(name: str) -> Iterator[None]:
    """A second project of the same name is refused in words (the database's unique index decides)."""
    try:
        yield
    except StoreError as error:
        if isinstance(error.__cause__, IntegrityError):
            raise StoreError(Text(f"已有名为“{name}”的项目", f"a project named {name!r} exists already")) from error
        raise


_UPLOAD_FIELDS = (Upload.id, Upload.project_id, Upload.file_name, Upload.sha256, Upload.size, Upload.uploaded_at,
                  Upload.uploaded_by, Upload.report, Upload.columns)
_VERSION_FIELDS = (PlanVersion.id, PlanVersion.project_id, PlanVersion.scenario_id, PlanVersion.parent_id,
                   PlanVersion.created_at, PlanVersion.created_by, PlanVersion.origin, PlanVersion.status,
                   PlanVersion.headline, PlanVersion.settings_text, PlanVersion.upload_ids, PlanVersion.edits,
                   PlanVersion.pins)


def _project_info(project: Project, versions: int) -> ProjectInfo:
    return ProjectInfo(project.id, project.name, _utc(project.created_at), project.archived,
                       project.current_version_id, versions)


def _upload_info(upload: Upload) -> UploadInfo:
    return UploadInfo(upload.id, upload.project_id, upload.file_name, upload.sha256, upload.size,
                      _utc(upload.uploaded_at), upload.uploaded_by, codec.report_of(upload.report),
                      dict(upload.columns))


def _scenario_info(scenario: Scenario) -> ScenarioInfo:
    return ScenarioInfo(scenario.id, scenario.project_id, scenario.name, scenario.settings_text,
                        codec.pins_of(scenario.pins), list(scenario.upload_ids), _utc(scenario.updated_at))


def _version_info(version: PlanVersion) -> VersionInfo:
    return VersionInfo(version.id, version.project_id, version.scenario_id, version.parent_id,
                       _utc(version.created_at), version.created_by, version.origin, version.status,
                       version.headline, version.settings_text, list(version.upload_ids), list(version.edits),
                       list(version.pins))


def where_of(url: str) -> str:
    """The database as a planner reads it: a SQLite file's path, another URL without its password."""
    path = sqlite_path(url)
    return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)


def open_store(url: str | None = None, *, user: str | None = None, role: str = ADMIN,
               busy_timeout: float = 5.0) -> Store:
    """Open (and create, and migrate to the newest schema) the store at `url` (default: PLANNER_DB,
    else the SQLite file at `default_path()`). StoreError, with the database left as it was, when it
    is locked, read-only, corrupt or from a newer planner. `user` (default: the login name of this
    process) and `role` (default admin: the command line and the local planner) as in `Store`."""
    url = url or default_url()
    try:
        where = where_of(url)
    except Exception as error:  # sqlalchemy.exc.ArgumentError: not a URL at all
        raise StoreError(Text(f"“{url}”不是数据库地址（例：sqlite:///planner.db 或 postgresql+psycopg://用户@主机/库）",
                              f"{url!r} is not a database URL (e.g. sqlite:///planner.db or "
                              "postgresql+psycopg://user@host/db)")) from error
    path = sqlite_path(url)
    with database_errors(where):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": busy_timeout})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            try:
                engine = create_engine(url, pool_pre_ping=True)
            except ImportError as error:  # a database whose driver is not installed (MySQLdb ...)
                raise StoreError(Text(f"数据库“{where}”的驱动程序 {error.name} 未安装；SQLite 和 PostgreSQL"
                                      "（postgresql+psycopg://）无需另装",
                                      f"the driver {error.name} for {where} is not installed; SQLite and "
                                      "PostgreSQL (postgresql+psycopg://) need nothing more")) from error
    try:
        with database_errors(where), engine.begin() as connection:
            migrate.upgrade(connection, where)
        if path is not None:
            _write_ahead_log(engine, where)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, where, user or _user(), role)


def _write_ahead_log(engine: Engine, where: str) -> None:
    """SQLite in WAL mode, so one tab reading never waits for another one storing (nor the other
    way round); kept in the file, so set once, and only on a file known to be the planner's (another
    program's database is not touched). A file that cannot be written stays as it is: it is read."""
    with database_errors(where), engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        if str(mode).lower() != "wal":
            with contextlib.suppress(StoreError):
                with database_errors(where):
                    connection.exec_driver_sql("PRAGMA journal_mode = WAL")


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"uid {os.getuid()}"
