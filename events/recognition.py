"""The Recognition aggregate: a leader's award to a team member, on the record."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, new_id, required_text
from events.errors import (
    FieldRuleError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.team import Team

RECOGNITION_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/recognitions")
TITLE_MAX = 120
MESSAGE_MAX = 2000
REASON_MAX = 2000


class SelfRecognitionError(RuleViolationError):
    """Raised when someone tries to give a recognition award to themself."""

    code = "self_recognition"


class RecognitionWithdrawnError(RuleViolationError):
    """Raised when a recognition that was already withdrawn is withdrawn again."""

    code = "already_withdrawn"


class Recognition(Aggregate):
    """An award the team's leader (or an admin) gives one member, with a message."""

    TOPIC = "wolfpack:Recognition"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:RecognitionGiven"
        team_id: UUID
        from_user_id: UUID
        to_user_id: UUID
        title: str
        message: str

    class Withdrawn(Event):
        """Names the team and receiver, so a read model can take back the award."""

        TOPIC = "wolfpack:RecognitionWithdrawn"
        team_id: UUID
        to_user_id: UUID
        reason: str

    @classmethod
    def give(
        cls,
        actor: Actor,
        team: Team,
        to_user_id: UUID,
        title: str,
        message: str,
        now: datetime,
    ) -> Recognition:
        """Give a team member an award; only the team's leader or an admin may."""
        if not team.can_lead(actor):
            raise PermissionDeniedError(
                "Only the team's leader or an admin gives recognition awards."
            )
        if to_user_id == actor.user_id:
            raise SelfRecognitionError("You cannot give yourself a recognition award.")
        if not team.is_member(to_user_id):
            raise FieldRuleError("to_user_id", "Not a member of this team.")
        return cls._create(
            cls.Created,
            id=new_id(RECOGNITION_NAMESPACE, actor),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            from_user_id=actor.user_id,
            to_user_id=to_user_id,
            title=required_text("title", title, TITLE_MAX),
            message=required_text("message", message, MESSAGE_MAX),
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        from_user_id: UUID,
        to_user_id: UUID,
        title: str,
        message: str,
    ) -> None:
        self.team_id = team_id
        self.from_user_id = from_user_id
        self.to_user_id = to_user_id
        self.title = title
        self.message = message
        self.withdrawn_by: UUID | None = None
        self.withdrawn_at: datetime | None = None
        self.withdrawal_reason: str | None = None

    @property
    def given_at(self) -> datetime:
        """Return when the award was given."""
        return self.created_on

    @property
    def is_withdrawn(self) -> bool:
        """Tell whether the award was taken back."""
        return self.withdrawn_at is not None

    def withdraw(self, actor: Actor, reason: str, now: datetime) -> None:
        """Take the award back, saying why; its giver or an admin only."""
        if actor.user_id != self.from_user_id and not actor.is_admin:
            raise PermissionDeniedError(
                "Only the giver or an admin can withdraw a recognition."
            )
        if self.is_withdrawn:
            raise RecognitionWithdrawnError("This recognition is already withdrawn.")
        why = required_text("reason", reason, REASON_MAX)
        self._withdrawn(
            actor.user_id,
            actor.request_id,
            self.team_id,
            self.to_user_id,
            why,
            timestamp=now,
        )

    # State changes only: they run again on replay, where no rule is re-checked.

    @event(Withdrawn)
    def _withdrawn(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        to_user_id: UUID,
        reason: str,
        timestamp: datetime,
    ) -> None:
        self.withdrawn_by = actor_id
        self.withdrawn_at = timestamp
        self.withdrawal_reason = reason
