"""What the unit tests share: actors, a clock, an in-memory application, teams in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from events.application import Wolfpack
from events.base import Actor
from events.errors import DomainError


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def person(request_id: str | None = None, *, is_admin: bool = False) -> Actor:
    """A new user with a fresh id."""
    return Actor(uuid4(), is_admin=is_admin, request_id=request_id)


def keyed(actor: Actor, request_id: str | None) -> Actor:
    """The same user, sending a request with the given key."""
    return Actor(actor.user_id, actor.is_admin, request_id)


def refuse(
    aggregate: Any, error: type[DomainError], command: Callable[[], object]
) -> DomainError:
    """Run a command that must be refused, and check it left no trace."""
    version = aggregate.version
    pending = list(aggregate.pending_events)
    state = deepcopy(vars(aggregate))
    with pytest.raises(error) as caught:
        command()
    assert aggregate.version == version
    assert aggregate.pending_events == pending
    assert vars(aggregate) == state
    return caught.value


@contextmanager
def in_memory(clock: Callable[[], datetime]) -> Iterator[Wolfpack]:
    """A Wolfpack application on the in-memory store, telling time by ``clock``."""
    application = Wolfpack(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock
    )
    try:
        yield application
    finally:
        application.close()


def head(app: Wolfpack) -> int:
    """The position of the last stored event."""
    return app.recorder.max_notification_id() or 0


def stored_team(
    app: Wolfpack,
    admin: Actor,
    *,
    name: str = "North",
    timezone: str = "UTC",
    leaders: Iterable[Actor] = (),
    reps: Iterable[Actor] = (),
    reps_added_by: Actor | None = None,
) -> UUID:
    """Store a team with its leaders and reps; return its id.

    The admin creates it and adds everyone, unless ``reps_added_by`` adds the reps.
    """
    team_id = app.create_team(admin, name, timezone).aggregate.id
    for leader in leaders:
        app.add_team_member(admin, team_id, leader.user_id, "leader")
    for rep in reps:
        app.add_team_member(reps_added_by or admin, team_id, rep.user_id, "rep")
    return team_id
