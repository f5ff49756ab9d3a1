"""The database locked, refusing, silent or cutting connections: every wait ends
within the bound with 503 and Retry-After, nothing acknowledged is lost, and the
service answers again by itself once the database does.

PostgreSQL is taken away through a proxy of the test's own (``tests.tcp_proxy``),
never by touching the server, which other tests share.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from eventsourcing.persistence import PersistenceError
from flask import Flask
from sqlalchemy.exc import OperationalError as SqlOperationalError
from werkzeug.test import TestResponse

from events.application import Wolfpack
from events.base import Actor
from server import create_app, idempotency
from server.config import Settings
from server.idempotency import IdempotencyRecord
from tests.conftest import POSTGRES_URL, postgres_schema, require_postgres
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import PASSWORD, World, sign_up
from tests.tcp_proxy import TcpProxy, tcp_proxy

DB_TIMEOUT = 2  # seconds: the least libpq allows, to keep these tests short
# A request waits once for the database, and may try once more just before the
# bound is up; the rest is room for a busy machine.
WITHIN_BOUND = 2 * DB_TIMEOUT + 3
# Long enough for a connection pool that pauses 1, 2, 4, 8 s… between attempts
# to be in the middle of its longest pause yet when the database comes back.
LONG_OUTAGE = 8


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    """Return what ``call`` returned and how many seconds it took."""
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def until_answered(
    call: Callable[[], TestResponse], within: float = 30
) -> tuple[TestResponse, float]:
    """Repeat ``call`` while it answers 503; return the answer and the time taken."""
    started = time.monotonic()
    while True:
        response = call()
        waited = time.monotonic() - started
        if response.status_code != 503 or waited > within:
            return response, waited
        time.sleep(0.2)


def wait_until(condition: Callable[[], bool], within: float = 10) -> bool:
    """Wait until ``condition`` holds; tell whether it did in time."""
    give_up_at = time.monotonic() + within
    while not condition():
        if time.monotonic() > give_up_at:
            return False
        time.sleep(0.05)
    return True


def answers(events: Wolfpack) -> bool:
    """Tell whether the event store answers now."""
    try:
        events.recorder.max_notification_id()
    except PersistenceError:
        return False
    return True


def head_of(app: Flask) -> int:
    """Return the event log's last position."""
    return app.extensions["wolfpack"].events.recorder.max_notification_id() or 0


def seconds_to_fail(call: Callable[[], Any]) -> float:
    """Return how long ``call`` took to give up with the event store's error."""
    started = time.monotonic()
    with pytest.raises(PersistenceError):
        call()
    return time.monotonic() - started


@contextmanager
def held_lock(settings: Settings, store: str, table: str) -> Iterator[None]:
    """Hold a lock that blocks the app on ``store`` ("events" or "accounts").

    SQLite: the write lock on that file; PostgreSQL: an exclusive lock on
    ``table``. Let go after 20 s at most, so a test of a missing bound fails
    rather than hangs.
    """
    if settings.uses_postgres:
        import psycopg

        conn: Any = psycopg.connect(POSTGRES_URL)
        schema = settings.database_schema
        conn.execute(f'LOCK TABLE "{schema}"."{table}" IN ACCESS EXCLUSIVE MODE')
    else:
        name = "events.db" if store == "events" else "wolfpack.db"
        conn = sqlite3.connect(
            settings.data_dir / name, isolation_level=None, check_same_thread=False
        )
        conn.execute("BEGIN IMMEDIATE")
    release = threading.Timer(20, conn.rollback)
    release.start()
    try:
        yield
    finally:
        release.cancel()
        conn.rollback()
        conn.close()


@pytest.fixture
def bounded_app(settings: Settings) -> Iterator[Flask]:
    """The app on the parametrized backend, with the shortest database bound."""
    app = create_app(settings.with_changes(db_timeout=DB_TIMEOUT))
    yield app
    app.extensions["wolfpack"].close()


def test_a_command_on_a_locked_event_log_answers_503_within_the_bound(
    settings: Settings, bounded_app: Flask
):
    admin = sign_up(bounded_app, "admin@example.com", "Ada", admin=True)
    head = head_of(bounded_app)

    def make_team() -> TestResponse:
        return admin.post(
            "/teams", json={"name": "North"}, headers={"Idempotency-Key": "north"}
        )

    with held_lock(settings, "events", "wolfpack_events"):
        refused, took = timed(make_team)
    retried = make_team()

    assert refused.status_code == 503, refused.json
    assert error_of(refused)["code"] == "unavailable"
    assert refused.headers["Retry-After"] == str(DB_TIMEOUT)
    assert took < WITHIN_BOUND
    # Retried as told, at once (not "still in flight"); recorded once.
    assert retried.status_code == 201, retried.json
    assert [t["name"] for t in admin.get("/teams").json] == ["North"]
    assert head_of(bounded_app) == int(retried.headers["X-Event-Position"]) == head + 1


def test_signing_in_while_the_accounts_are_locked_answers_503_within_the_bound(
    settings: Settings, bounded_app: Flask
):
    sign_up(bounded_app, "ravi@example.com", "Ravi")
    client = bounded_app.test_client()
    login = {"email": "ravi@example.com", "password": PASSWORD}

    with held_lock(settings, "accounts", "users"):
        refused, took = timed(lambda: client.post("/api/v1/auth/login", json=login))
    signed_in = client.post("/api/v1/auth/login", json=login)

    assert refused.status_code == 503, refused.json
    assert error_of(refused)["code"] == "unavailable"
    assert refused.headers["Retry-After"] == str(DB_TIMEOUT)
    assert took < WITHIN_BOUND
    assert signed_in.status_code == 200


@dataclass
class Proxied:
    """The app, reaching PostgreSQL only through a proxy the test can break."""

    app: Flask
    settings: Settings
    proxy: TcpProxy
    schema: str


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[Proxied]:
    """The app on PostgreSQL through a proxy, following the log in a thread."""
    require_postgres()
    parts = urlsplit(POSTGRES_URL)
    with (
        tcp_proxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy,
        postgres_schema() as schema,
    ):
        user = f"{parts.username}@" if parts.username else ""
        url = parts._replace(netloc=f"{user}127.0.0.1:{proxy.port}").geturl()
        settings = Settings(
            env="test",
            data_dir=tmp_path,
            projections="thread",
            database_url=url,
            database_schema=schema,
            db_timeout=DB_TIMEOUT,
        )
        app = create_app(settings)
        try:
            yield Proxied(app, settings, proxy, schema)
        finally:
            proxy.forward()  # closing says goodbye to the server
            app.extensions["wolfpack"].close()


@pytest.mark.postgres
def test_a_database_that_refuses_connections_answers_503_then_recovers(
    proxied: Proxied,
):
    app, proxy = proxied.app, proxied.proxy
    admin = sign_up(app, "admin@example.com", "Ada", admin=True)
    head = head_of(app)

    proxy.refuse()
    refused = [
        timed(lambda: admin.post("/teams", json={"name": "North"})) for _ in range(3)
    ]
    proxy.forward()
    answered, recovery = until_answered(
        lambda: admin.post("/teams", json={"name": "South"})
    )

    for response, took in refused:
        assert response.status_code == 503, response.json
        assert error_of(response)["code"] == "unavailable"
        assert response.headers["Retry-After"] == str(DB_TIMEOUT)
        assert took < WITHIN_BOUND
    assert answered.status_code == 201, (answered.json, recovery)
    assert recovery < WITHIN_BOUND
    # The refused commands recorded nothing.
    assert [t["name"] for t in admin.get("/teams").json] == ["South"]
    assert head_of(app) == int(answered.headers["X-Event-Position"]) == head + 1


@pytest.mark.postgres
def test_a_socket_handshake_while_the_database_refuses_answers_503(proxied: Proxied):
    admin = sign_up(proxied.app, "admin@example.com", "Ada", admin=True)
    handshake = "/socket.io/?EIO=4&transport=polling"

    proxied.proxy.refuse()
    refused, took = timed(lambda: admin.client.get(handshake))
    proxied.proxy.forward()
    answered, _ = until_answered(lambda: admin.client.get(handshake))

    assert refused.status_code == 503
    assert error_of(refused)["code"] == "unavailable"
    assert refused.headers["Retry-After"] == str(DB_TIMEOUT)
    assert took < WITHIN_BOUND
    assert answered.status_code == 200


@pytest.mark.postgres
def test_after_a_long_outage_the_event_store_connects_again_at_once(
    proxied: Proxied,
):
    events = Wolfpack(env=proxied.settings.event_store_env())  # no threads of its own
    try:
        events.recorder.max_notification_id()  # its pool holds connections
        proxy = proxied.proxy

        proxy.refuse()
        outage_over = time.monotonic() + LONG_OUTAGE
        # The pool starts replacing its lost connections, pausing longer and
        # longer between attempts (1, 2, 4, 8 s...), and nothing asks it again.
        seconds_to_fail(events.recorder.max_notification_id)
        time.sleep(max(0.0, outage_over - time.monotonic()))
        proxy.forward()
        answered, took = timed(lambda: wait_until(lambda: answers(events)))

        assert answered
        assert took < DB_TIMEOUT
    finally:
        events.close()


@pytest.mark.postgres
def test_a_database_that_never_answers_is_given_up_on_within_the_bound(
    proxied: Proxied,
):
    app, proxy = proxied.app, proxied.proxy
    admin = sign_up(app, "admin@example.com", "Ada", admin=True)
    recorder = app.extensions["wolfpack"].events.recorder

    proxy.swallow()
    account, account_took = timed(lambda: admin.get("/me"))
    # The second finds no pooled connection left to fail fast on, and waits.
    log_waits = [seconds_to_fail(recorder.max_notification_id) for _ in range(2)]
    proxy.forward()
    answered, recovery = until_answered(lambda: admin.get("/me"))

    assert account.status_code == 503, account.json
    assert account.headers["Retry-After"] == str(DB_TIMEOUT)
    assert account_took < WITHIN_BOUND
    assert max(log_waits) < WITHIN_BOUND
    assert answered.status_code == 200, (answered.json, recovery)


@pytest.mark.postgres
def test_every_connection_notices_a_vanished_server_by_tcp_keepalives(
    proxied: Proxied,
):
    recorder = proxied.app.extensions["wolfpack"].events.recorder
    with recorder.datastore.get_connection() as conn:
        store = conn.info.get_parameters()
    engine = proxied.app.extensions["wolfpack"].engine
    with engine.connect() as connection:
        tables = connection.connection.dbapi_connection.info.get_parameters()

    for parameters in (store, tables):
        assert parameters["keepalives"] == "1"
        assert int(parameters["keepalives_idle"]) * 2 <= 60


@pytest.mark.postgres
def test_readiness_names_no_host_port_or_database_when_the_database_is_down(
    proxied: Proxied,
):
    client = proxied.app.test_client()

    proxied.proxy.refuse()
    response = client.get("/readyz")

    assert response.status_code == 503
    assert error_of(response)["code"] == "not_ready"
    assert response.headers["Retry-After"] == str(DB_TIMEOUT)
    text = response.get_data(as_text=True)
    for secret in ("127.0.0.1", str(proxied.proxy.port), proxied.schema, "test"):
        assert secret not in text


@dataclass
class Stream:
    """Commands sent one after another, each retried with its key until answered."""

    user: ApiUser
    team_id: str
    due_at: str
    name: str
    acknowledged: dict[str, str]  # key (the title too) -> commitment id
    refusals: int = 0
    unanswered: str | None = None

    def run(self, stop: threading.Event) -> None:
        """Send commands until ``stop``; finish the one under way."""
        for n in range(10_000):
            if stop.is_set():
                return
            key = f"{self.name}-{n}"
            response = self._send(key)
            if response.status_code != 201:
                self.unanswered = f"{key}: {response.status_code} {response.json}"
                return
            self.acknowledged[key] = response.json["id"]

    def _send(self, key: str) -> TestResponse:
        body = {"team_id": self.team_id, "title": key, "due_at": self.due_at}
        give_up_at = time.monotonic() + 30
        while True:
            response = self.user.post(
                "/commitments", json=body, headers={"Idempotency-Key": key}
            )
            # 503: the database failed; 409: a claim left by one that did.
            if response.status_code not in (503, 409):
                return response
            if time.monotonic() > give_up_at:
                return response
            self.refusals += 1
            time.sleep(0.1)


def rep_session(app: Flask) -> ApiUser:
    """Sign the rep in once more: each stream has a session of its own."""
    return ApiUser(app, "rep@example.com", PASSWORD)


def terminate_backends(app_name: str) -> int:
    """End every PostgreSQL backend of the app's connections; return how many."""
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        ended = conn.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
            " FROM pg_stat_activity WHERE application_name = %s",
            (app_name,),
        ).fetchone()
    return int(ended[0]) if ended else 0


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_connections_cut_under_a_stream_of_commands_lose_nothing_acknowledged(
    settings: Settings,
):
    app_name = f"wolfpack-test-{uuid.uuid4().hex[:8]}"
    app = create_app(
        settings.with_changes(
            projections="thread",
            db_timeout=DB_TIMEOUT,
            database_application_name=app_name,
        )
    )
    services = app.extensions["wolfpack"]
    runner = services.projections
    other: Wolfpack | None = None
    try:
        # Only a save in this process, or LISTEN, wakes the runner: no polling.
        runner.stop()
        runner.start(poll_interval=60)
        admin = sign_up(app, "admin@example.com", "Ada", admin=True)
        rep = sign_up(app, "rep@example.com", "Ravi")
        team_id = admin.post("/teams", json={"name": "North"}).json["id"]
        added = admin.post(
            f"/teams/{team_id}/members", json={"user_id": rep.id, "role": "rep"}
        )
        assert added.status_code == 201
        due_at = (services.events.clock() + timedelta(days=2)).isoformat()
        acknowledged: dict[str, str] = {}
        streams = [
            Stream(rep_session(app), team_id, due_at, name, acknowledged)
            for name in ("first", "second", "third")
        ]
        stop = threading.Event()
        senders = [threading.Thread(target=s.run, args=(stop,)) for s in streams]

        for sender in senders:
            sender.start()
        terminated = []
        for _ in range(3):
            time.sleep(0.7)
            terminated.append(terminate_backends(app_name))
        time.sleep(0.7)
        stop.set()
        for sender in senders:
            sender.join(timeout=60)
        listening_again = wait_until(lambda: runner.listening is True)
        other = Wolfpack(env=settings.event_store_env())
        east = other.create_team(Actor(uuid.UUID(admin.id), True), "East", "UTC")
        heard = runner.wait_for(east.position, timeout=10)
        listed = admin.get(f"/commitments?team_id={team_id}").json

        assert all(count > 0 for count in terminated), terminated
        assert [s.unanswered for s in streams] == [None, None, None]
        assert len(acknowledged) >= 6
        # Every acknowledged command is in the event log and the read models, once.
        for key, commitment_id in acknowledged.items():
            recorded = services.events.repository.get(uuid.UUID(commitment_id))
            assert recorded.title == key
        titles = sorted(c["title"] for c in listed)
        assert titles == sorted(acknowledged)
        assert {c["id"] for c in listed} == set(acknowledged.values())
        # LISTEN is back: another process's save woke the runner (no polling).
        assert listening_again
        assert heard
    finally:
        if other is not None:
            other.close()
        services.close()


def lost_connection(*_args: Any, **_kwargs: Any) -> None:
    """Fail as SQLAlchemy does when the database drops the connection."""
    raise SqlOperationalError(
        "SELECT 1", {}, Exception("server closed the connection unexpectedly")
    )


def test_a_recorded_command_is_acknowledged_though_the_read_models_then_fail(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    services = world.app.extensions["wolfpack"]
    head = world.head()
    monkeypatch.setattr(services.projections, "catch_up", lost_connection)

    response = world.admin.post("/teams", json={"name": "East"})

    assert response.status_code == 201, response.json
    assert world.head() == int(response.headers["X-Event-Position"]) > head


def test_an_answer_that_could_not_be_stored_is_given_and_its_retry_records_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    commitment_id = world.make_commitment()["id"]
    path = f"/commitments/{commitment_id}/progress"
    keyed = {"Idempotency-Key": "call-1"}
    monkeypatch.setattr(idempotency, "_remember", lost_connection)

    first = world.rep.post(path, json={"note": "called"}, headers=keyed)
    monkeypatch.undo()
    head = world.head()
    too_soon = world.rep.post(path, json={"note": "called"}, headers=keyed)
    with world.app.extensions["wolfpack"].sessions() as session:
        claim = session.get(IdempotencyRecord, (uuid.UUID(world.rep.id), "call-1"))
        claim.created_at -= idempotency.IN_FLIGHT  # the server died long ago
        session.commit()
    retried = world.rep.post(path, json={"note": "called"}, headers=keyed)

    assert first.status_code == 200, first.json
    assert too_soon.status_code == 409
    assert error_of(too_soon)["code"] == "idempotency_key_in_use"
    assert retried.status_code == 200
    assert [p["note"] for p in retried.json["progress"]] == ["called"]
    assert world.head() == head
