"""Use cases of deal reviews: asked by a rep, answered by teammates, closed."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from events.base import Actor
from events.core import Change, Core
from events.deal_review import DEAL_REVIEW_NAMESPACE, DealReview
from events.team import Team


class DealReviewCases(Core):
    """Every command and query on deal reviews."""

    def request_deal_review(
        self, actor: Actor, team_id: UUID, deal: str, question: str
    ) -> Change[DealReview]:
        """Ask the actor's team for feedback on a deal."""
        if retried := self._retried(DealReview, DEAL_REVIEW_NAMESPACE, actor):
            return retried
        team = self.get_team(actor, team_id)
        review = DealReview.request(actor, team, deal, question, self.clock())
        return self._create(review)

    def get_deal_review(self, actor: Actor, review_id: UUID) -> DealReview:
        """Return a deal review the actor may see: their team's, or any for admins."""
        review = self._get(DealReview, review_id)
        self._deal_review_team(actor, review)
        return review

    def give_deal_feedback(
        self,
        actor: Actor,
        review_id: UUID,
        note: str,
        expected_version: int | None = None,
    ) -> Change[DealReview]:
        """Give feedback on a teammate's open deal review, once."""
        return self._change_deal_review(
            actor,
            review_id,
            lambda r, team: r.give_feedback(actor, team, note, self.clock()),
            expected_version,
        )

    def close_deal_review(
        self, actor: Actor, review_id: UUID, expected_version: int | None = None
    ) -> Change[DealReview]:
        """Close a deal review (its requester, the team's leader or an admin)."""
        return self._change_deal_review(
            actor,
            review_id,
            lambda r, team: r.close(actor, team.can_lead(actor), self.clock()),
            expected_version,
        )

    def deal_review_history(
        self, actor: Actor, review_id: UUID
    ) -> list[DealReview.Event]:
        """Return every event of a deal review the actor may see, oldest first."""
        self.get_deal_review(actor, review_id)
        return list(self._events_of(review_id))

    def _change_deal_review(
        self,
        actor: Actor,
        review_id: UUID,
        decide: Callable[[DealReview, Team], None],
        expected_version: int | None,
    ) -> Change[DealReview]:
        return self._change(
            actor,
            DealReview,
            review_id,
            lambda r: self._deal_review_team(actor, r),
            decide,
            expected_version,
        )

    def _deal_review_team(self, actor: Actor, review: DealReview) -> Team:
        return self._team_of(actor, review.team_id, "Deal review")
