"""The record of accounts and credentials: who changed what, and when.

Accounts, API tokens and team-screen tokens live in SQL, where sign-in reads them
(their secrets never enter the log). Every change to them is also recorded here,
as events, so the admin log cannot be silently rewritten. These aggregates keep
no rules of their own: the SQL change is decided first, in one transaction with
a pending record that is then published here (see ``server/admin_records.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from events.base import WolfpackEvent

# The actor of changes made from the command line or by the app itself.
SYSTEM_ACTOR = UUID(int=0)


class Account(Aggregate):
    """A person's account: their name, email, admin rights and whether it is active."""

    TOPIC = "wolfpack:Account"

    class Event(WolfpackEvent):
        def apply(self, aggregate: Any) -> None:
            """Change nothing: most account events only record what happened."""

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:AccountOpened"
        email: str
        name: str
        is_admin: bool
        invited: bool

    class Updated(Event):
        TOPIC = "wolfpack:AccountUpdated"
        # The fields that changed (name, email, is_admin), with their new values.
        changes: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            """Take the new values."""
            for field, value in self.changes.items():
                setattr(aggregate, field, value)

    class Deactivated(Event):
        TOPIC = "wolfpack:AccountDeactivated"

        def apply(self, aggregate: Any) -> None:
            """Mark the account inactive."""
            aggregate.active = False

    class Reactivated(Event):
        TOPIC = "wolfpack:AccountReactivated"

        def apply(self, aggregate: Any) -> None:
            """Mark the account active again."""
            aggregate.active = True

    class PasswordSet(Event):
        TOPIC = "wolfpack:AccountPasswordSet"
        # own (changed it), reset_link, invitation (accepted it) or command_line.
        how: str

        def apply(self, aggregate: Any) -> None:
            """An invited person who set a password has joined."""
            aggregate.invited = False

    class ResetLinkIssued(Event):
        TOPIC = "wolfpack:AccountResetLinkIssued"
        expires_at: datetime

    class InvitationSent(Event):
        TOPIC = "wolfpack:AccountInvitationSent"
        expires_at: datetime
        team_id: UUID | None
        role: str | None

    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        email: str,
        name: str,
        is_admin: bool,
        invited: bool,
    ) -> None:
        self.email = email
        self.name = name
        self.is_admin = is_admin
        self.invited = invited
        self.active = True


class AccessToken(Aggregate):
    """An API token's life: issued for a person, perhaps revoked."""

    TOPIC = "wolfpack:AccessToken"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:AccessTokenIssued"
        user_id: UUID
        name: str

    class Revoked(Event):
        TOPIC = "wolfpack:AccessTokenRevoked"

        def apply(self, aggregate: Any) -> None:
            """Mark the token revoked."""
            aggregate.revoked = True

    def __init__(
        self, actor_id: UUID, request_id: str | None, user_id: UUID, name: str
    ) -> None:
        self.user_id = user_id
        self.name = name
        self.revoked = False


class TeamScreen(Aggregate):
    """A team-screen token's life: issued for a team, perhaps revoked."""

    TOPIC = "wolfpack:TeamScreen"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:TeamScreenIssued"
        team_id: UUID
        name: str

    class Revoked(Event):
        TOPIC = "wolfpack:TeamScreenRevoked"

        def apply(self, aggregate: Any) -> None:
            """Mark the screen token revoked."""
            aggregate.revoked = True

    def __init__(
        self, actor_id: UUID, request_id: str | None, team_id: UUID, name: str
    ) -> None:
        self.team_id = team_id
        self.name = name
        self.revoked = False


RECORDED = {cls.__name__: cls for cls in (Account, AccessToken, TeamScreen)}
