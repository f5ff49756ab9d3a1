"""Read model of who asked to be hidden on the public team screen."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import Boolean, Column, Connection, Table, Uuid, select

from events.preferences import Preferences
from projections.batch import Batch
from projections.schema import metadata

preferences = Table(
    "preferences_view",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    Column("hidden_on_team_screen", Boolean, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the preferences table (other events are ignored)."""
    if isinstance(event, Preferences.Created):
        batch.save(
            preferences, {"user_id": event.user_id, "hidden_on_team_screen": False}
        )
    elif isinstance(event, Preferences.TeamScreenVisibilityChanged):
        batch.update(preferences, event.actor_id, hidden_on_team_screen=event.hidden)


# How a member who hides from the team screen appears on it.
ANONYMOUS = "A teammate"


def hidden_on_team_screen(conn: Connection, user_ids: Iterable[UUID]) -> set[UUID]:
    """Return which of these users asked to be hidden on the team screen."""
    c = preferences.c
    query = select(c.user_id).where(
        c.user_id.in_(list(user_ids)), c.hidden_on_team_screen.is_(True)
    )
    return set(conn.scalars(query))
