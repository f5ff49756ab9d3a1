"""Use cases of performance reviews: drafted, revised, shared, acknowledged."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from events.base import Actor
from events.core import Change, Core
from events.errors import NotFoundError
from events.review import Review, ReviewExistsError, review_id
from events.team import Team


class ReviewCases(Core):
    """Reviews a team's leader writes about its members, per period."""

    def write_review(
        self,
        actor: Actor,
        team_id: UUID,
        user_id: UUID,
        period: str,
        summary: str,
        feedback: str,
    ) -> Change[Review]:
        """Draft a review of a team member for a period (the team's leader)."""
        existing = self._find(Review, review_id(team_id, user_id, period.strip()))
        if existing is not None and self._already_recorded(existing.id, actor):
            return Change(existing, self._head())
        team = self.get_team(actor, team_id)
        review = Review.draft(
            actor, team, user_id, period, summary, feedback, self.clock()
        )
        if existing is not None:
            raise self._performance_review_exists(review)
        try:
            return self._saved(review)
        except IntegrityError:
            # Someone wrote it meanwhile: a retry of ours, or a second review.
            return self.write_review(actor, team_id, user_id, period, summary, feedback)

    def get_review(self, actor: Actor, review_id_: UUID) -> Review:
        """Return a review the actor may see."""
        review = self._get(Review, review_id_)
        self._performance_review_team(actor, review)
        return review

    def revise_review(
        self,
        actor: Actor,
        review_id_: UUID,
        summary: str | None,
        feedback: str | None,
        reason: str,
        expected_version: int | None = None,
    ) -> Change[Review]:
        """Rewrite a draft review, with a reason (its reviewer or the leader)."""
        return self._change_performance_review(
            actor,
            review_id_,
            lambda r, team: r.revise(
                actor, team.can_lead(actor), summary, feedback, reason, self.clock()
            ),
            expected_version,
        )

    def share_review(
        self, actor: Actor, review_id_: UUID, expected_version: int | None = None
    ) -> Change[Review]:
        """Share a draft review with the reviewed member (the team's leader)."""
        return self._change_performance_review(
            actor,
            review_id_,
            lambda r, team: r.share(actor, team.can_lead(actor), self.clock()),
            expected_version,
        )

    def acknowledge_review(
        self,
        actor: Actor,
        review_id_: UUID,
        comment: str | None,
        expected_version: int | None = None,
    ) -> Change[Review]:
        """Acknowledge a review of oneself once it is shared."""
        return self._change_performance_review(
            actor,
            review_id_,
            lambda r, _: r.acknowledge(actor, comment, self.clock()),
            expected_version,
        )

    def review_history(self, actor: Actor, review_id_: UUID) -> list[Review.Event]:
        """Return every event of a review the actor may see, oldest first."""
        self.get_review(actor, review_id_)
        return list(self._events_of(review_id_))

    def _change_performance_review(
        self,
        actor: Actor,
        review_id_: UUID,
        decide: Callable[[Review, Team], None],
        expected_version: int | None,
    ) -> Change[Review]:
        return self._change(
            actor,
            Review,
            review_id_,
            lambda r: self._performance_review_team(actor, r),
            decide,
            expected_version,
        )

    def _performance_review_team(self, actor: Actor, review: Review) -> Team:
        """Return the review's team; hide the review from those who may not see it."""
        team = self._get(Team, review.team_id)
        if not review.visible_to(actor, team):
            raise NotFoundError("Review not found.")
        return team

    @staticmethod
    def _performance_review_exists(review: Review) -> ReviewExistsError:
        return ReviewExistsError(
            f"This member already has a review for {review.period}."
        )
