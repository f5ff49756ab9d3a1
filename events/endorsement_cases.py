"""Use cases of peer endorsements: the team's limits, giving, and what is left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from events.base import Actor, new_id
from events.core import Change, Core
from events.endorsement import (
    DEFAULT_LIMITS,
    ENDORSEMENT_NAMESPACE,
    Allowance,
    Endorsement,
    EndorsementLedger,
    EndorsementPolicy,
    Limits,
    ledger_id,
    policy_id,
)
from events.errors import NotFoundError, PermissionDeniedError, VersionConflictError
from events.periods import week_of
from events.team import Team


@dataclass(frozen=True)
class Endorsed:
    """An endorsement just given (or found again for a retry), and its ledger's save."""

    endorsement: Endorsement
    change: Change[EndorsementLedger]


class _Unchanged(Exception):
    """Raised to leave the save loop when the policy already has these limits."""

    def __init__(self, policy: EndorsementPolicy) -> None:
        super().__init__("unchanged")
        self.policy = policy


class EndorsementCases(Core):
    """A team's endorsement limits; endorsements given within them."""

    def set_endorsement_policy(
        self,
        actor: Actor,
        team_id: UUID,
        weekly_allowance: int,
        per_receiver_skill_weekly: int,
        expected_version: int | None = None,
    ) -> Change[EndorsementPolicy]:
        """Set the team's endorsement limits (its leader or an admin).

        Setting the limits the policy already has records nothing, so repeating
        the same request is harmless; a team's first setting is always recorded.
        """
        team = self.get_team(actor, team_id)
        if self._find(EndorsementPolicy, policy_id(team_id)) is None:
            policy = EndorsementPolicy.establish(
                actor, team, weekly_allowance, per_receiver_skill_weekly, self.clock()
            )
            if expected_version not in (None, 0):
                raise VersionConflictError(
                    f"Expected version {expected_version}, but the team's limits "
                    "were never set (version 0)."
                )
            try:
                return self._saved(policy)
            except IntegrityError:
                pass  # Someone set the first limits meanwhile: change theirs.

        def decide(policy: EndorsementPolicy, team: Team) -> None:
            policy.change(
                actor, team, weekly_allowance, per_receiver_skill_weekly, self.clock()
            )
            if not policy.pending_events:
                raise _Unchanged(policy)

        try:
            return self._change(
                actor,
                EndorsementPolicy,
                policy_id(team_id),
                lambda _: self.get_team(actor, team_id),
                decide,
                expected_version,
            )
        except _Unchanged as unchanged:
            return Change(unchanged.policy, self._head())

    def get_endorsement_policy(
        self, actor: Actor, team_id: UUID
    ) -> EndorsementPolicy | None:
        """Return the team's endorsement policy, or None while the defaults apply."""
        self.get_team(actor, team_id)
        return self._find(EndorsementPolicy, policy_id(team_id))

    def endorsement_policy_history(
        self, actor: Actor, team_id: UUID
    ) -> list[EndorsementPolicy.Event]:
        """Return every change of the team's endorsement limits, oldest first."""
        self.get_team(actor, team_id)
        return list(self._events_of(policy_id(team_id)))

    def give_endorsement(
        self,
        actor: Actor,
        team_id: UUID,
        to_user_id: UUID,
        skill: str,
        message: str | None,
    ) -> Endorsed:
        """Endorse a teammate's skill, within the team's weekly limits."""
        team = self._get(Team, team_id)
        now = self.clock()
        endorsement_id = new_id(ENDORSEMENT_NAMESPACE, actor)
        if retried := self._retried_endorsement(actor, team, endorsement_id, now):
            return retried
        if not team.can_see(actor):
            raise NotFoundError("Team not found.")
        limits = self._limits(team_id)

        def give(ledger: EndorsementLedger, current: Team) -> None:
            ledger.give(
                actor, current, limits, endorsement_id, to_user_id, skill, message, now
            )

        week = week_of(now, team.timezone)
        if (
            self._find(EndorsementLedger, ledger_id(team_id, actor.user_id, week))
            is None
        ):
            ledger = EndorsementLedger.open(actor, team, now)
            give(ledger, team)
            try:
                return Endorsed(
                    ledger.endorsements[endorsement_id], self._saved(ledger)
                )
            except IntegrityError:
                pass  # A simultaneous endorsement opened the ledger: decide again.
        change = self._change(
            actor,
            EndorsementLedger,
            ledger_id(team_id, actor.user_id, week),
            lambda _: self.get_team(actor, team_id),
            give,
            None,
        )
        return Endorsed(change.aggregate.endorsements[endorsement_id], change)

    def endorsement_allowance(self, actor: Actor, team_id: UUID) -> Allowance:
        """Return what the actor gave in the team this week, and what is left."""
        team = self.get_team(actor, team_id)
        if not team.is_member(actor.user_id):
            raise PermissionDeniedError("Only members of the team endorse in it.")
        week = week_of(self.clock(), team.timezone)
        ledger = self._find(EndorsementLedger, ledger_id(team_id, actor.user_id, week))
        given = [] if ledger is None else ledger.given
        return Allowance(team.id, team.name, week, self._limits(team_id), given)

    def _limits(self, team_id: UUID) -> Limits:
        policy = self._find(EndorsementPolicy, policy_id(team_id))
        return DEFAULT_LIMITS if policy is None else policy.limits

    def _retried_endorsement(
        self, actor: Actor, team: Team, endorsement_id: UUID, now: datetime
    ) -> Endorsed | None:
        """Return what the actor's earlier request with this id gave, if anything.

        A retry may come after the week turned (keys live for a day), so last
        week's ledger is searched too.
        """
        if actor.request_id is None:
            return None
        for moment in (now, now - timedelta(days=7)):
            week = week_of(moment, team.timezone)
            found = self._find(
                EndorsementLedger, ledger_id(team.id, actor.user_id, week)
            )
            if found is not None and endorsement_id in found.endorsements:
                return Endorsed(
                    found.endorsements[endorsement_id], Change(found, self._head())
                )
        return None
