"""The PostgreSQL half of ``log_slice``: imported only when the store is PostgreSQL.

psycopg comes with the ``postgres`` extra; a plain install runs on SQLite alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from projections.log_slice import chunks


def positions(recorder: ApplicationRecorder, ids: list[UUID], until: int) -> list[int]:
    """Return the log positions of these aggregates' events up to ``until``."""
    query = SQL(
        "SELECT notification_id FROM {}"
        " WHERE originator_id = ANY(%s) AND notification_id <= %s"
    )
    params = [[chunk, until] for chunk in chunks(ids)]
    return [
        row["notification_id"] for rows in _run(recorder, query, params) for row in rows
    ]


def notifications_at(
    recorder: ApplicationRecorder, at: list[int]
) -> list[Notification]:
    """Return the notifications at these positions, in log order."""
    query = SQL(
        "SELECT * FROM {} WHERE notification_id = ANY(%s) ORDER BY notification_id"
    )
    [rows] = _run(recorder, query, [[at]])
    return [
        Notification(
            id=row["notification_id"],
            originator_id=row["originator_id"],
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )
        for row in rows
    ]


def _run(
    recorder: ApplicationRecorder, query: SQL, params: Sequence[list[Any]]
) -> list[list[dict[str, Any]]]:
    """Run ``query`` (its table left as ``{}``) once per list of parameters."""
    if not isinstance(recorder, PostgresApplicationRecorder):
        raise TypeError(f"Cannot read {type(recorder).__name__} by aggregate")
    table = Identifier(recorder.datastore.schema, recorder.events_table_name)
    statement = query.format(table)
    results = []
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        for values in params:
            curs.execute(statement, values)
            results.append(curs.fetchall())
    return results
