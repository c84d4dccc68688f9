"""Publication and what changed after it: which plan version was published (when, by whom, its
publication date, 公示天数 and issuing body), and each change recorded on a published plan (a
withdrawal, a changed need, a new forbid or pin), who and when. Both are history: triggers refuse
an UPDATE or a DELETE, as for plan versions.

Revision ID: 0003_publications
Revises: 0002_users
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_publications"
down_revision = "0002_users"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)
#: (table, statement) pairs the triggers refuse (0001's planner_refuse_change does it on PostgreSQL)
_FROZEN = (("publications", "UPDATE"), ("publications", "DELETE"), ("project_changes", "UPDATE"),
           ("project_changes", "DELETE"))


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("plan_versions.id"), nullable=False),
        sa.Column("replaces_id", sa.Integer, sa.ForeignKey("publications.id"), nullable=True),
        sa.Column("recorded_at", _WHEN, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("publication_date", sa.String(10), nullable=False),
        sa.Column("notice_days", sa.Integer, nullable=False),
        sa.Column("issuer", sa.String(200), nullable=False),
    )
    op.create_table(
        "project_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("publication_id", sa.Integer, sa.ForeignKey("publications.id"), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, statement in _FROZEN:
        if postgres:
            op.execute(f"CREATE TRIGGER {table}_no_{statement.lower()} BEFORE {statement} ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION planner_refuse_change()")
        else:
            op.execute(f"CREATE TRIGGER {table}_no_{statement.lower()} BEFORE {statement} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'stored {table} rows never change'); END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, statement in _FROZEN:
        op.execute(f"DROP TRIGGER {table}_no_{statement.lower()}" + (f" ON {table}" if postgres else ""))
    op.drop_table("project_changes")
    op.drop_table("publications")
