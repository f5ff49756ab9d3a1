"""The DealReview aggregate: a rep asks about a deal, teammates give feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, new_id, required_text
from events.errors import PermissionDeniedError, RuleViolationError
from events.team import Team

DealReviewStatus = Literal["open", "closed"]
DEAL_REVIEW_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/deal-reviews")
FEEDBACK_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/deal-feedback")
DEAL_MAX = 200
QUESTION_MAX = 2000
NOTE_MAX = 4000


class DealReviewClosedError(RuleViolationError):
    """Raised when feedback is given on, or a close sent to, a closed deal review."""

    code = "deal_review_closed"


class AlreadyGaveFeedbackError(RuleViolationError):
    """Raised when a reviewer gives a second piece of feedback on one deal review."""

    code = "already_gave_feedback"


@dataclass(frozen=True)
class Feedback:
    """One reviewer's note on a deal review."""

    id: UUID
    from_user_id: UUID
    note: str
    given_at: datetime


def feedback_id(review_id: UUID, reviewer_id: UUID) -> UUID:
    """Return the one id a reviewer's feedback on a review can have."""
    return uuid5(FEEDBACK_NAMESPACE, f"{review_id}:{reviewer_id}")


class DealReview(Aggregate):
    """A team member's question about a deal, and their teammates' feedback."""

    TOPIC = "wolfpack:DealReview"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:DealReviewRequested"
        team_id: UUID
        requested_by: UUID
        deal: str
        question: str

    class FeedbackGiven(Event):
        """The reviewer is ``actor_id``; team and requester ride along for scoring."""

        TOPIC = "wolfpack:DealReviewFeedbackGiven"
        feedback_id: UUID
        team_id: UUID
        requested_by: UUID
        note: str

    class Closed(Event):
        TOPIC = "wolfpack:DealReviewClosed"
        team_id: UUID

    @classmethod
    def request(
        cls, actor: Actor, team: Team, deal: str, question: str, now: datetime
    ) -> DealReview:
        """Ask one's team for a review of a deal; team members only."""
        if not team.is_member(actor.user_id):
            raise PermissionDeniedError("Only team members ask for deal reviews.")
        return cls._create(
            cls.Created,
            id=new_id(DEAL_REVIEW_NAMESPACE, actor),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team.id,
            requested_by=actor.user_id,
            deal=required_text("deal", deal, DEAL_MAX),
            question=required_text("question", question, QUESTION_MAX),
        )

    @event(Created)
    def __init__(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        requested_by: UUID,
        deal: str,
        question: str,
    ) -> None:
        self.team_id = team_id
        self.requested_by = requested_by
        self.deal = deal
        self.question = question
        self.status: DealReviewStatus = "open"
        self.feedback: list[Feedback] = []
        self.closed_by: UUID | None = None
        self.closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Tell whether the review still takes feedback."""
        return self.status == "open"

    def has_feedback_from(self, user_id: UUID) -> bool:
        """Tell whether the user already gave feedback on this review."""
        return any(f.from_user_id == user_id for f in self.feedback)

    def give_feedback(self, actor: Actor, team: Team, note: str, now: datetime) -> None:
        """Give one's feedback once; teammates and the leader, not the requester."""
        if not team.is_member(actor.user_id):
            raise PermissionDeniedError("Only the team's members give feedback.")
        if actor.user_id == self.requested_by:
            raise PermissionDeniedError("You cannot review your own deal.")
        self._require_open()
        if self.has_feedback_from(actor.user_id):
            raise AlreadyGaveFeedbackError(
                "You already gave feedback on this deal review."
            )
        text = required_text("note", note, NOTE_MAX)
        self._feedback_given(
            actor.user_id,
            actor.request_id,
            feedback_id(self.id, actor.user_id),
            self.team_id,
            self.requested_by,
            text,
            timestamp=now,
        )

    def close(self, actor: Actor, as_leader: bool, now: datetime) -> None:
        """Close the review; its requester, the team's leader or an admin."""
        if actor.user_id != self.requested_by and not as_leader:
            raise PermissionDeniedError(
                "Only the requester, the team's leader or an admin can close it."
            )
        self._require_open()
        self._closed(actor.user_id, actor.request_id, self.team_id, timestamp=now)

    def _require_open(self) -> None:
        if not self.is_open:
            raise DealReviewClosedError("This deal review is closed.")

    # State changes only: they run again on replay, where no rule is re-checked.

    @event(FeedbackGiven)
    def _feedback_given(
        self,
        actor_id: UUID,
        request_id: str | None,
        feedback_id: UUID,
        team_id: UUID,
        requested_by: UUID,
        note: str,
        timestamp: datetime,
    ) -> None:
        self.feedback.append(Feedback(feedback_id, actor_id, note, timestamp))

    @event(Closed)
    def _closed(
        self,
        actor_id: UUID,
        request_id: str | None,
        team_id: UUID,
        timestamp: datetime,
    ) -> None:
        self.status = "closed"
        self.closed_by = actor_id
        self.closed_at = timestamp
