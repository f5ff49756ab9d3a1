"""Socket.IO: who may connect, which rooms they hear, and what each change pushes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask_socketio import SocketIO, SocketIOTestClient
from sqlalchemy import func, select

from server.pushes import Pusher
from server.realtime import LiveSocket
from tests.integration.apiclient import ApiUser
from tests.integration.conftest import World


class Sockets:
    """Socket.IO test clients on the world's app, and the pushes sent by hand."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.socketio: SocketIO = world.app.extensions["socketio"]
        self.pusher: Pusher = world.app.extensions["wolfpack"].pusher
        # Rounds of pushes are sent by ``push`` alone, so tests see whole rounds.
        self.pusher.stop()
        self.clients: list[SocketIOTestClient] = []

    def of(self, user: ApiUser | None = None, **auth: str) -> SocketIOTestClient:
        """Connect as the user's browser session, or with ``auth`` only."""
        client = self.socketio.test_client(
            self.world.app,
            flask_test_client=user.client if user else None,
            auth=auth or None,
        )
        self.clients.append(client)
        return client

    def push(self) -> None:
        """Send the pending round of pushes now."""
        self.pusher.flush()

    def close(self) -> None:
        for client in self.clients:
            if client.is_connected():
                client.disconnect()


@pytest.fixture
def sockets(world: World) -> Iterator[Sockets]:
    found = Sockets(world)
    yield found
    found.close()


def received(client: SocketIOTestClient, name: str) -> list[dict[str, Any]]:
    """Return the payloads of the named event the client got since last asked."""
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


def by_name(client: SocketIOTestClient) -> dict[str, list[dict[str, Any]]]:
    """Return everything the client got since last asked, by event name."""
    found: dict[str, list[dict[str, Any]]] = {}
    for message in client.get_received():
        found.setdefault(message["name"], []).append(message["args"][0])
    return found


def test_a_socket_without_a_session_or_token_is_refused(sockets: Sockets):
    assert not sockets.of().is_connected()
    assert not sockets.of(token="wp_not-a-token").is_connected()
    assert not sockets.of(token="wps_not-a-screen-token").is_connected()
    assert not sockets.of(token="wp_\ud800").is_connected()  # no UTF-8 for it


def test_a_teammates_commitment_reaches_every_member_and_no_one_else(
    world: World, sockets: Sockets
):
    rep, outsider = sockets.of(world.rep), sockets.of(world.outsider)
    assert rep.is_connected()
    assert outsider.is_connected()

    made = world.make_commitment(world.teammate)
    sockets.push()

    got = by_name(rep)
    [commitment] = got["commitment"]
    assert commitment["id"] == made["id"]
    assert commitment["status"] == "open"
    assert commitment["owner_id"] == world.teammate.id
    assert commitment["team_id"] == world.team_id
    assert commitment["position"] == world.head()
    [item] = got["feed"]
    assert item["item"]["text"] == 'Tia Teammate committed to "Send the proposal"'
    [board] = got["leaderboard"]
    assert board["team_id"] == world.team_id
    assert board["board"] == "points"
    top = board["rows"][0]
    assert (top["user_id"], top["name"], top["rank"]) == (
        world.teammate.id,
        "Tia Teammate",
        1,
    )
    assert by_name(outsider) == {}


def test_every_push_carries_the_position_the_read_models_reached(
    world: World, sockets: Sockets
):
    rep = sockets.of(world.rep)
    world.make_commitment(world.teammate)
    world.make_commitment(world.teammate, title="Call Globex")
    sockets.push()

    messages = rep.get_received()
    assert messages
    assert {m["args"][0]["position"] for m in messages} == {world.head()}


def test_feed_items_say_which_item_came_before_so_gaps_show(
    world: World, sockets: Sockets
):
    rep = sockets.of(world.rep)
    world.make_commitment(world.teammate)
    sockets.push()
    [first] = received(rep, "feed")
    world.make_commitment(world.teammate, title="Call Globex")
    world.make_commitment(world.teammate, title="Book the demo")
    sockets.push()

    second, third = received(rep, "feed")
    assert second["after"] == first["item"]["position"]
    assert third["after"] == second["item"]["position"]
    assert third["item"]["position"] > second["item"]["position"]


def test_a_badge_reaches_the_team_and_the_earner(world: World, sockets: Sockets):
    rep, teammate = sockets.of(world.rep), sockets.of(world.teammate)
    made = world.make_commitment()
    kept = world.rep.post(f"/commitments/{made['id']}/keep", json={})
    assert kept.status_code == 200, kept.json
    sockets.push()

    for client in (rep, teammate):
        badges = received(client, "badge")
        assert [(b["user_id"], b["badge"]) for b in badges] == [
            (world.rep.id, "first_promise_kept")
        ]


def test_an_api_token_in_auth_connects_as_its_owner(world: World, sockets: Sockets):
    issued = world.admin.post("/tokens", json={"name": "bot", "user_id": world.rep.id})
    assert issued.status_code == 201, issued.json
    bot = sockets.of(token=issued.json["token"])
    assert bot.is_connected()

    world.make_commitment(world.teammate)
    sockets.push()

    assert received(bot, "commitment")


def test_logging_out_closes_the_sessions_sockets(world: World, sockets: Sockets):
    rep, teammate = sockets.of(world.rep), sockets.of(world.teammate)

    assert world.rep.post("/auth/logout").status_code == 204

    assert not rep.is_connected()
    assert teammate.is_connected()
    assert not sockets.of(world.rep).is_connected()


def test_clients_cannot_join_rooms_they_were_not_given(world: World, sockets: Sockets):
    outsider = sockets.of(world.outsider)
    outsider.emit("join", {"room": f"team:{world.team_id}"})
    outsider.emit("enter_room", f"team:{world.team_id}")

    world.make_commitment(world.teammate)
    sockets.push()

    # Only its own team's news (its joining it, if that round was still pending).
    heard = by_name(outsider)
    assert "commitment" not in heard
    assert {p["team_id"] for ps in heard.values() for p in ps} <= {world.other_team_id}


def test_a_team_screen_hears_its_board_and_feed_with_hidden_names_masked(
    world: World, sockets: Sockets
):
    issued = world.leader.post(
        f"/teams/{world.team_id}/screen-tokens", json={"name": "Sales floor TV"}
    )
    assert issued.status_code == 201, issued.json
    hidden = world.teammate.client.put(
        "/api/v1/me/preferences",
        json={"hide_on_team_screen": True},
        headers={"X-CSRF-Token": world.teammate.csrf},
    )
    assert hidden.status_code == 200, hidden.json
    screen = sockets.of(token=issued.json["token"])
    assert screen.is_connected()

    made = world.make_commitment(world.teammate)
    world.teammate.post(f"/commitments/{made['id']}/keep", json={})
    sockets.push()

    got = by_name(screen)
    assert "commitment" not in got  # titles and owners are for members
    [board] = got["leaderboard"]
    assert board["rows"][0]["user_id"] is None
    assert board["rows"][0]["name"] == "A teammate"
    texts = [f["item"]["text"] for f in got["feed"]]
    assert texts[0] == 'A teammate committed to "Send the proposal"'
    assert all("Tia" not in text for text in texts)
    assert [b["user_id"] for b in got["badge"]] == [None]


def test_a_screen_hears_the_board_again_when_someone_hides_their_name(
    world: World, sockets: Sockets
):
    issued = world.leader.post(
        f"/teams/{world.team_id}/screen-tokens", json={"name": "Sales floor TV"}
    )
    screen = sockets.of(token=issued.json["token"])
    made = world.make_commitment(world.teammate)
    world.teammate.post(f"/commitments/{made['id']}/keep", json={})
    sockets.push()
    screen.get_received()

    world.teammate.client.put(
        "/api/v1/me/preferences",
        json={"hide_on_team_screen": True},
        headers={"X-CSRF-Token": world.teammate.csrf},
    )
    sockets.push()

    [board] = received(screen, "leaderboard")
    names = [row["name"] for row in board["rows"]]
    assert names[0] == "A teammate"
    assert "Tia Teammate" not in names


def test_a_revoked_screen_token_is_disconnected(world: World, sockets: Sockets):
    path = f"/teams/{world.team_id}/screen-tokens"
    issued = world.leader.post(path, json={"name": "TV"})
    screen = sockets.of(token=issued.json["token"])
    assert screen.is_connected()

    revoked = world.leader.delete(f"{path}/{issued.json['id']}")

    assert revoked.status_code == 204
    assert not screen.is_connected()


def test_revoking_an_api_token_closes_the_sockets_it_opened(
    world: World, sockets: Sockets
):
    issued = world.admin.post(
        "/tokens", json={"name": "Wallboard", "user_id": world.rep.id}
    )
    by_token = sockets.of(token=issued.json["token"])
    by_session = sockets.of(world.rep)
    assert by_token.is_connected()

    revoked = world.admin.delete(f"/tokens/{issued.json['id']}")

    assert revoked.status_code == 204
    assert not by_token.is_connected()
    assert by_session.is_connected()
    assert sockets.of(token=issued.json["token"]).is_connected() is False


def test_a_client_event_named_connect_does_not_connect_it_again(
    world: World, sockets: Sockets, caplog: pytest.LogCaptureFixture
):
    client = sockets.of(world.rep)
    rows = live_socket_rows(world)

    client.emit("connect", {"token": "anything"})
    client.emit("disconnect")

    assert client.is_connected()
    assert live_socket_rows(world) == rows == 1
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


def live_socket_rows(world: World) -> int:
    """Return how many sockets the app has rows for."""
    with world.app.extensions["wolfpack"].sessions() as session:
        return session.scalar(select(func.count()).select_from(LiveSocket)) or 0


def test_a_member_who_moves_team_is_reconnected_to_the_new_rooms(
    world: World, sockets: Sockets
):
    before = sockets.of(world.outsider)
    added = world.admin.post(
        f"/teams/{world.team_id}/members",
        json={"user_id": world.outsider.id, "role": "rep"},
    )
    assert added.status_code == 201, added.json
    after = sockets.of(world.outsider)  # connected with the new rooms already
    sockets.push()
    assert not before.is_connected()
    assert after.is_connected()

    world.make_commitment(world.teammate)
    sockets.push()
    assert received(after, "commitment")


def test_leaders_hear_when_someone_falls_at_risk(world: World, sockets: Sockets):
    leader, rep = sockets.of(world.leader), sockets.of(world.rep)
    made = world.make_commitment()
    sockets.push()
    leader.get_received()
    world.travel(timedelta(days=3))
    world.rep.post(f"/commitments/{made['id']}/progress", json={"note": "Halfway"})
    sockets.push()

    [risks] = received(leader, "at_risk")
    assert risks["team_id"] == world.team_id
    [item] = risks["items"]
    assert (item["kind"], item["user_id"], item["name"]) == (
        "overdue_commitment",
        world.rep.id,
        "Ravi Rep",
    )
    assert received(rep, "at_risk") == []


def test_a_leader_who_mentors_a_teammate_hears_the_full_list_once(
    world: World, sockets: Sockets
):
    mentored = world.admin.post(
        "/mentorships", json={"mentor_id": world.leader.id, "mentee_id": world.rep.id}
    )
    assert mentored.status_code == 201, mentored.json
    leader = sockets.of(world.leader)
    mine, theirs = world.make_commitment(), world.make_commitment(world.teammate)
    sockets.push()
    leader.get_received()
    world.travel(timedelta(days=3))
    world.rep.post(f"/commitments/{mine['id']}/progress", json={"note": "Halfway"})
    world.teammate.post(f"/commitments/{theirs['id']}/progress", json={"note": "Soon"})
    sockets.push()

    [risks] = received(leader, "at_risk")
    assert {item["user_id"] for item in risks["items"]} == {
        world.rep.id,
        world.teammate.id,
    }


def test_deactivation_closes_the_persons_sockets_and_their_board_row_goes(
    world: World, sockets: Sockets
):
    token = world.admin.post("/tokens", json={"name": "CRM", "user_id": world.rep.id})
    browser = sockets.of(world.rep)
    script = sockets.of(token=token.json["token"])
    leader = sockets.of(world.leader)
    for who in (world.rep, world.teammate):
        made = world.make_commitment(who)
        who.post(f"/commitments/{made['id']}/keep", json={})
    sockets.push()
    leader.get_received()

    world.admin.patch(f"/users/{world.rep.id}", json={"active": False})
    sockets.push()

    assert not browser.is_connected()
    assert not script.is_connected()
    [board] = received(leader, "leaderboard")
    ranks = [(row["name"], row["rank"]) for row in board["rows"]]
    assert ranks == [("Tia Teammate", 1), ("Lena Leader", 2)]
    assert not sockets.of(world.rep).is_connected()  # and it cannot come back
