"""The read-model runner: exactly once, even with two runners on one database."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.persistence import OperationalError as StoreOperationalError
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from events.application import Wolfpack
from events.base import Actor
from events.commitment import Commitment
from projections.batch import Batch
from projections.commitments import commitments
from projections.runner import READ_MODELS, ProjectionRunner
from projections.schema import SHAPE, failures, shape, stored_shape
from server.config import Settings
from tests.integration.conftest import World


def rep_commitment(world: World) -> tuple[Actor, UUID]:
    """Make a commitment as the rep, through the application; return the rep and it."""
    rep = Actor(UUID(world.rep.id))
    events = world.app.extensions["wolfpack"].events
    due = events.clock() + timedelta(days=1)
    made = events.make_commitment(rep, UUID(world.team_id), "T", None, due, [])
    return rep, made.aggregate.id


def progress_count(world: World, commitment_id: UUID) -> int | None:
    """Return the commitment's progress count as its read model holds it."""
    c = commitments.c
    with world.app.extensions["wolfpack"].engine.connect() as conn:
        query = select(c.progress_count).where(c.id == commitment_id)
        return conn.scalar(query)


def test_two_runners_racing_over_one_database_apply_every_event_once(world: World):
    services = world.app.extensions["wolfpack"]
    events = services.events
    rep = Actor(UUID(world.rep.id))
    made = events.make_commitment(
        rep,
        UUID(world.team_id),
        "T",
        None,
        events.clock() + timedelta(days=1),
        [],
    )
    for i in range(60):
        events.report_progress(rep, made.aggregate.id, f"note {i}")
    runners = [
        ProjectionRunner(events.recorder, events.mapper, services.engine, batch_size=7)
        for _ in range(2)
    ]

    threads = [threading.Thread(target=r.catch_up) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    with services.engine.connect() as conn:
        row = conn.execute(
            select(commitments).where(commitments.c.id == made.aggregate.id)
        ).one()
    assert row.progress_count == 60
    assert row.version == 61
    assert services.projections.stored_position() == world.head()


def test_a_runner_forgets_what_it_remembers_once_another_has_written(world: World):
    services = world.app.extensions["wolfpack"]
    events = services.events
    rep, made = rep_commitment(world)
    first, second = (
        ProjectionRunner(events.recorder, events.mapper, services.engine)
        for _ in range(2)
    )
    first.catch_up()  # remembers the commitment with no progress
    events.report_progress(rep, made, "one")
    second.catch_up()
    events.report_progress(rep, made, "two")
    first.catch_up()

    assert progress_count(world, made) == 2


def test_in_thread_mode_a_command_answers_after_its_listing_is_ready(
    settings: Settings,
):
    from server import create_app
    from tests.integration.conftest import sign_up

    app: Flask = create_app(settings.with_changes(projections="thread"))
    try:
        admin = sign_up(app, "admin@example.com", "Ada", admin=True)
        for name in ("North", "South", "East"):
            assert admin.post("/teams", json={"name": name}).status_code == 201
            listed = [t["name"] for t in admin.get("/teams").json]
            assert name in listed
    finally:
        app.extensions["wolfpack"].close()


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_on_postgres_a_save_in_another_process_wakes_the_runner(world: World):
    """LISTEN/NOTIFY is PostgreSQL's; SQLite runners poll."""
    services = world.app.extensions["wolfpack"]
    runner = ProjectionRunner(
        services.events.recorder, services.events.mapper, services.engine
    )
    runner.catch_up()
    follower = threading.Thread(target=runner.follow, args=(60.0,), daemon=True)
    follower.start()
    # Another application object on the same store stands for another process:
    # its saves reach this runner only through NOTIFY (the poll is a minute).
    other = Wolfpack(env=services.settings.event_store_env())
    try:
        time.sleep(0.3)  # let the LISTEN connection start before the save
        team = other.create_team(Actor(UUID(world.admin.id), True), "East", "UTC")
        assert runner.wait_for(team.position, timeout=10)
    finally:
        runner.stop()
        other.close()
        follower.join(timeout=10)


class _Refuses:
    """A read model that cannot apply one kind of event (a bug, a bad row)."""

    def __init__(self, refused: type) -> None:
        self.refused = refused

    def apply(self, batch: Batch, event: object) -> None:
        if isinstance(event, self.refused):
            raise LookupError("this read model cannot take it")


class _LosesTheDatabaseOnce:
    """A read model whose next write of one kind of event meets a database error."""

    def __init__(self, kind: type) -> None:
        self.kind = kind
        self.armed = False

    def apply(self, batch: Batch, event: object) -> None:
        if isinstance(event, self.kind) and self.armed:
            self.armed = False
            raise OperationalError("UPDATE …", {}, Exception("database is locked"))


def test_a_batch_that_meets_a_database_error_is_retried_whole_and_counted_once(
    world: World,
):
    services = world.app.extensions["wolfpack"]
    events = services.events
    rep, made = rep_commitment(world)
    fails = _LosesTheDatabaseOnce(Commitment.ProgressReported)
    # After the commitments model, which has counted the progress by then.
    runner = ProjectionRunner(
        events.recorder, events.mapper, services.engine, (*READ_MODELS, fails)
    )
    runner.rebuild()
    events.report_progress(rep, made, "one")
    runner.catch_up()  # a batch that goes well: the runner now trusts its memory
    events.report_progress(rep, made, "two")
    fails.armed = True
    with pytest.raises(OperationalError):
        runner.catch_up()
    runner.catch_up()  # as the following thread retries

    assert runner.status()["position"] == world.head()
    assert progress_count(world, made) == 2


class _LosesTheEventLog:
    """The event store's recorder, whose next reads meet a dropped connection."""

    def __init__(self, recorder: ApplicationRecorder, failures: int) -> None:
        self.recorder = recorder
        self.failures = failures

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        if self.failures:
            self.failures -= 1
            raise StoreOperationalError("server closed the connection unexpectedly")
        return self.recorder.select_notifications(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.recorder, name)


def test_a_batch_whose_event_log_read_fails_is_retried_never_set_aside(world: World):
    services = world.app.extensions["wolfpack"]
    events = services.events
    rep, made = rep_commitment(world)
    runner = ProjectionRunner(events.recorder, events.mapper, services.engine)
    runner.rebuild()
    events.report_progress(rep, made, "one")
    # Twice in a row, as a pool of dead connections does until it replaced them.
    runner.recorder = _LosesTheEventLog(events.recorder, failures=2)

    for _ in range(2):
        with pytest.raises(StoreOperationalError):
            runner.catch_up()
    runner.catch_up()  # as the following thread retries

    assert runner.status()["set_aside"] == 0
    assert runner.status()["position"] == world.head()
    assert progress_count(world, made) == 1


def test_an_event_no_read_model_can_take_is_set_aside_and_the_log_moves_on(
    world: World,
):
    services = world.app.extensions["wolfpack"]
    events = services.events
    rep, made = rep_commitment(world)
    events.report_progress(rep, made, "one")
    events.report_progress(rep, made, "two")
    runner = ProjectionRunner(
        events.recorder,
        events.mapper,
        services.engine,
        read_models=(*READ_MODELS, _Refuses(Commitment.ProgressReported)),
    )
    runner.rebuild()

    assert runner.status()["position"] == world.head()
    assert runner.status()["set_aside"] == 2
    with services.engine.connect() as conn:
        aside = conn.execute(select(failures).order_by(failures.c.position)).all()
    assert [row.originator_version for row in aside] == [2, 3]
    assert all("cannot take it" in row.error for row in aside)
    # The set-aside events changed nothing, in any read model.
    assert progress_count(world, made) == 0


def test_tables_of_an_earlier_shape_are_emptied_and_replayed_at_start(
    world: World, caplog: pytest.LogCaptureFixture
):
    services = world.app.extensions["wolfpack"]
    events = services.events
    world.make_commitment()
    services.projections.catch_up()
    with services.engine.begin() as conn:
        before = conn.execute(select(commitments).order_by(commitments.c.id)).all()
        conn.execute(shape.delete())  # as a database made before shapes were kept
        conn.execute(failures.insert().values(**SET_ASIDE))

    runner = ProjectionRunner(events.recorder, events.mapper, services.engine)
    runner.create_tables()
    emptied = runner.status()
    runner.catch_up()

    with services.engine.connect() as conn:
        after = conn.execute(select(commitments).order_by(commitments.c.id)).all()
        recorded = stored_shape(conn)
    assert (emptied["position"], emptied["set_aside"]) == (0, 0)
    assert "Read models of shape 1: replaying the log" in caplog.text
    assert after == before != []
    assert recorded == SHAPE
    assert runner.status()["position"] == world.head()
    # A second start finds the shape current and keeps everything.
    ProjectionRunner(events.recorder, events.mapper, services.engine).create_tables()
    assert runner.status()["position"] == world.head()


SET_ASIDE = {
    "position": 1,
    "topic": "wolfpack:Old",
    "originator_id": UUID(int=1),
    "originator_version": 1,
    "error": "an old bug",
    "at": datetime(2026, 1, 1, tzinfo=UTC),
}
