"""Use cases of recognition awards: a leader gives them, the giver withdraws them."""

from __future__ import annotations

from uuid import UUID

from events.base import Actor
from events.core import Change, Core
from events.recognition import RECOGNITION_NAMESPACE, Recognition


class RecognitionCases(Core):
    """Every command and query on recognition awards."""

    def give_recognition(
        self,
        actor: Actor,
        team_id: UUID,
        to_user_id: UUID,
        title: str,
        message: str,
    ) -> Change[Recognition]:
        """Give a member of the team a recognition award (its leader or an admin)."""
        if retried := self._retried(Recognition, RECOGNITION_NAMESPACE, actor):
            return retried
        team = self.get_team(actor, team_id)
        recognition = Recognition.give(
            actor, team, to_user_id, title, message, self.clock()
        )
        return self._create(recognition)

    def get_recognition(self, actor: Actor, recognition_id: UUID) -> Recognition:
        """Return a recognition the actor may see: their team's, or any for admins."""
        recognition = self._get(Recognition, recognition_id)
        self._team_of(actor, recognition.team_id, "Recognition")
        return recognition

    def withdraw_recognition(
        self,
        actor: Actor,
        recognition_id: UUID,
        reason: str,
        expected_version: int | None = None,
    ) -> Change[Recognition]:
        """Withdraw a recognition, with a reason (its giver or an admin)."""
        return self._change(
            actor,
            Recognition,
            recognition_id,
            lambda r: self._team_of(actor, r.team_id, "Recognition"),
            lambda r, _: r.withdraw(actor, reason, self.clock()),
            expected_version,
        )

    def recognition_history(
        self, actor: Actor, recognition_id: UUID
    ) -> list[Recognition.Event]:
        """Return every event of a recognition the actor may see, oldest first."""
        self.get_recognition(actor, recognition_id)
        return list(self._events_of(recognition_id))
