"""A person's own display preferences, such as hiding their name on the team screen."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent

PREFERENCES_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/preferences")


def preferences_id(user_id: UUID) -> UUID:
    """Return the id of a user's one preferences record."""
    return uuid5(PREFERENCES_NAMESPACE, str(user_id))


class Preferences(Aggregate):
    """What a user chose about how they are shown to others."""

    TOPIC = "wolfpack:Preferences"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:PreferencesCreated"
        user_id: UUID

    class TeamScreenVisibilityChanged(Event):
        TOPIC = "wolfpack:TeamScreenVisibilityChanged"
        hidden: bool

    @classmethod
    def start(cls, actor: Actor, now: datetime) -> Preferences:
        """Open the actor's own preferences record (every user starts visible)."""
        return cls._create(
            cls.Created,
            id=preferences_id(actor.user_id),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            user_id=actor.user_id,
        )

    @event(Created)
    def __init__(self, actor_id: UUID, request_id: str | None, user_id: UUID) -> None:
        self.user_id = user_id
        self.hidden_on_team_screen = False

    def set_hidden_on_team_screen(
        self, actor: Actor, hidden: bool, now: datetime
    ) -> None:
        """Hide or show one's name on the public team screen (no-op if unchanged)."""
        if hidden != self.hidden_on_team_screen:
            self._visibility_changed(
                actor.user_id, actor.request_id, hidden, timestamp=now
            )

    @event(TeamScreenVisibilityChanged)
    def _visibility_changed(
        self, actor_id: UUID, request_id: str | None, hidden: bool, timestamp: datetime
    ) -> None:
        self.hidden_on_team_screen = hidden
