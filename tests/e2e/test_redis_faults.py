"""Redis gone: HTTP keeps working, /readyz says degraded, and live pushes resume
by themselves once Redis is back.

gunicorn reaches the real Redis through a proxy of the test's own
(``tests.tcp_proxy``), which the test breaks and mends; the Socket.IO messages
of the instance travel through Redis, as in a scaled-out deployment.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import REDIS_URL, require_redis, socketio_channel
from tests.e2e.conftest import LiveServer, gunicorn
from tests.e2e.sockets import Clients, Listener, Member, Payload
from tests.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = [pytest.mark.e2e, pytest.mark.redis]

ADMIN = ("boss@example.com", "Boss", "boss-password-1")


@pytest.fixture
def behind_a_redis_proxy(tmp_path: Path) -> Iterator[tuple[LiveServer, TcpProxy]]:
    """Serve the app with gunicorn, its Redis reached through a breakable proxy."""
    require_redis()
    parts = urlsplit(REDIS_URL)
    with tcp_proxy(parts.hostname or "127.0.0.1", parts.port or 6379) as proxy:
        env = {
            **os.environ,
            "WOLFPACK_DATA_DIR": str(tmp_path / "var"),
            "WOLFPACK_REDIS_URL": f"redis://127.0.0.1:{proxy.port}{parts.path}",
            "WOLFPACK_SOCKETIO_CHANNEL": socketio_channel(),
        }
        with gunicorn(env, tmp_path / "gunicorn.log") as url:
            yield LiveServer(url, env), proxy


def readiness(url: str) -> tuple[int, dict[str, object]]:
    """Return the status and body of ``/readyz``."""
    response = requests.get(f"{url}/readyz", timeout=15)
    return response.status_code, response.json()


def heard(socket: Listener, match: Callable[[Payload], bool], within: float) -> bool:
    """Tell whether ``socket`` hears a matching commitment push within ``within``."""
    give_up_at = time.monotonic() + within
    while time.monotonic() < give_up_at:
        if any(e == "commitment" and match(p) for e, p in socket.heard):
            return True
        time.sleep(0.05)
    return False


def test_without_redis_http_works_readiness_is_degraded_and_pushes_resume(
    behind_a_redis_proxy: tuple[LiveServer, TcpProxy], clients: Clients
):
    server, proxy = behind_a_redis_proxy
    email, name, password = ADMIN
    server.create_user(email, name, password)
    admin = clients.member(server.url, email, password)
    team_id = admin.created("/teams", {"name": "North"})["id"]
    admin.created(f"/teams/{team_id}/members", {"user_id": admin.id, "role": "leader"})
    socket = clients.listener("admin").connect(
        server.url, cookie=admin.cookie, origin=server.url
    )
    due = (server.now() + timedelta(days=2)).isoformat()

    def body(title: str) -> dict[str, str]:
        return {"team_id": team_id, "title": title, "due_at": due}

    def commit(member: Member, title: str) -> str:
        return str(member.created("/commitments", body(title))["id"])

    before = commit(admin, "Before")
    heard_before = heard(socket, lambda p: p["id"] == before, within=10)
    ready_before = readiness(server.url)

    proxy.refuse()
    without_redis = readiness(server.url)
    # Long enough for Socket.IO's listener to back off more than once.
    made_without = []
    while len(made_without) < 6:
        made_without.append(admin.post("/commitments", body("Without Redis")))
        time.sleep(0.5)
    listed = admin.http.get(f"{server.url}/api/v1/commitments", timeout=15)
    signed_in_without_redis = clients.member(server.url, email, password)

    proxy.forward()
    mended_at = time.monotonic()
    resumed_after = None
    while time.monotonic() - mended_at < 30:
        after = commit(admin, "After")
        if heard(socket, lambda p, after=after: p["id"] == after, within=1):
            resumed_after = time.monotonic() - mended_at
            break
    ready_after = readiness(server.url)

    assert heard_before
    assert ready_before == (200, {**ready_before[1], "status": "ready", "redis": "ok"})
    assert without_redis[0] == 200
    assert (without_redis[1]["status"], without_redis[1]["redis"]) == (
        "degraded",
        "unreachable",
    )
    assert [r.status_code for r in made_without] == [201] * 6
    assert [c["title"] for c in listed.json()].count("Without Redis") == 6
    assert signed_in_without_redis.id == admin.id  # sign-in limits fall back
    assert resumed_after is not None, "no push reached the socket once Redis was back"
    assert ready_after[1]["status"] == "ready"
