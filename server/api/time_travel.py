"""Read models now, or as they were at a past moment (``as_of``), for some teams."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, Table

from events.errors import FieldRuleError
from projections.replay import replay_until, team_scope
from projections.runner import RUNNER_NAME, ReadModel
from projections.schema import tracked_position
from server.db import db
from server.services import services


@dataclass(frozen=True)
class PastView:
    """What a view replays to show the past: read models, and the tables it queries."""

    read_models: Sequence[ReadModel]
    tables: Collection[Table]


@contextmanager
def read_models_as_of(
    as_of: datetime | None, view: PastView, team_ids: Collection[UUID] | None
) -> Iterator[tuple[Connection, int]]:
    """Yield a connection to the read models and the log position they show.

    Without ``as_of``, the live ones. With it (never in the future), the view's
    read models replayed up to that moment into a private database: only the
    events that can change ``team_ids``' rows (every event when None), and only
    the view's tables, so query only those, for those teams.
    """
    if as_of is None:
        conn = db().connection()
        yield conn, tracked_position(conn, RUNNER_NAME)
        return
    app = services().events
    if as_of > app.clock():
        # Nothing has happened there yet: a replay would show today, labelled then.
        raise FieldRuleError("as_of", "Must not be in the future.")
    scope = None if team_ids is None else team_scope(db().connection(), team_ids)
    past = replay_until(
        app.recorder, app.mapper, view.read_models, as_of, scope, view.tables
    )
    try:
        with past.engine.connect() as conn:
            yield conn, past.position
    finally:
        past.engine.dispose()
