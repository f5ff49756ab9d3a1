"""The base of the Wolfpack application: how every command is loaded, decided, saved."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording

from events.base import Actor, new_id
from events.errors import DomainError, NotFoundError, VersionConflictError
from events.team import Team
from events.transcodings import DateAsISO

A = TypeVar("A", bound=Aggregate)
C = TypeVar("C")
SAVE_ATTEMPTS = 5
LOAD_LOCKS = 64  # loads of different aggregates rarely wait for one another


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Change(Generic[A]):
    """An aggregate after a command, and the event-store position it reached."""

    aggregate: A
    position: int


class Core(Application[UUID]):
    """Loading, guarding, deciding and saving, shared by every use case."""

    # Most commands load a team, whose history grows with every member: keep
    # recent aggregates in memory, brought up to date from the store at each load
    # (so several processes stay consistent). Set to "" to turn the cache off.
    env = {"AGGREGATE_CACHE_MAXSIZE": "5000"}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(env)
        self.clock = clock
        self.save_listeners: list[Callable[[int], None]] = []
        self._load_locks = [threading.Lock() for _ in range(LOAD_LOCKS)]

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add our own field types (calendar dates) to the library's."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        """Tell listeners (the projection runner) the position a save reached."""
        if recordings:
            for listener in self.save_listeners:
                listener(recordings[-1].notification.id)

    def get_team(self, actor: Actor, team_id: UUID) -> Team:
        """Return a team the actor may see."""
        return self._team_of(actor, team_id, "Team")

    def _team_of(self, actor: Actor, team_id: UUID, what: str) -> Team:
        """Return the team of something the actor wants; hide it from outsiders."""
        team = self._get(Team, team_id)
        if not team.can_see(actor):
            raise NotFoundError(f"{what} not found.")
        return team

    def _retried(self, cls: type[A], namespace: UUID, actor: Actor) -> Change[A] | None:
        """Return what the actor's earlier request with this id created, if any.

        Checked before the rules, so a retry that arrives after, say, the due date
        has passed still gets the commitment it made rather than a refusal.
        """
        if actor.request_id is None:
            return None
        existing = self._find(cls, new_id(namespace, actor))
        return None if existing is None else Change(existing, self._head())

    def _create(self, aggregate: A, exists: DomainError | None = None) -> Change[A]:
        """Save a new aggregate; a concurrent retry returns the one saved first.

        When another request created the same id meanwhile (a natural key), raise
        ``exists``: the loser of that race must not be handed someone else's.
        """
        created = aggregate.pending_events[0]
        try:
            return self._saved(aggregate)
        except IntegrityError:
            existing = self._get(type(aggregate), aggregate.id)
            creator = Actor(
                getattr(created, "actor_id"),  # noqa: B009 - every event has one
                request_id=getattr(created, "request_id", None),
            )
            if exists is not None and not self._already_recorded(existing.id, creator):
                raise exists from None
            return Change(existing, self._head())

    def _saved(self, aggregate: A) -> Change[A]:
        """Save the aggregate's new events; return it with the position reached."""
        recordings = self.save(aggregate)
        position = recordings[-1].notification.id if recordings else self._head()
        return Change(aggregate, position)

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
            if self._already_recorded(aggregate_id, actor):
                return Change(aggregate, self._head())
            if expected_version is not None and aggregate.version != expected_version:
                raise VersionConflictError(
                    f"Expected version {expected_version}, "
                    f"but it is at version {aggregate.version}."
                )
            decide(aggregate, context)
            try:
                return self._saved(aggregate)
            except IntegrityError:
                continue
        raise VersionConflictError("Too many concurrent changes; please try again.")

    def _get(self, cls: type[A], aggregate_id: UUID) -> A:
        try:
            aggregate = self._load(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{cls.__name__} not found.") from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{cls.__name__} not found.")
        return aggregate

    def _load(self, aggregate_id: UUID) -> object:
        """Return the aggregate, a copy of its cached self when there is a cache."""
        if self.repository.cache is None:
            return self.repository.get(aggregate_id)
        # eventsourcing brings the cached aggregate up to date in place under its
        # own lock but copies it after releasing that lock: a command copying it
        # while another brings it up to date could see it half-changed. One lock
        # held across both keeps each copy whole.
        with self._load_locks[hash(aggregate_id) % LOAD_LOCKS]:
            return deepcopy(
                self.repository.get(aggregate_id, deepcopy_from_cache=False)
            )

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """Return the aggregate with this id, or None when there is none."""
        try:
            return self._get(cls, aggregate_id)
        except NotFoundError:
            return None

    def _events_of(self, aggregate_id: UUID) -> Iterator[Any]:
        return iter(self.events.get(aggregate_id))

    def _already_recorded(self, aggregate_id: UUID, actor: Actor) -> bool:
        """Tell whether this actor's request is already on the aggregate's record."""
        if actor.request_id is None:
            return False
        return any(
            e.request_id == actor.request_id and e.actor_id == actor.user_id
            for e in self._events_of(aggregate_id)
        )

    def _head(self) -> int:
        return self.recorder.max_notification_id() or 0
