"""Use cases of achievements: recorded by members, verified or retracted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from events.achievement import ACHIEVEMENT_NAMESPACE, Achievement
from events.base import Actor
from events.core import Change, Core
from events.team import Team


@dataclass(frozen=True)
class Recorded(Change[Achievement]):
    """An achievement after a record command; ``is_new`` unless it already existed.

    A repeated external reference answers with the achievement recorded first,
    whoever sent it; only the request that recorded it (or its retry) is new.
    """

    is_new: bool = True


class AchievementCases(Core):
    """Record achievements; verify and retract them; read them and their history."""

    def record_achievement(
        self,
        actor: Actor,
        team_id: UUID,
        kind: str,
        value: Decimal | int | str | None = None,
        currency: str | None = None,
        note: str | None = None,
        occurred_on: date | None = None,
        external_ref: str | None = None,
    ) -> Recorded:
        """Record an achievement for the actor in their team."""
        if retried := self._retried(Achievement, ACHIEVEMENT_NAMESPACE, actor):
            return Recorded(retried.aggregate, retried.position)
        team = self.get_team(actor, team_id)
        achievement = Achievement.record(
            actor,
            team,
            kind,
            value,
            currency,
            note,
            occurred_on,
            external_ref,
            self.clock(),
        )
        if achievement.external_ref is not None:
            existing = self._find(Achievement, achievement.id)
            if existing is not None:
                return self._existing_achievement(existing, actor)
        try:
            saved = self._saved(achievement)
        except IntegrityError:
            # Someone recorded the same external reference a moment ago.
            return self._existing_achievement(
                self._get(Achievement, achievement.id), actor
            )
        return Recorded(saved.aggregate, saved.position)

    def get_achievement(self, actor: Actor, achievement_id: UUID) -> Achievement:
        """Return an achievement the actor may see: their team's, or any for admins."""
        achievement = self._get(Achievement, achievement_id)
        self._achievement_team(actor, achievement)
        return achievement

    def verify_achievement(
        self,
        actor: Actor,
        achievement_id: UUID,
        expected_version: int | None = None,
    ) -> Change[Achievement]:
        """Verify a recorded achievement (the team's leader, or an admin)."""
        return self._change_achievement(
            actor,
            achievement_id,
            lambda a, team: a.verify(actor, team.can_lead(actor), self.clock()),
            expected_version,
        )

    def retract_achievement(
        self,
        actor: Actor,
        achievement_id: UUID,
        reason: str,
        expected_version: int | None = None,
    ) -> Change[Achievement]:
        """Retract an achievement for good, with a reason (its owner or the leader)."""
        return self._change_achievement(
            actor,
            achievement_id,
            lambda a, team: a.retract(
                actor, team.can_lead(actor), reason, self.clock()
            ),
            expected_version,
        )

    def achievement_history(
        self, actor: Actor, achievement_id: UUID
    ) -> list[Achievement.Event]:
        """Return every event of an achievement the actor may see, oldest first."""
        self.get_achievement(actor, achievement_id)
        return list(self._events_of(achievement_id))

    def _existing_achievement(self, achievement: Achievement, actor: Actor) -> Recorded:
        """Answer with an achievement already recorded under the same reference."""
        is_retry = self._already_recorded(achievement.id, actor)
        return Recorded(achievement, self._head(), is_new=is_retry)

    def _change_achievement(
        self,
        actor: Actor,
        achievement_id: UUID,
        decide: Callable[[Achievement, Team], None],
        expected_version: int | None,
    ) -> Change[Achievement]:
        return self._change(
            actor,
            Achievement,
            achievement_id,
            lambda a: self._achievement_team(actor, a),
            decide,
            expected_version,
        )

    def _achievement_team(self, actor: Actor, achievement: Achievement) -> Team:
        return self._team_of(actor, achievement.team_id, "Achievement")
