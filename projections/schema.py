"""The read-model tables' metadata and the position they have reached."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Dialect,
    MetaData,
    String,
    Table,
    TypeDecorator,
    select,
)

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back time-zone aware, on every database.

    SQLite keeps no offset, so an aware time with a non-UTC offset would come back
    as the wrong instant; normalising to UTC on the way in avoids that.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Convert to UTC before storing."""
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("UtcDateTime needs a time-zone aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# One row per runner: the last notification applied to every read model below.
tracking = Table(
    "projection_tracking",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


def tracked_position(conn: Connection, name: str) -> int:
    """Return the last position the named runner applied, 0 before the first."""
    position = conn.scalar(select(tracking.c.position).where(tracking.c.name == name))
    return int(position or 0)


def record_position(conn: Connection, name: str, position: int) -> None:
    """Store the runner's new position (in the caller's transaction)."""
    updated = conn.execute(
        tracking.update().where(tracking.c.name == name).values(position=position)
    )
    if updated.rowcount == 0:
        conn.execute(tracking.insert().values(name=name, position=position))
