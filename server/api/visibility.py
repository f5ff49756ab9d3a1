"""Which teams a caller's listings may cover."""

from __future__ import annotations

from uuid import UUID

from events.errors import NotFoundError
from projections.teams import team_ids_of
from server.auth import current_user
from server.db import db


def team_scope(team_id: UUID | None = None) -> list[UUID] | None:
    """Return the team ids a listing may show: None means every team (admins).

    Asking for one team the caller is not in answers 404, like any hidden id.
    """
    user = current_user()
    mine = None if user.is_admin else team_ids_of(db().connection(), user.id)
    if team_id is None:
        return mine
    if mine is not None and team_id not in mine:
        raise NotFoundError("Team not found.")
    return [team_id]
