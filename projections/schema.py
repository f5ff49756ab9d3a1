"""The read-model tables' metadata and the position they have reached."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    select,
)

from projections.sql_types import UtcDateTime

metadata = MetaData()


# One row per runner: the last notification applied to every read model below.
tracking = Table(
    "projection_tracking",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


# The shape of the read-model tables. Raise it whenever a table changes: a
# database made for an earlier shape is emptied and replayed when the runner starts.
# 2: a points award is unique per team too; 3: more feed items; 4: the admin log,
# a team's currency and whether it is archived.
SHAPE = 4

shape = Table(
    "projection_shape",
    metadata,
    Column("version", Integer, primary_key=True),
)


# Events no read model could apply, set aside so that the rest of the log moves on.
failures = Table(
    "projection_failure",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("topic", String(200), nullable=False),
    Column("originator_id", Uuid, nullable=False),
    Column("originator_version", Integer, nullable=False),
    Column("error", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)


def ensure_tracking_row(conn: Connection, name: str) -> None:
    """Create the runner's position row at 0 if it is missing."""
    if conn.scalar(select(tracking.c.name).where(tracking.c.name == name)) is None:
        conn.execute(tracking.insert().values(name=name, position=0))


def tracked_position(conn: Connection, name: str) -> int:
    """Return the last position the named runner applied, 0 before the first."""
    query = select(tracking.c.position).where(tracking.c.name == name)
    return int(conn.scalar(query) or 0)


def lock_position(conn: Connection, name: str) -> int:
    """Take the runner's write lock for this transaction; return its position.

    Touching the row first makes PostgreSQL lock it and SQLite take its write
    lock before the position is read, so a second runner waits, then reads the
    position the first one stored: no batch is ever applied twice.
    """
    conn.execute(
        tracking.update()
        .where(tracking.c.name == name)
        .values(position=tracking.c.position)
    )
    return tracked_position(conn, name)


def record_position(conn: Connection, name: str, position: int) -> None:
    """Store the runner's new position (in the caller's transaction)."""
    conn.execute(
        tracking.update().where(tracking.c.name == name).values(position=position)
    )


def stored_shape(conn: Connection) -> int | None:
    """Return the shape recorded for the tables; None if none is (new, or shape 1)."""
    found = conn.scalar(select(shape.c.version))
    return None if found is None else int(found)


def record_shape(conn: Connection) -> None:
    """Say the tables now have this code's shape."""
    conn.execute(shape.delete())
    conn.execute(shape.insert().values(version=SHAPE))
