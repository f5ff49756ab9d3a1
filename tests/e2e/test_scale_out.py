"""Scaled out: two gunicorn instances and a projection process share PostgreSQL
and Redis. What is done over HTTP on one instance reaches sockets on the other.

The web instances run with ``WOLFPACK_PROJECTIONS=off``; ``flask projections
run`` applies the events and announces them through Redis, and each instance
delivers to the sockets it holds. A command's response waits (up to 2 s) until
that process has applied it.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import (
    POSTGRES_URL,
    REDIS_URL,
    postgres_schema,
    require_postgres,
    require_redis,
    socketio_channel,
)
from tests.e2e.conftest import BIN, ROOT, LiveServer, gunicorn, stop
from tests.e2e.sockets import Clients, joined

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

ADMIN = ("boss@example.com", "Boss", "boss-password-1")


@dataclass
class Cluster:
    """Two web instances' URLs, and the CLI on their shared stores."""

    first: str
    second: str
    cli: LiveServer


@contextmanager
def projection_process(env: dict[str, str], log_path: Path) -> Iterator[None]:
    """Run ``flask projections run`` until the block ends; wait until it follows."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "flask"), "--app", "wsgi", "projections", "run", "--poll", "1"],
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while b"Following the event log" not in log_path.read_bytes():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"projections run exited with {process.returncode}:\n"
                        + log_path.read_text(errors="replace")
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError("projections run did not start in 30 s")
                time.sleep(0.05)
            assert b"Live pushes go to the web instances" in log_path.read_bytes()
            yield
        finally:
            stop(process)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    require_postgres()
    require_redis()
    with postgres_schema() as schema, ExitStack() as processes:
        env = {
            **os.environ,
            "WOLFPACK_DATA_DIR": str(tmp_path / "var"),
            "WOLFPACK_PROJECTIONS": "off",
            "WOLFPACK_DATABASE_URL": POSTGRES_URL,
            "WOLFPACK_DATABASE_SCHEMA": schema,
            "WOLFPACK_REDIS_URL": REDIS_URL,
            # Tests running at once share the Redis server, not the channel.
            "WOLFPACK_SOCKETIO_CHANNEL": socketio_channel(),
        }
        # One at a time: the first creates the tables, the others find them.
        first = processes.enter_context(gunicorn(env, tmp_path / "first.log"))
        second = processes.enter_context(gunicorn(env, tmp_path / "second.log"))
        processes.enter_context(projection_process(env, tmp_path / "projections.log"))
        cli = LiveServer(first, env)
        email, name, password = ADMIN
        cli.create_user(email, name, password)
        yield Cluster(first, second, cli)
        # Processes stop first (closing their connections), then the schema goes.


def test_a_command_on_one_instance_reaches_a_socket_on_the_other(
    cluster: Cluster, clients: Clients
):
    admin = clients.member(cluster.first, ADMIN[0], ADMIN[2])
    ids = {}
    for key in ("lena", "rosa"):
        ids[key] = admin.created(
            "/users",
            {
                "name": key.title(),
                "email": f"{key}@example.com",
                "password": f"{key}-password",
            },
        )["id"]
    team_id = admin.created("/teams", {"name": "North"})["id"]
    # Signed in on the first instance; the session is good on the second too.
    admin_socket = clients.listener("admin on the second").connect(
        cluster.second, cookie=admin.cookie, origin=cluster.second
    )
    for key, role in (("lena", "leader"), ("rosa", "rep")):
        admin.created(f"/teams/{team_id}/members", {"user_id": ids[key], "role": role})
    for key in ids:
        # Announced by the projection process, delivered by the second instance.
        admin_socket.wait_for("feed", joined(key.title()))
    rosa = clients.member(cluster.first, "rosa@example.com", "rosa-password")
    lena = clients.member(cluster.first, "lena@example.com", "lena-password")
    on_second = clients.listener("rosa on the second").connect(
        cluster.second, cookie=rosa.cookie, origin=cluster.second
    )
    on_first = clients.listener("rosa on the first").connect(
        cluster.first, cookie=rosa.cookie, origin=cluster.first
    )

    due = datetime.now(UTC) + timedelta(days=2)
    response = lena.post(
        "/commitments",
        {"team_id": team_id, "title": "Coach the new reps", "due_at": due.isoformat()},
        base_url=cluster.first,
    )

    assert response.status_code == 201, response.text
    made = response.json()
    position = int(response.headers["X-Event-Position"])
    for socket in (on_second, on_first):
        pushed = socket.wait_for("commitment", lambda p: p["id"] == made["id"])
        assert (pushed["owner_id"], pushed["team_id"]) == (lena.id, team_id)
        assert pushed["position"] >= position
        item = socket.wait_for("feed", lambda p: p["item"]["actor_id"] == lena.id)
        assert item["item"]["text"] == 'Lena committed to "Coach the new reps"'
        assert item["position"] >= position
        board = socket.wait_for(
            "leaderboard", lambda p: any(r["user_id"] == lena.id for r in p["rows"])
        )
        assert board["team_id"] == team_id
        assert board["position"] >= position


def test_logging_out_on_one_instance_closes_the_sockets_on_the_other(
    cluster: Cluster, clients: Clients
):
    laptop = clients.member(cluster.first, ADMIN[0], ADMIN[2])
    phone = clients.member(cluster.first, ADMIN[0], ADMIN[2])
    on_laptop = clients.listener("laptop on the second").connect(
        cluster.second, cookie=laptop.cookie, origin=cluster.second
    )
    on_phone = clients.listener("phone on the second").connect(
        cluster.second, cookie=phone.cookie, origin=cluster.second
    )

    assert laptop.post("/auth/logout", base_url=cluster.first).status_code == 204

    # The first instance holds no socket of it: the disconnect goes through Redis.
    assert on_laptop.disconnected.wait(5), "the logged-out session's socket is open"
    assert not on_laptop.client.connected
    assert on_phone.client.connected
