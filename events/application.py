"""The Wolfpack application: every use case of the write side, one method each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from events.base import Actor
from events.commitment import Commitment
from events.errors import NotFoundError, VersionConflictError
from events.team import Team

A = TypeVar("A", bound=Aggregate)
C = TypeVar("C")
SAVE_ATTEMPTS = 5


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Change(Generic[A]):
    """An aggregate after a command, and the event-store position it reached."""

    aggregate: A
    position: int


class Wolfpack(Application[UUID]):
    """Records what a team does as events, deciding every rule before saving."""

    name = "Wolfpack"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(env)
        self.clock = clock
        self.save_listeners: list[Callable[[int], None]] = []

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        """Tell listeners (the projection runner) the position a save reached."""
        if recordings:
            for listener in self.save_listeners:
                listener(recordings[-1].notification.id)

    # Teams

    def create_team(self, actor: Actor, name: str, timezone: str) -> Change[Team]:
        """Create a team (admins only)."""
        return self._create(Team.create(actor, name, timezone))

    def get_team(self, actor: Actor, team_id: UUID) -> Team:
        """Return a team the actor may see."""
        team = self._get(Team, team_id)
        if not team.can_see(actor):
            raise NotFoundError("Team not found.")
        return team

    def add_team_member(
        self,
        actor: Actor,
        team_id: UUID,
        user_id: UUID,
        role: str,
        expected_version: int | None = None,
    ) -> Change[Team]:
        """Add a user to a team in a role."""
        return self._change_team(
            actor,
            team_id,
            lambda t: t.add_member(actor, user_id, role),
            expected_version,
        )

    def change_member_role(
        self,
        actor: Actor,
        team_id: UUID,
        user_id: UUID,
        role: str,
        expected_version: int | None = None,
    ) -> Change[Team]:
        """Change a team member's role."""
        return self._change_team(
            actor,
            team_id,
            lambda t: t.change_role(actor, user_id, role),
            expected_version,
        )

    def remove_team_member(
        self,
        actor: Actor,
        team_id: UUID,
        user_id: UUID,
        expected_version: int | None = None,
    ) -> Change[Team]:
        """Remove a member from a team."""
        return self._change_team(
            actor, team_id, lambda t: t.remove_member(actor, user_id), expected_version
        )

    # Commitments

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
            lambda c, _: c.report_progress(actor, note),
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
            lambda c, _: c.keep(actor, evidence),
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
            lambda c, _: c.withdraw(actor, reason),
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
            lambda c, team: c.call_out(actor, team.can_lead(actor), note),
            expected_version,
        )

    def commitment_history(
        self, actor: Actor, commitment_id: UUID
    ) -> list[Commitment.Event]:
        """Return every event of a commitment the actor may see, oldest first."""
        self.get_commitment(actor, commitment_id)
        return list(self._events_of(commitment_id))

    def team_history(self, actor: Actor, team_id: UUID) -> list[Team.Event]:
        """Return every event of a team the actor may see, oldest first."""
        self.get_team(actor, team_id)
        return list(self._events_of(team_id))

    # How every command is loaded, decided and saved.

    def _change_team(
        self,
        actor: Actor,
        team_id: UUID,
        decide: Callable[[Team], None],
        expected_version: int | None,
    ) -> Change[Team]:
        def visible(team: Team) -> Team:
            if not team.can_see(actor):
                raise NotFoundError("Team not found.")
            return team

        return self._change(
            actor, Team, team_id, visible, lambda t, _: decide(t), expected_version
        )

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
        team = self._get(Team, commitment.team_id)
        if not team.can_see(actor):
            raise NotFoundError("Commitment not found.")
        return team

    def _create(self, aggregate: A) -> Change[A]:
        """Save a new aggregate; a retried request returns the one it first made."""
        try:
            recordings = self.save(aggregate)
        except IntegrityError:
            existing = self._get(type(aggregate), aggregate.id)
            return Change(existing, self._head())
        return Change(aggregate, recordings[-1].notification.id)

    def _change(
        self,
        actor: Actor,
        cls: type[A],
        aggregate_id: UUID,
        guard: Callable[[A], C],
        decide: Callable[[A, C], None],
        expected_version: int | None,
    ) -> Change[A]:
        """Load, guard, decide and save; retry when a concurrent writer got in first.

        ``guard`` refuses actors who may not see the aggregate and returns what
        ``decide`` needs besides it. A command whose request id is already on the
        aggregate's record is a retry of one that was saved: it returns the
        current state and records nothing.
        """
        for _ in range(SAVE_ATTEMPTS):
            aggregate = self._get(cls, aggregate_id)
            context = guard(aggregate)
            if actor.request_id and self._already_recorded(
                aggregate_id, actor.request_id
            ):
                return Change(aggregate, self._head())
            if expected_version is not None and aggregate.version != expected_version:
                raise VersionConflictError(
                    f"Expected version {expected_version}, "
                    f"but it is at version {aggregate.version}."
                )
            decide(aggregate, context)
            try:
                recordings = self.save(aggregate)
            except IntegrityError:
                continue
            return Change(aggregate, recordings[-1].notification.id)
        raise VersionConflictError("Too many concurrent changes; please try again.")

    def _get(self, cls: type[A], aggregate_id: UUID) -> A:
        try:
            aggregate: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{cls.__name__} not found.") from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{cls.__name__} not found.")
        return aggregate

    def _events_of(self, aggregate_id: UUID) -> Iterator[Any]:
        return iter(self.events.get(aggregate_id))

    def _already_recorded(self, aggregate_id: UUID, request_id: str) -> bool:
        return any(
            getattr(e, "request_id", None) == request_id
            for e in self._events_of(aggregate_id)
        )

    def _head(self) -> int:
        return self.recorder.max_notification_id() or 0
