"""The first store: projects, uploads, scenarios, plan versions, notes, audit log.

Plan versions and uploads never change once stored: triggers refuse an UPDATE (and a DELETE of a
plan version), so not even a bug in this program can rewrite a stored plan.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("current_version_id", sa.Integer, nullable=True),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", _WHEN, nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("columns", sa.JSON, nullable=False),
        sa.UniqueConstraint("project_id", "sha256", name="uq_uploads_project_sha256"),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("settings_text", sa.Text, nullable=False),
        sa.Column("pins", sa.JSON, nullable=False),
        sa.Column("upload_ids", sa.JSON, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_scenarios_project_name"),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id"), nullable=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("plan_versions.id"), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("headline", sa.JSON, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("settings_text", sa.Text, nullable=False),
        sa.Column("pins", sa.JSON, nullable=False),
        sa.Column("upload_ids", sa.JSON, nullable=False),
        sa.Column("edits", sa.JSON, nullable=False),
    )
    with op.batch_alter_table("projects") as batch:
        batch.create_foreign_key("fk_projects_current_version", "plan_versions", ["current_version_id"], ["id"])
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("plan_versions.id"), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=True, index=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    _refuse_changes()


#: (table, statement) pairs the triggers refuse
_FROZEN = (("plan_versions", "UPDATE"), ("plan_versions", "DELETE"), ("uploads", "UPDATE"))


def _refuse_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION planner_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN RAISE EXCEPTION 'stored % rows never change', TG_TABLE_NAME; END $$")
        for table, statement in _FROZEN:
            op.execute(f"CREATE TRIGGER {table}_no_{statement.lower()} BEFORE {statement} ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION planner_refuse_change()")
    else:
        for table, statement in _FROZEN:
            op.execute(f"CREATE TRIGGER {table}_no_{statement.lower()} BEFORE {statement} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'stored {table} rows never change'); END")


def downgrade() -> None:
    for table, statement in _FROZEN:
        op.execute(f"DROP TRIGGER {table}_no_{statement.lower()}"
                   + (f" ON {table}" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION planner_refuse_change()")
    for table in ("audit_log", "notes"):
        op.drop_table(table)
    with op.batch_alter_table("projects") as batch:
        batch.drop_constraint("fk_projects_current_version", type_="foreignkey")
    for table in ("plan_versions", "scenarios", "uploads", "projects"):
        op.drop_table(table)
