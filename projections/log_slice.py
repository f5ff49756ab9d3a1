"""Some aggregates' events from the notification log, in log order, in batches.

eventsourcing reads the log only whole (``select_notifications``) or one aggregate
at a time without positions (``select_events``). Replaying one team's past needs
its aggregates' events with their positions, so this reads them from the
recorder's own table by its primary key (originator id) on SQLite and PostgreSQL:
first the positions, then the events at those positions, a batch at a time, so
memory stays small however long the team's history is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.sqlite import SQLiteApplicationRecorder

# Ids or positions per statement: well under SQLite's limit on parameters.
CHUNK = 500


def whole_log(
    recorder: ApplicationRecorder, batch_size: int, after: int = 0
) -> Iterator[Sequence[Notification]]:
    """Yield every notification past ``after``, in log order, in batches."""
    position = after
    while notifications := recorder.select_notifications(
        start=position + 1, limit=batch_size
    ):
        yield notifications
        position = notifications[-1].id


def events_of(
    recorder: ApplicationRecorder,
    aggregate_ids: Collection[UUID],
    until: int,
    batch_size: int,
) -> Iterator[Sequence[Notification]]:
    """Yield these aggregates' notifications up to ``until``, then all the rest.

    Past ``until`` the whole log follows: the caller knew of every aggregate that
    matters only that far.
    """
    positions = sorted(_positions(recorder, list(aggregate_ids), until))
    for start in range(0, len(positions), batch_size):
        yield _at(recorder, positions[start : start + batch_size])
    yield from whole_log(recorder, batch_size, after=until)


def _positions(recorder: ApplicationRecorder, ids: list[UUID], until: int) -> list[int]:
    found: list[int] = []
    if isinstance(recorder, SQLiteApplicationRecorder):
        table = recorder.events_table_name
        with recorder.datastore.transaction(commit=False) as c:
            for chunk in chunks([i.hex for i in ids]):
                marks = ",".join("?" * len(chunk))
                # The recorder's own table name; every value is bound.
                where = f"WHERE originator_id IN ({marks}) AND rowid <= ?"
                query = f"SELECT rowid FROM {table} {where}"  # noqa: S608
                c.execute(query, [*chunk, until])
                found.extend(row[0] for row in c.fetchall())
        return found
    # Only with the postgres extra installed, so imported only when needed.
    from projections.log_slice_postgres import positions

    return positions(recorder, ids, until)


def _at(recorder: ApplicationRecorder, positions: list[int]) -> list[Notification]:
    if isinstance(recorder, SQLiteApplicationRecorder):
        table = recorder.events_table_name
        marks = ",".join("?" * len(positions))
        with recorder.datastore.transaction(commit=False) as c:
            where = f"WHERE rowid IN ({marks}) ORDER BY rowid"
            query = f"SELECT rowid, * FROM {table} {where}"  # noqa: S608
            c.execute(query, positions)
            return [
                Notification(
                    id=row["rowid"],
                    originator_id=recorder.convert_originator_id(row["originator_id"]),
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in c.fetchall()
            ]
    from projections.log_slice_postgres import notifications_at

    return notifications_at(recorder, positions)


def chunks(values: list[Any]) -> list[list[Any]]:
    """Split ``values`` into lists short enough for one statement."""
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]
