"""The server's own tables (accounts, sessions, tokens…), migrated with Alembic.

The read models are not migrated: they record their shape and are replayed from
the event log when it changes (``projections.schema.SHAPE``). These tables hold
what the log does not (password hashes, sessions), so they are changed in place,
one revision at a time, in ``server/migrations/versions``.
"""

from __future__ import annotations

import fcntl
import importlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, inspect, text

from server.config import Settings
from server.db import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# What Base.metadata.create_all made before the tables had migrations.
BASELINE = "0001"


# The modules that define the server's tables (on server.db.Base).
TABLE_MODULES = (
    "server.accounts",
    "server.idempotency",
    "server.passwords",
    "server.realtime",
    "server.screen_tokens",
)


def server_metadata() -> MetaData:
    """Return the metadata of every server table, with every module defining one."""
    for module in TABLE_MODULES:
        importlib.import_module(module)
    return Base.metadata


def server_tables() -> frozenset[str]:
    """Return the names of the server's tables (not the read models' or events')."""
    return frozenset(server_metadata().tables)


def alembic_config(connection: Connection | None = None) -> Config:
    """Return Alembic's configuration, migrating ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Revisions are numbered in order: 0001_server_tables.py, 0002_….py
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@cache
def head() -> str:
    """Return the newest revision."""
    found = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert found is not None
    return found


def current(engine: Engine) -> str | None:
    """Return the revision the database is at (None: no server tables yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the server's tables to the newest revision; return it.

    A database made before migrations is recognised and taken from the baseline.
    Run it in a :func:`turn` when other processes may start at the same time.
    """
    if current(engine) == head():
        return head()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one: with
            # foreign keys on, that drop would delete the rows that point at it.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                config = alembic_config(conn)
                if _made_before_migrations(conn):
                    command.stamp(config, BASELINE)
                command.upgrade(config, "head")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    return head()


def _made_before_migrations(conn: Connection) -> bool:
    tables = inspect(conn).get_table_names()
    return "users" in tables and "alembic_version" not in tables


@contextmanager
def turn(engine: Engine, settings: Settings) -> Iterator[None]:
    """Hold a lock that one starting process at a time holds, across processes.

    Creating or changing tables (these, the event store's, the read models') is
    then done by the first process; the others wait and find it done.
    """
    if not settings.uses_postgres:
        with (settings.data_dir / "setup.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        return
    # Per schema: test processes with schemas of their own need not wait.
    key = zlib.crc32(f"wolfpack-setup:{settings.database_schema}".encode())
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()
