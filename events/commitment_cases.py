"""Use cases of commitments: made, worked on, kept, missed, withdrawn, called out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from events.base import Actor
from events.commitment import COMMITMENT_NAMESPACE, Commitment
from events.core import Change, Core
from events.team import Team


class CommitmentCases(Core):
    """Every command and query on commitments."""

    def make_commitment(
        self,
        actor: Actor,
        team_id: UUID,
        title: str,
        description: str | None,
        due_at: datetime,
        witness_ids: list[UUID],
    ) -> Change[Commitment]:
        """Make a commitment to the actor's team."""
        if retried := self._retried(Commitment, COMMITMENT_NAMESPACE, actor):
            return retried
        team = self.get_team(actor, team_id)
        commitment = Commitment.make(
            actor, team, title, description, due_at, witness_ids, self.clock()
        )
        return self._create(commitment)

    def get_commitment(self, actor: Actor, commitment_id: UUID) -> Commitment:
        """Return a commitment the actor may see: their team's, or any for admins."""
        commitment = self._get(Commitment, commitment_id)
        self._visible_team(actor, commitment)
        return commitment

    def report_progress(
        self,
        actor: Actor,
        commitment_id: UUID,
        note: str,
        expected_version: int | None = None,
    ) -> Change[Commitment]:
        """Record progress on the actor's own commitment."""
        return self._change_commitment(
            actor,
            commitment_id,
            lambda c, _: c.report_progress(actor, note, self.clock()),
            expected_version,
        )

    def renegotiate_commitment(
        self,
        actor: Actor,
        commitment_id: UUID,
        due_at: datetime,
        reason: str,
        expected_version: int | None = None,
    ) -> Change[Commitment]:
        """Move the due date of the actor's own commitment, with a reason."""
        return self._change_commitment(
            actor,
            commitment_id,
            lambda c, _: c.renegotiate(actor, due_at, reason, self.clock()),
            expected_version,
        )

    def keep_commitment(
        self,
        actor: Actor,
        commitment_id: UUID,
        evidence: str | None,
        expected_version: int | None = None,
    ) -> Change[Commitment]:
        """Mark the actor's own commitment kept."""
        return self._change_commitment(
            actor,
            commitment_id,
            lambda c, _: c.keep(actor, evidence, self.clock()),
            expected_version,
        )

    def withdraw_commitment(
        self,
        actor: Actor,
        commitment_id: UUID,
        reason: str,
        expected_version: int | None = None,
    ) -> Change[Commitment]:
        """Withdraw the actor's own commitment, with a reason."""
        return self._change_commitment(
            actor,
            commitment_id,
            lambda c, _: c.withdraw(actor, reason, self.clock()),
            expected_version,
        )

    def miss_commitment(
        self,
        actor: Actor,
        commitment_id: UUID,
        reason: str,
        expected_version: int | None = None,
    ) -> Change[Commitment]:
        """Mark an overdue commitment missed (the team's leader)."""
        return self._change_commitment(
            actor,
            commitment_id,
            lambda c, team: c.miss(actor, team.can_lead(actor), reason, self.clock()),
            expected_version,
        )

    def call_out_commitment(
        self,
        actor: Actor,
        commitment_id: UUID,
        note: str,
        expected_version: int | None = None,
    ) -> Change[Commitment]:
        """Call out a slipping or missed commitment (the team's leader)."""
        return self._change_commitment(
            actor,
            commitment_id,
            lambda c, team: c.call_out(actor, team.can_lead(actor), note, self.clock()),
            expected_version,
        )

    def commitment_history(
        self, actor: Actor, commitment_id: UUID
    ) -> list[Commitment.Event]:
        """Return every event of a commitment the actor may see, oldest first."""
        self.get_commitment(actor, commitment_id)
        return list(self._events_of(commitment_id))

    def _change_commitment(
        self,
        actor: Actor,
        commitment_id: UUID,
        decide: Callable[[Commitment, Team], None],
        expected_version: int | None,
    ) -> Change[Commitment]:
        return self._change(
            actor,
            Commitment,
            commitment_id,
            lambda c: self._visible_team(actor, c),
            decide,
            expected_version,
        )

    def _visible_team(self, actor: Actor, commitment: Commitment) -> Team:
        return self._team_of(actor, commitment.team_id, "Commitment")
