"""Alembic's environment: the store hands over its open connection (`config.attributes
["connection"]`), so migrations run inside the store's own transaction, on SQLite and PostgreSQL
alike. Run programmatically by `scheduler.store.migrate`; no alembic.ini is needed."""

from __future__ import annotations

from alembic import context

from scheduler.store.schema import Base

connection = context.config.attributes["connection"]
# render_as_batch: SQLite alters a table by copying it; Alembic's batch mode does that.
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
