"""Alembic's entry point: migrate the connection that server.migrate hands over."""

from __future__ import annotations

from alembic import context

from server.migrate import server_metadata, server_tables


def _ours(name: str | None, type_: str, _parent: object) -> bool:
    # The read models (runner-managed) and the event store share the database:
    # autogenerate must see only the server's own tables.
    return type_ != "table" or name in server_tables()


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=server_metadata(),
    include_name=_ours,
    render_as_batch=True,  # SQLite alters a table by copying it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
