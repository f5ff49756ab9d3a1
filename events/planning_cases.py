"""Use cases of planning: bottom-up targets, the team charter, scoring rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from events.base import Actor
from events.charter import Charter, charter_id
from events.core import Change, Core
from events.errors import NotFoundError, VersionConflictError
from events.scoring import ScoringRules, rules_id
from events.target import Target, TargetExistsError
from events.team import Team

# Numbered documents a team's leader publishes, version after version.
R = TypeVar("R", Charter, ScoringRules)


class PlanningCases(Core):
    """Targets proposed by reps and agreed by leaders; the charter and its sign-off."""

    def propose_target(
        self, actor: Actor, team_id: UUID, metric: str, period: str, value: Decimal
    ) -> Change[Target]:
        """Propose a target for oneself in a team."""
        team = self.get_team(actor, team_id)
        target = Target.propose(actor, team, metric, period, value, self.clock())
        exists = TargetExistsError(
            f"You already proposed a {metric} target for {target.period}."
        )
        existing = self._find(Target, target.id)
        if existing is not None:
            if self._already_recorded(existing.id, actor):
                return Change(existing, self._head())
            raise exists
        return self._create(target, exists)

    def get_target(self, actor: Actor, target_id_: UUID) -> Target:
        """Return a target the actor may see (their team's, or any for admins)."""
        target = self._get(Target, target_id_)
        self._team_of(actor, target.team_id, "Target")
        return target

    def agree_target(
        self, actor: Actor, target_id_: UUID, expected_version: int | None = None
    ) -> Change[Target]:
        """Agree a proposed target (the team's leader)."""
        return self._change(
            actor,
            Target,
            target_id_,
            lambda t: self._team_of(actor, t.team_id, "Target"),
            lambda t, team: t.agree(actor, team.can_lead(actor), self.clock()),
            expected_version,
        )

    def revise_target(
        self,
        actor: Actor,
        target_id_: UUID,
        value: Decimal,
        reason: str,
        expected_version: int | None = None,
    ) -> Change[Target]:
        """Set a target to a different value, with a reason (the team's leader)."""
        return self._change(
            actor,
            Target,
            target_id_,
            lambda t: self._team_of(actor, t.team_id, "Target"),
            lambda t, team: t.revise(
                actor, team.can_lead(actor), value, reason, self.clock()
            ),
            expected_version,
        )

    def target_history(self, actor: Actor, target_id_: UUID) -> list[Target.Event]:
        """Return every event of a target the actor may see, oldest first."""
        self.get_target(actor, target_id_)
        return list(self._events_of(target_id_))

    def publish_charter(
        self,
        actor: Actor,
        team_id: UUID,
        text: str,
        expected_version: int | None = None,
    ) -> Change[Charter]:
        """Publish a new version of the team's charter (the team's leader)."""
        return self._publish(
            actor,
            team_id,
            Charter,
            charter_id(team_id),
            lambda: Charter.start(actor, team_id, self.clock()),
            lambda c, t: c.publish(actor, t.can_lead(actor), text, self.clock()),
            expected_version,
        )

    def publish_scoring_rules(
        self,
        actor: Actor,
        team_id: UUID,
        points: Mapping[str, object],
        note: str | None,
        expected_version: int | None = None,
    ) -> Change[ScoringRules]:
        """Publish a new version of the team's scoring rules (the team's leader)."""
        return self._publish(
            actor,
            team_id,
            ScoringRules,
            rules_id(team_id),
            lambda: ScoringRules.start(actor, team_id, self.clock()),
            lambda r, t: r.publish(
                actor, t.can_lead(actor), points, note, self.clock()
            ),
            expected_version,
        )

    def get_scoring_rules(self, actor: Actor, team_id: UUID) -> ScoringRules | None:
        """Return the team's published rules, or None while the defaults apply."""
        self.get_team(actor, team_id)
        return self._find(ScoringRules, rules_id(team_id))

    def scoring_rules_history(
        self, actor: Actor, team_id: UUID
    ) -> list[ScoringRules.Event]:
        """Return every published version of the team's rules, oldest first."""
        self.get_team(actor, team_id)
        return list(self._events_of(rules_id(team_id)))

    def _publish(
        self,
        actor: Actor,
        team_id: UUID,
        cls: type[R],
        record_id: UUID,
        start: Callable[[], R],
        publish: Callable[[R, Team], None],
        expected_version: int | None,
    ) -> Change[R]:
        """Publish a numbered version of a team's document, creating it the first time.

        ``expected_version`` (If-Match) names the version being replaced: 0 before the
        first publication.
        """
        team = self.get_team(actor, team_id)
        if self._find(cls, record_id) is None:
            if expected_version not in (None, 0):
                raise VersionConflictError("Nothing has been published yet.")
            record = start()
            publish(record, team)
            try:
                return self._saved(record)
            except IntegrityError:
                pass  # Another leader published the first version meanwhile.

        def checked(record: R, current_team: Team) -> None:
            if expected_version is not None and expected_version != record.number:
                raise VersionConflictError(
                    f"Expected version {expected_version}, "
                    f"but version {record.number} is current."
                )
            publish(record, current_team)

        return self._change(
            actor,
            cls,
            record_id,
            lambda _: self.get_team(actor, team_id),
            checked,
            None,
        )

    def acknowledge_charter(
        self, actor: Actor, team_id: UUID, number: int
    ) -> Change[Charter]:
        """Acknowledge the current version of the team's charter (members)."""
        return self._change(
            actor,
            Charter,
            self._charter_id(actor, team_id),
            lambda _: self.get_team(actor, team_id),
            lambda c, t: c.acknowledge(
                actor, t.is_member(actor.user_id), number, self.clock()
            ),
            None,
        )

    def get_charter(self, actor: Actor, team_id: UUID) -> Charter:
        """Return the team's charter, if one has been published."""
        return self._get(Charter, self._charter_id(actor, team_id))

    def charter_history(self, actor: Actor, team_id: UUID) -> list[Charter.Event]:
        """Return every event of the team's charter, oldest first."""
        return list(self._events_of(self._charter_id(actor, team_id)))

    def _charter_id(self, actor: Actor, team_id: UUID) -> UUID:
        self.get_team(actor, team_id)
        found = charter_id(team_id)
        if self._find(Charter, found) is None:
            raise NotFoundError("This team has not published a charter yet.")
        return found
