"""The Review aggregate: a leader's periodic performance review of a team member."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, optional_text, required_text
from events.errors import (
    FieldRuleError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.periods import parse_period
from events.team import Team

ReviewStatus = Literal["draft", "shared"]
REVIEW_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/reviews")
REVIEW_PERIODS = ("month", "quarter", "year")
SUMMARY_MAX = 4000
FEEDBACK_MAX = 8000
REASON_MAX = 2000
COMMENT_MAX = 4000


class ReviewExistsError(RuleViolationError):
    """Raised when a second review is written for the same member and period."""

    code = "review_exists"


class ReviewSharedError(RuleViolationError):
    """Raised when a shared review is revised or shared again."""

    code = "review_shared"


class ReviewNotSharedError(RuleViolationError):
    """Raised when a review is acknowledged before it has been shared."""

    code = "review_not_shared"


class ReviewAcknowledgedError(RuleViolationError):
    """Raised when the reviewed member acknowledges a review a second time."""

    code = "review_acknowledged"


def review_id(team_id: UUID, user_id: UUID, period: str) -> UUID:
    """Return the one id a member's review in a team for a period can have."""
    return uuid5(REVIEW_NAMESPACE, f"{team_id}:{user_id}:{period}")


class Review(Aggregate):
    """One member's review for one month, quarter or year: drafted, shared, read."""

    TOPIC = "wolfpack:Review"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:ReviewDrafted"
        team_id: UUID
        user_id: UUID
        period: str
        summary: str
        feedback: str

    class Revised(Event):
        TOPIC = "wolfpack:ReviewRevised"
        summary: str
        feedback: str
        reason: str

    class Shared(Event):
        TOPIC = "wolfpack:ReviewShared"

    class Acknowledged(Event):
        TOPIC = "wolfpack:ReviewAcknowledged"
        comment: str | None

    @classmethod
    def draft(
        cls,
        actor: Actor,
        team: Team,
        user_id: UUID,
        period: str,
        summary: str,
        feedback: str,
        now: datetime,
    ) -> Review:
        """Draft a review of a team member (the team's leader or an admin)."""
        if not team.can_lead(actor):
            raise PermissionDeniedError("Only the team's leader writes reviews.")
        if user_id == actor.user_id:
            raise PermissionDeniedError("You cannot review yourself.")
        if not team.is_member(user_id):
            raise FieldRuleError("user_id", "Not a member of this team.")
        # Stripped: the period is part of the id, so "2026\n" must name 2026.
        named = parse_period(period.strip(), REVIEW_PERIODS).name
        return cls._create(
            cls.Created,
            id=review_id(team.id, user_id, named),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            user_id=user_id,
            period=named,
            summary=required_text("summary", summary, SUMMARY_MAX),
            feedback=required_text("feedback", feedback, FEEDBACK_MAX),
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        user_id: UUID,
        period: str,
        summary: str,
        feedback: str,
    ) -> None:
        self.team_id = team_id
        self.user_id = user_id
        self.reviewer_id = actor_id
        self.period = period
        self.summary = summary
        self.feedback = feedback
        self.status: ReviewStatus = "draft"
        self.revision_count = 0
        self.shared_at: datetime | None = None
        self.acknowledged_at: datetime | None = None
        self.acknowledgement: str | None = None

    def visible_to(self, actor: Actor, team: Team) -> bool:
        """Tell whether the actor may see this review at all.

        The reviewed member sees it once shared, even as the team's leader;
        the team's leaders, admins and the reviewer (still a member) always.
        """
        if actor.is_admin:
            return True
        if actor.user_id == self.user_id:
            return self.status == "shared"
        if actor.user_id == self.reviewer_id and team.is_member(actor.user_id):
            return True
        return team.can_lead(actor)

    def revise(
        self,
        actor: Actor,
        as_leader: bool,
        summary: str | None,
        feedback: str | None,
        reason: str,
        now: datetime,
    ) -> None:
        """Rewrite a draft's summary or feedback, saying why (reviewer or leader)."""
        if not as_leader and actor.user_id != self.reviewer_id:
            raise PermissionDeniedError("Only the reviewer or the team's leader can.")
        if actor.user_id == self.user_id and not actor.is_admin:
            raise PermissionDeniedError("You cannot revise your own review.")
        self._require_draft("revised")
        new_summary = self._new_text("summary", summary, self.summary, SUMMARY_MAX)
        new_feedback = self._new_text("feedback", feedback, self.feedback, FEEDBACK_MAX)
        if (new_summary, new_feedback) == (self.summary, self.feedback):
            field = (
                "feedback" if summary is None and feedback is not None else "summary"
            )
            raise FieldRuleError(field, "Must change the summary or the feedback.")
        why = required_text("reason", reason, REASON_MAX)
        self._revised(
            actor.user_id,
            actor.request_id,
            new_summary,
            new_feedback,
            why,
            timestamp=now,
        )

    def share(self, actor: Actor, as_leader: bool, now: datetime) -> None:
        """Share the draft with the reviewed member (the team's leader or an admin)."""
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader shares reviews.")
        if actor.user_id == self.user_id and not actor.is_admin:
            raise PermissionDeniedError("You cannot share your own review.")
        self._require_draft("shared")
        self._shared(actor.user_id, actor.request_id, timestamp=now)

    def acknowledge(self, actor: Actor, comment: str | None, now: datetime) -> None:
        """Acknowledge a shared review, with an optional comment (the reviewed)."""
        if actor.user_id != self.user_id:
            raise PermissionDeniedError("Only the reviewed member acknowledges it.")
        if self.status != "shared":
            raise ReviewNotSharedError("This review has not been shared yet.")
        if self.acknowledged_at is not None:
            raise ReviewAcknowledgedError("You already acknowledged this review.")
        text = optional_text("comment", comment, COMMENT_MAX)
        self._acknowledged(actor.user_id, actor.request_id, text, timestamp=now)

    def _require_draft(self, verb: str) -> None:
        if self.status != "draft":
            raise ReviewSharedError(f"A shared review cannot be {verb}.")

    @staticmethod
    def _new_text(field: str, value: str | None, current: str, limit: int) -> str:
        return current if value is None else required_text(field, value, limit)

    # State changes only; they run again on replay.

    @event(Revised)
    def _revised(
        self,
        actor_id: UUID,
        request_id: str | None,
        summary: str,
        feedback: str,
        reason: str,
        timestamp: datetime,
    ) -> None:
        self.summary = summary
        self.feedback = feedback
        self.revision_count += 1

    @event(Shared)
    def _shared(
        self, actor_id: UUID, request_id: str | None, timestamp: datetime
    ) -> None:
        self.status = "shared"
        self.shared_at = timestamp

    @event(Acknowledged)
    def _acknowledged(
        self,
        actor_id: UUID,
        request_id: str | None,
        comment: str | None,
        timestamp: datetime,
    ) -> None:
        self.acknowledged_at = timestamp
        self.acknowledgement = comment
