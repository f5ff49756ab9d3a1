"""Real Socket.IO clients (python-socketio over websockets) against gunicorn.

People sign in over HTTP with ``requests``; their sockets authenticate with the
session cookie (and the page's own ``Origin``, as a browser sends it) or with an
API token in ``auth``. What one person does over HTTP reaches the sockets of the
team, and only of the team.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import socketio

from tests.e2e.conftest import LiveServer
from tests.e2e.sockets import BROWSER_TRANSPORTS, Clients, Listener, Member, joined

pytestmark = pytest.mark.e2e

ADMIN = ("boss@example.com", "Boss", "boss-password-1")


@dataclass
class World:
    """Team North (Lena leads, Ravi and Rosa) and team South (Otto), signed in."""

    url: str
    admin: Member
    admin_socket: Listener
    team_id: str
    south_id: str
    people: dict[str, Member]
    tokens: dict[str, str]


def create_admin(live_server: LiveServer) -> None:
    email, name, password = ADMIN
    live_server.create_user(email, name, password)


@pytest.fixture
def world(live_server: LiveServer, clients: Clients) -> World:
    create_admin(live_server)
    admin = clients.member(live_server.url, ADMIN[0], ADMIN[2])
    ids = {}
    for key in ("lena", "ravi", "rosa", "otto"):
        user = admin.created(
            "/users",
            {
                "name": key.title(),
                "email": f"{key}@example.com",
                "password": f"{key}-password",
            },
        )
        ids[key] = user["id"]
    north = admin.created("/teams", {"name": "North"})["id"]
    south = admin.created("/teams", {"name": "South"})["id"]
    # An admin's socket is in every team's room, and no member joining moves it.
    admin_socket = clients.listener("admin").connect(
        live_server.url, cookie=admin.cookie, origin=live_server.url
    )
    for key, team, role in (
        ("lena", north, "leader"),
        ("ravi", north, "rep"),
        ("rosa", north, "rep"),
        ("otto", south, "rep"),
    ):
        admin.created(f"/teams/{team}/members", {"user_id": ids[key], "role": role})
    # The round of pushes that announces a joiner first closes the joiner's
    # sockets (to give them their new rooms): connect members only after it.
    for key in ids:
        admin_socket.wait_for("feed", joined(key.title()))
    people = {
        key: clients.member(live_server.url, f"{key}@example.com", f"{key}-password")
        for key in ids
    }
    bot = admin.created("/tokens", {"name": "Lena's bot", "user_id": ids["lena"]})
    assert bot["token"].startswith("wp_")
    return World(
        live_server.url,
        admin,
        admin_socket,
        north,
        south,
        people,
        {"lena": bot["token"]},
    )


def make_commitment(world: World, who: str) -> tuple[dict[str, object], int]:
    """Make a commitment over HTTP; return it and its X-Event-Position."""
    due = datetime.now(UTC) + timedelta(days=2)
    response = world.people[who].post(
        "/commitments",
        {
            "team_id": world.team_id,
            "title": "Send the Acme proposal",
            "due_at": due.isoformat(),
        },
    )
    assert response.status_code == 201, response.text
    return response.json(), int(response.headers["X-Event-Position"])


def test_a_command_over_http_reaches_teammates_by_cookie_and_by_token(
    world: World, clients: Clients
):
    rosa = world.people["rosa"]
    # Rosa's browser: long-polling first, then the upgrade to a websocket.
    by_cookie = clients.listener("rosa").connect(
        world.url, cookie=rosa.cookie, origin=world.url, transports=BROWSER_TRANSPORTS
    )
    by_token = clients.listener("lena's bot").connect(
        world.url, token=world.tokens["lena"]
    )
    assert by_token.client.transport() == "websocket"

    made, position = make_commitment(world, "ravi")

    ravi_id = world.people["ravi"].id
    for listener in (by_cookie, by_token):
        pushed = listener.wait_for("commitment", lambda p: p["id"] == made["id"])
        assert (pushed["owner_id"], pushed["team_id"], pushed["status"]) == (
            ravi_id,
            world.team_id,
            "open",
        )
        assert pushed["version"] == made["version"]
        assert pushed["position"] >= position
        item = listener.wait_for("feed", lambda p: p["item"]["actor_id"] == ravi_id)
        assert item["team_id"] == world.team_id
        assert item["item"]["text"] == 'Ravi committed to "Send the Acme proposal"'
        assert item["position"] >= position
        board = listener.wait_for(
            "leaderboard",
            lambda p: any(r["user_id"] == ravi_id for r in p["rows"]),
        )
        assert (board["team_id"], board["board"]) == (world.team_id, "points")
        assert board["position"] >= position


def test_a_client_of_another_team_hears_nothing(world: World, clients: Clients):
    otto = world.people["otto"]
    outsider = clients.listener("otto").connect(
        world.url, cookie=otto.cookie, origin=world.url
    )

    made, _ = make_commitment(world, "ravi")

    # The admin's socket is in North's room too: once it has the push, it was sent.
    world.admin_socket.wait_for("commitment", lambda p: p["id"] == made["id"])
    assert outsider.hears_nothing_for(1.5), outsider.heard
    assert outsider.client.connected


def test_sockets_are_refused_without_credentials_or_from_another_origin(
    live_server: LiveServer, clients: Clients
):
    create_admin(live_server)
    admin = clients.member(live_server.url, ADMIN[0], ADMIN[2])

    with pytest.raises(socketio.exceptions.ConnectionError):
        clients.listener("anonymous").connect(live_server.url, origin=live_server.url)
    with pytest.raises(socketio.exceptions.ConnectionError):
        clients.listener("forged token").connect(live_server.url, token="wp_forged")
    for transports in (BROWSER_TRANSPORTS, ("websocket",)):
        with pytest.raises(socketio.exceptions.ConnectionError):
            # A page elsewhere cannot ride on the signed-in browser's cookie.
            clients.listener("evil").connect(
                live_server.url,
                cookie=admin.cookie,
                origin="http://evil.example",
                transports=transports,
            )
    same_origin = clients.listener("same origin").connect(
        live_server.url, cookie=admin.cookie, origin=live_server.url
    )
    assert same_origin.client.connected


def test_logging_out_over_http_closes_that_sessions_sockets(
    live_server: LiveServer, clients: Clients
):
    create_admin(live_server)
    laptop = clients.member(live_server.url, ADMIN[0], ADMIN[2])
    phone = clients.member(live_server.url, ADMIN[0], ADMIN[2])
    on_laptop = clients.listener("laptop").connect(
        live_server.url, cookie=laptop.cookie, origin=live_server.url
    )
    on_phone = clients.listener("phone").connect(
        live_server.url, cookie=phone.cookie, origin=live_server.url
    )
    cookie = laptop.cookie

    assert laptop.post("/auth/logout").status_code == 204

    assert on_laptop.disconnected.wait(5), "the logged-out session's socket is open"
    assert not on_laptop.client.connected
    assert on_phone.client.connected  # the same person's other session stays
    with pytest.raises(socketio.exceptions.ConnectionError):
        clients.listener("again").connect(
            live_server.url, cookie=cookie, origin=live_server.url
        )


def test_websockets_open_uncompressed_even_when_the_client_offers_compression(
    live_server: LiveServer,
):
    # Compressing costs each socket more than the rest of a push (docs/BENCHMARKS.md).
    host, port = live_server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nOrigin: {live_server.url}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            "\r\n".encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(4096)
    head = answer.partition(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 101")
    assert b"sec-websocket-extensions" not in head
