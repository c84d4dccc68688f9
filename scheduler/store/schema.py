"""The store's tables, as SQLAlchemy 2 typed models. Alembic's migrations (migrations/versions)
create them; these classes are what the code reads and writes. JSON columns hold the plan's own
(de)serialised types (`codec`), so a table never duplicates a domain model field by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: DateTime(timezone=True)}


class Project(Base):
    """A planning round (略阳县2027学年)."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime]
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the plan version the planner works from; versions never change, this pointer does
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_versions.id", use_alter=True, name="fk_projects_current_version"), default=None)


class Upload(Base):
    """A file exactly as uploaded: its bytes and their sha256, never modified (a trigger refuses an
    UPDATE), with the validation report and the column mapping it was read with."""

    __tablename__ = "uploads"
    __table_args__ = (UniqueConstraint("project_id", "sha256", name="uq_uploads_project_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[dt.datetime]
    uploaded_by: Mapped[str] = mapped_column(String(200))
    #: the validation report: a list of `workbook.report.Problem` records
    report: Mapped[list[Any]]
    #: the column mapping it was read with (sheet key → {field key: header}), as in the rules file
    columns: Mapped[dict[str, Any]]


class Scenario(Base):
    """Settings (the rules file's text: settings, rule modes, column mapping), pins and the files
    they apply to. A scenario may change; each plan version keeps its own copy of what it used."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_scenarios_project_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    #: `config.rules_file.dump_settings` text: every setting, `rule:<id>` modes, "columns"
    settings_text: Mapped[str] = mapped_column(Text)
    #: `domain.models.Pin` records
    pins: Mapped[list[Any]]
    upload_ids: Mapped[list[Any]]


class PlanVersion(Base):
    """One plan, never changed once stored (a trigger refuses UPDATE and DELETE): a hand edit or
    a re-solve is a new version whose `parent_id` names the one it came from."""

    __tablename__ = "plan_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"), default=None)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"), default=None)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    #: "solve" or "edit"
    origin: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    #: the plan itself (`codec.plan_record`): placements, levels, parts, times, ended, stats
    plan: Mapped[dict[str, Any]]
    #: `export.headline.Headline.as_dict()`
    headline: Mapped[dict[str, Any]]
    #: the audit's findings (`codec.findings_record`)
    findings: Mapped[dict[str, Any]]
    #: the settings it was solved (edited) with, as `dump_settings` text, and its pins
    settings_text: Mapped[str] = mapped_column(Text)
    pins: Mapped[list[Any]]
    upload_ids: Mapped[list[Any]]
    #: the hand edits from the parent to this version: {who, when, teacher_id, before, after}
    edits: Mapped[list[Any]]


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"), default=None)
    created_at: Mapped[dt.datetime]
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Who did what, when, per project: the history a bureau can be shown."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True, default=None)
    at: Mapped[dt.datetime]
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[dict[str, Any]]


class User(Base):
    """A person who may sign in when the planner is reached from another computer (`people`):
    a role (admin / planner / viewer) and a salted scrypt hash of the password, never the password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    #: `people.hash_password`: "scrypt$n$r$p$salt$hash", salt and hash in hex
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime]
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class Publication(Base):
    """A plan version made public (公示), never changed (a trigger refuses UPDATE and DELETE): the
    project's published plan is its newest publication; an accepted re-plan is published anew and
    `replaces_id` names the publication it follows."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"), default=None)
    recorded_at: Mapped[dt.datetime]
    recorded_by: Mapped[str] = mapped_column(String(200))
    #: the date printed on the documents, the first day of the 公示, as ISO text (2027-06-01): a
    #: backup keeps it as written
    publication_date: Mapped[str] = mapped_column(String(10))
    notice_days: Mapped[int] = mapped_column(Integer)
    issuer: Mapped[str] = mapped_column(String(200))


class ProjectChange(Base):
    """A change recorded on a published plan (a withdrawal, a changed need, a new forbid or pin),
    never changed once stored; `detail` holds the `present.replan.Amendment`'s fields."""

    __tablename__ = "project_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    #: the publication it was recorded against
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id"))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]]


#: tables in an order that respects foreign keys (backup, restore)
TABLES = (Project, Upload, Scenario, PlanVersion, Note, AuditEntry, User, Publication, ProjectChange)
