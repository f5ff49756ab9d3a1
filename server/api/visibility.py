"""Which teams a caller's listings may cover, and whose records a caller may see."""

from __future__ import annotations

from uuid import UUID

from events.errors import NotFoundError
from projections.mentorships import list_mentorships
from projections.teams import team_ids_of, teammate_ids
from server.accounts import get_user
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


def person_scope(user_id: UUID, team_id: UUID | None = None) -> list[UUID] | None:
    """Return the teams of a person's record the caller may see (None: every team).

    The person, teammates and admins see it as any listing (``team_scope``); a
    mentor, while the mentorship lasts, sees the mentee's teams. Anyone else gets
    404, as for an id that does not exist.
    """
    caller = current_user()
    conn = db().connection()
    if caller.is_admin:
        get_user(db(), user_id)
        return team_scope(team_id)
    if user_id == caller.id or user_id in teammate_ids(conn, caller.id):
        return team_scope(team_id)
    mentored = list_mentorships(conn, caller.id, "active")
    mentees = {m["mentee_id"] for m in mentored if m["mentor_id"] == caller.id}
    if user_id not in mentees:
        raise NotFoundError("User not found.")
    theirs = team_ids_of(conn, user_id)
    if team_id is None:
        return theirs
    if team_id not in theirs:
        raise NotFoundError("Team not found.")
    return [team_id]
