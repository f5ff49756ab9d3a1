"""The Team aggregate: who belongs to a sales team, and as what."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from functools import cache
from typing import Any, Literal
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import available_timezones

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, new_id, required_text
from events.errors import (
    AlreadyArchivedError,
    AlreadyMemberError,
    InvalidValueError,
    NotArchivedError,
    NotMemberError,
    PermissionDeniedError,
    RuleViolationError,
    TeamArchivedError,
)

Role = Literal["rep", "leader"]
ROLES: tuple[Role, ...] = ("rep", "leader")
TEAM_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/teams")
NAME_MAX = 100
# ISO 4217's form; the codes themselves change too often to list here.
CURRENCY = re.compile("[A-Z]{3}")


def valid_timezone(name: str) -> str:
    """Return ``name`` if it is a known IANA time zone."""
    if name not in zone_names():
        raise InvalidValueError("timezone", f"Unknown time zone '{name}'.")
    return name


@cache
def zone_names() -> frozenset[str]:
    """Return the time zones a team may have: real places, and UTC."""
    # Only real places (and UTC): not "localtime", "Factory" or "right/…" variants.
    return frozenset(
        zone
        for zone in available_timezones()
        if zone == "UTC" or ("/" in zone and not zone.startswith(("right/", "posix/")))
    )


def valid_currency(code: str) -> str:
    """Return ``code`` if it is a currency code: three capital letters."""
    if CURRENCY.fullmatch(code) is None:
        raise InvalidValueError("currency", "Must be a 3-letter code such as EUR.")
    return code


def _new(current: str | None, value: str) -> str | None:
    """Return ``value``, or None when it is what the team has already."""
    return None if value == current else value


def valid_role(role: str) -> Role:
    """Return ``role`` if it is one a team member can hold."""
    for known in ROLES:
        if role == known:
            return known
    raise InvalidValueError("role", "Must be one of: rep, leader.")


class Team(Aggregate):
    """A sales team: its name, time zone, currency and members with their roles."""

    TOPIC = "wolfpack:Team"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:TeamCreated"
        name: str
        timezone: str

    class MemberAdded(Event):
        TOPIC = "wolfpack:TeamMemberAdded"
        user_id: UUID
        role: str

    class MemberRoleChanged(Event):
        TOPIC = "wolfpack:TeamMemberRoleChanged"
        user_id: UUID
        role: str

    class MemberRemoved(Event):
        TOPIC = "wolfpack:TeamMemberRemoved"
        user_id: UUID

    class Updated(Event):
        """Only the fields that changed are set; the others are None."""

        TOPIC = "wolfpack:TeamUpdated"
        name: str | None
        timezone: str | None
        currency: str | None

    class Archived(Event):
        TOPIC = "wolfpack:TeamArchived"

    class Restored(Event):
        TOPIC = "wolfpack:TeamRestored"

    @classmethod
    def create(cls, actor: Actor, name: str, timezone: str, now: datetime) -> Team:
        """Start a team; only a workspace admin may."""
        if not actor.is_admin:
            raise PermissionDeniedError("Only an admin can create a team.")
        return cls._create(
            cls.Created,
            id=new_id(TEAM_NAMESPACE, actor),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            name=required_text("name", name, NAME_MAX),
            timezone=valid_timezone(timezone),
        )

    @event(Created)
    def __init__(
        self, actor_id: UUID, request_id: str | None, name: str, timezone: str
    ) -> None:
        self.name = name
        self.timezone = timezone
        # Only an update sets these: Created carries neither, so teams recorded
        # before teams had them replay as teams made today.
        self.currency: str | None = None
        self.archived = False
        self.members: dict[UUID, Role] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Team:
        """Return a copy for one command, made in a few µs for any team size.

        The application hands every command its own copy of a cached team; all
        its state but the members and the pending events is ids, text and times,
        which are never changed in place.
        """
        twin = copy.copy(self)
        twin.members = dict(self.members)
        twin._pending_events = list(self._pending_events)
        return twin

    def role_of(self, user_id: UUID) -> Role | None:
        """Return the user's role in this team, or None for a non-member."""
        return self.members.get(user_id)

    def is_member(self, user_id: UUID) -> bool:
        """Tell whether the user belongs to this team, in any role."""
        return user_id in self.members

    def can_lead(self, actor: Actor) -> bool:
        """Tell whether the actor may act as this team's leader."""
        return actor.is_admin or self.role_of(actor.user_id) == "leader"

    def can_see(self, actor: Actor) -> bool:
        """Tell whether the actor may see this team at all."""
        return actor.is_admin or self.is_member(actor.user_id)

    def update(
        self,
        actor: Actor,
        name: str | None,
        timezone: str | None,
        currency: str | None,
        now: datetime,
    ) -> None:
        """Change the name, time zone or currency given (None: keep); admins only.

        Only what differs is recorded, and nothing at all when nothing does.
        """
        self._require_admin(actor, "Only an admin can change a team.")
        if name is not None:
            name = _new(self.name, required_text("name", name, NAME_MAX))
        if timezone is not None:
            timezone = _new(self.timezone, valid_timezone(timezone))
        if currency is not None:
            currency = _new(self.currency, valid_currency(currency))
        if name or timezone or currency:
            self._updated(
                actor.user_id, actor.request_id, name, timezone, currency, timestamp=now
            )

    def archive(self, actor: Actor, now: datetime) -> None:
        """Archive the team: out of listings, no new members; admins only."""
        self._require_admin(actor, "Only an admin can archive a team.")
        if self.archived:
            raise AlreadyArchivedError("The team is already archived.")
        self._archived(actor.user_id, actor.request_id, timestamp=now)

    def restore(self, actor: Actor, now: datetime) -> None:
        """Bring an archived team back into use; admins only."""
        self._require_admin(actor, "Only an admin can restore a team.")
        if not self.archived:
            raise NotArchivedError("The team is not archived.")
        self._restored(actor.user_id, actor.request_id, timestamp=now)

    def add_member(self, actor: Actor, user_id: UUID, role: str, now: datetime) -> None:
        """Add a user in a role; a leader may add reps, only an admin adds leaders."""
        self._require_manager(actor)
        if self.archived:
            raise TeamArchivedError("The team is archived: restore it to add members.")
        new_role = valid_role(role)
        self._require_may_handle(actor, new_role)
        if self.is_member(user_id):
            raise AlreadyMemberError(
                f"That user is already a {self.members[user_id]} of this team."
            )
        self._member_added(
            actor.user_id, actor.request_id, user_id, new_role, timestamp=now
        )

    def change_role(
        self, actor: Actor, user_id: UUID, role: str, now: datetime
    ) -> None:
        """Change a member's role; only an admin grants or removes leadership."""
        self._require_admin(actor, "Only an admin can change a member's role.")
        new_role = valid_role(role)
        current = self._require_member(user_id)
        if current == new_role:
            raise RuleViolationError(f"That member is already a {new_role}.")
        self._member_role_changed(
            actor.user_id, actor.request_id, user_id, new_role, timestamp=now
        )

    def remove_member(self, actor: Actor, user_id: UUID, now: datetime) -> None:
        """Remove a member; a leader may remove reps, only an admin removes leaders."""
        self._require_manager(actor)
        self._require_may_handle(actor, self._require_member(user_id))
        self._member_removed(actor.user_id, actor.request_id, user_id, timestamp=now)

    def _require_admin(self, actor: Actor, message: str) -> None:
        if not actor.is_admin:
            raise PermissionDeniedError(message)

    def _require_manager(self, actor: Actor) -> None:
        if not self.can_lead(actor):
            raise PermissionDeniedError("Only the team's leader or an admin can.")

    def _require_may_handle(self, actor: Actor, role: Role) -> None:
        if role == "leader" and not actor.is_admin:
            raise PermissionDeniedError("Only an admin can add or remove a leader.")

    def _require_member(self, user_id: UUID) -> Role:
        role = self.role_of(user_id)
        if role is None:
            raise NotMemberError("That user is not a member of this team.")
        return role

    # State changes only (they run again on replay); ``timestamp`` is the event's.

    @event(MemberAdded)
    def _member_added(
        self,
        actor_id: UUID,
        request_id: str | None,
        user_id: UUID,
        role: Role,
        timestamp: datetime,
    ) -> None:
        self.members[user_id] = role

    @event(MemberRoleChanged)
    def _member_role_changed(
        self,
        actor_id: UUID,
        request_id: str | None,
        user_id: UUID,
        role: Role,
        timestamp: datetime,
    ) -> None:
        self.members[user_id] = role

    @event(MemberRemoved)
    def _member_removed(
        self, actor_id: UUID, request_id: str | None, user_id: UUID, timestamp: datetime
    ) -> None:
        del self.members[user_id]

    @event(Updated)
    def _updated(
        self,
        actor_id: UUID,
        request_id: str | None,
        name: str | None,
        timezone: str | None,
        currency: str | None,
        timestamp: datetime,
    ) -> None:
        self.name = name or self.name
        self.timezone = timezone or self.timezone
        self.currency = currency or self.currency

    @event(Archived)
    def _archived(
        self, actor_id: UUID, request_id: str | None, timestamp: datetime
    ) -> None:
        self.archived = True

    @event(Restored)
    def _restored(
        self, actor_id: UUID, request_id: str | None, timestamp: datetime
    ) -> None:
        self.archived = False
