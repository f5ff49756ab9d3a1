"""Sockets never starve HTTP: nameless websockets flood `make run`'s server.

Under gunicorn's gthread worker every open socket holds a thread. Before the
socket gate, 64 websockets opened without signing in froze a 64-thread server:
every HTTP request, /healthz included, timed out while they stayed open.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.conftest import socketio_channel
from tests.e2e.conftest import LiveServer, gunicorn
from tests.e2e.sockets import Clients, Listener

pytestmark = pytest.mark.e2e

THREADS = 128  # as `make run` serves
DASHBOARDS = 50
PEOPLE = 5  # ten dashboards each: the most one person may hold
NAMELESS = 200
ADMIN = ("boss@example.com", "boss-password-1")


@dataclass
class Flood:
    """Nameless websockets opened again and again, never signing in."""

    url: str
    accepted: int = 0
    refused: dict[int, int] = field(default_factory=dict)
    lasted: list[float] = field(default_factory=list)  # seconds each stayed open
    stop: threading.Event = field(default_factory=threading.Event)

    def open_one(self) -> None:
        """Open a websocket without credentials and hold it until the server ends it."""
        host, port = self.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            key = base64.b64encode(os.urandom(16)).decode()
            sock.sendall(
                (
                    "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                    f"Host: {host}:{port}\r\nUpgrade: websocket\r\n"
                    f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n"
                ).encode()
            )
            opened = time.monotonic()
            head = sock.recv(4096)
            status = int(head.split(b" ", 2)[1])
            if status != 101:
                self.refused[status] = self.refused.get(status, 0) + 1
                self.stop.wait(1)  # as a client that retries, a second later
                return
            self.accepted += 1
            while sock.recv(4096):  # never answer a ping; wait to be cut off
                pass
            self.lasted.append(time.monotonic() - opened)

    def keep_flooding(self) -> None:
        """Keep ``NAMELESS`` clients trying until stopped."""

        def attempt() -> None:
            while not self.stop.is_set():
                self.open_one()

        workers = [threading.Thread(target=attempt) for _ in range(NAMELESS)]
        for worker in workers:
            worker.start()
        self.stop.wait()
        for worker in workers:
            worker.join(30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """`make run`'s server on a fresh folder; every client here shares one address."""
    env = {
        **os.environ,
        "WOLFPACK_DATA_DIR": str(tmp_path / "var"),
        "WOLFPACK_SOCKETIO_CHANNEL": socketio_channel(),
        "WOLFPACK_SOCKETS_PER_ADDRESS": "500",
    }
    live = LiveServer("", env)
    live.create_user(ADMIN[0], "Boss", ADMIN[1])
    with gunicorn(env, tmp_path / "gunicorn.log", threads=THREADS) as url:
        yield LiveServer(url, env)


def api(url: str, token: str, method: str, path: str, body: object = None) -> dict:
    """Call the API with a bearer token; fail unless it succeeded."""
    response = requests.request(
        method,
        f"{url}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=15,
    )
    assert response.ok, response.text
    return response.json()


def test_nameless_websockets_never_starve_http_or_the_dashboards(
    server: LiveServer, clients: Clients
):
    admin = clients.member(server.url, ADMIN[0], ADMIN[1])
    admin_token = admin.created("/tokens", {"name": "set-up"})["token"]
    team = api(server.url, admin_token, "POST", "/teams", {"name": "North"})
    tokens = []
    for n in range(PEOPLE):
        person = api(
            server.url,
            admin_token,
            "POST",
            "/users",
            {
                "name": f"Rep {n}",
                "email": f"rep{n}@example.com",
                "password": f"rep {n} password",
            },
        )
        api(
            server.url,
            admin_token,
            "POST",
            f"/teams/{team['id']}/members",
            {"user_id": person["id"], "role": "rep"},
        )
        tokens.append(
            api(
                server.url,
                admin_token,
                "POST",
                "/tokens",
                {"name": "dashboard", "user_id": person["id"]},
            )["token"]
        )
    flood = Flood(server.url)
    flooding = threading.Thread(target=flood.keep_flooding)
    flooding.start()
    try:
        time.sleep(1)  # the flood is under way
        dashboards = [
            clients.listener(f"dashboard {n}").connect(
                server.url, token=tokens[n % PEOPLE], bearer=True
            )
            for n in range(DASHBOARDS)
        ]

        started = time.monotonic()
        health = requests.get(f"{server.url}/healthz", timeout=5)
        health_took = time.monotonic() - started
        started = time.monotonic()
        made = api(
            server.url,
            tokens[0],
            "POST",
            "/commitments",
            {
                "team_id": team["id"],
                "title": "Call Acme back",
                "due_at": "2031-01-01T17:00:00+00:00",
            },
        )
        command_took = time.monotonic() - started
        heard = [
            d.wait_for("commitment", lambda p: p["id"] == made["id"])
            for d in dashboards
        ]
    finally:
        flood.stop.set()
        flooding.join(60)

    assert health.status_code == 200
    assert health_took < 1
    assert command_took < 1
    assert len(heard) == DASHBOARDS
    assert all(isinstance(d, Listener) and d.client.connected for d in dashboards)
    assert sum(flood.refused.values()) > flood.accepted > 0
    assert set(flood.refused) <= {429, 503}
    # Let in only while few wait, and cut off after the gate's grace (5 s).
    assert max(flood.lasted) < 10


def upgrade(url: str, sid: str) -> tuple[socket.socket, int]:
    """Ask to move connection ``sid`` to a websocket; return the socket and status."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /socket.io/?EIO=4&transport=websocket&sid={sid} HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    return sock, int(sock.recv(4096).split(b" ", 2)[1])


def test_requests_piled_on_one_connection_never_starve_http(server: LiveServer):
    handshake = requests.get(
        f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=5
    )
    sid = json.loads(handshake.text[1:])["sid"]
    polls: list[int] = []

    def poll() -> None:
        url = f"{server.url}/socket.io/?EIO=4&transport=polling&sid={sid}"
        polls.append(requests.get(url, timeout=40).status_code)

    polling = [threading.Thread(target=poll) for _ in range(THREADS)]
    for thread in polling:
        thread.start()
    upgrades = [upgrade(server.url, sid) for _ in range(THREADS)]
    try:
        started = time.monotonic()
        health = requests.get(f"{server.url}/healthz", timeout=5)
        health_took = time.monotonic() - started
        (held,) = [sock for sock, status in upgrades if status == 101]
        held.settimeout(15)
        opened = time.monotonic()
        while held.recv(4096):  # never send the probe: the server gives up
            pass
        held_for = time.monotonic() - opened
    finally:
        for sock, _ in upgrades:
            sock.close()
        for thread in polling:
            thread.join(40)

    assert health.status_code == 200
    assert health_took < 1
    assert sorted(status for _, status in upgrades) == [101] + [429] * (THREADS - 1)
    assert polls.count(429) >= THREADS - 1
    assert held_for < 10  # the upgrade's wait for the probe (5 s), and no longer
