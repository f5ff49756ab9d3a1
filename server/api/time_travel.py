"""Read models now, or as they were at a past moment (``as_of``), for some teams."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection

from projections.replay import replay_until, team_scope
from projections.runner import ReadModel
from server.db import db
from server.services import services


@contextmanager
def read_models_as_of(
    as_of: datetime | None,
    read_models: Sequence[ReadModel],
    team_ids: Collection[UUID] | None,
) -> Iterator[tuple[Connection, int]]:
    """Yield a connection to the read models and the log position they show.

    Without ``as_of``, the live ones. With it, ``read_models`` replayed up to that
    moment into a private database: only the events that can change ``team_ids``'
    rows (every event when None), so ask only for those teams' rows.
    """
    if as_of is None:
        yield db().connection(), services().projections.stored_position()
        return
    app = services().events
    scope = None if team_ids is None else team_scope(db().connection(), team_ids)
    past = replay_until(app.recorder, app.mapper, read_models, as_of, scope)
    try:
        with past.engine.connect() as conn:
            yield conn, past.position
    finally:
        past.engine.dispose()
