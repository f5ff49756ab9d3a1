"""The frontend's files and the team screen's view, served by the app itself."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from server import create_app, web
from server.config import Settings
from tests.integration.apiclient import API, error_of
from tests.integration.conftest import World


def fetch(client: FlaskClient, path: str) -> Any:
    """GET a file and close the response (files are streamed from disk)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def screen_view(client: FlaskClient, token: str) -> Any:
    return client.get(f"{API}/screen", headers={"Authorization": f"Bearer {token}"})


def issue_screen_token(world: World) -> str:
    path = f"/teams/{world.team_id}/screen-tokens"
    return world.leader.post(path, json={"name": "Floor TV"}).json["token"]


def test_the_app_page_is_served_at_the_root_with_a_strict_policy(client):
    page = fetch(client, "/")

    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert b'<script type="module" src="/static/js/app.js">' in page.data
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-cache"


def test_production_tells_browsers_to_use_https_only(settings: Settings):
    production = settings.with_changes(env="production", secret_key="s" * 32)
    app = create_app(production)
    try:
        page = fetch(app.test_client(), "/")
        api = app.test_client().get("/healthz")
    finally:
        app.extensions["wolfpack"].close()

    assert page.headers["Strict-Transport-Security"] == web.STRICT_TRANSPORT_SECURITY
    assert api.headers["Strict-Transport-Security"] == web.STRICT_TRANSPORT_SECURITY


def test_development_does_not_pin_https(client):
    assert "Strict-Transport-Security" not in fetch(client, "/").headers


def test_modules_styles_and_the_screen_page_are_served(client):
    module = fetch(client, "/static/js/app.js")
    style = fetch(client, "/static/css/app.css")
    screen = fetch(client, "/screen")

    assert (module.status_code, module.mimetype) == (200, "text/javascript")
    assert (style.status_code, style.mimetype) == (200, "text/css")
    assert screen.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/static/../server/config.py",
        "/static/%2e%2e/pyproject.toml",
        "/static/node_modules/socket.io-client/package.json",
        "/static/css/../node_modules/socket.io-client/package.json",
        "/static/./node_modules/socket.io-client/package.json",
        "/static/package.json",
        "/static/index.html",
        "/static/js/missing.js",
    ],
)
def test_nothing_outside_the_frontend_files_is_served(client, path):
    assert fetch(client, path).status_code == 404


def test_the_socket_io_client_comes_from_npm(client, monkeypatch, tmp_path):
    if not (web.VENDOR / "socket.io.esm.min.js").exists():
        pytest.skip("socket.io-client is not installed (make install runs npm ci)")
    served = fetch(client, "/vendor/socket.io.esm.min.js")
    monkeypatch.setattr(web, "VENDOR", tmp_path)
    missing = fetch(client, "/vendor/socket.io.esm.min.js")

    assert served.status_code == 200
    assert b"Socket.IO v4.8" in served.data
    assert missing.status_code == 503
    assert error_of(missing)["code"] == "frontend_not_installed"


def test_a_screen_token_reads_its_teams_board_and_feed(world: World):
    world.make_commitment(title="Call Acme")
    token = issue_screen_token(world)

    view = screen_view(world.app.test_client(), token)

    assert view.status_code == 200
    body = view.json
    assert body["team_id"] == world.team_id
    assert body["team_name"]
    assert body["leaderboard"]["board"] == "points"
    assert {row["name"] for row in body["leaderboard"]["rows"]} >= {"Ravi Rep"}
    assert body["feed"][0]["text"].startswith("Ravi Rep")
    assert set(body["feed"][0]) == {"position", "type", "text", "at"}


def test_the_screen_hides_the_names_of_members_who_asked(world: World):
    world.make_commitment(title="Call Acme")
    world.rep.client.put(
        f"{API}/me/preferences",
        json={"hide_on_team_screen": True},
        headers={"X-CSRF-Token": world.rep.csrf},
    )
    token = issue_screen_token(world)

    body = screen_view(world.app.test_client(), token).json

    names = {row["name"] for row in body["leaderboard"]["rows"]}
    assert "Ravi Rep" not in names
    assert "A teammate" in names
    assert "Ravi Rep" not in body["feed"][0]["text"]
    assert body["feed"][0]["text"].startswith("A teammate")


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer wps_unknown", "Basic abc"])
def test_the_screen_view_refuses_anything_but_a_live_screen_token(world, header):
    response = world.app.test_client().get(
        f"{API}/screen", headers={"Authorization": header} if header else {}
    )

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_a_revoked_screen_token_or_an_api_token_opens_nothing(world: World):
    listed = world.leader.post(
        f"/teams/{world.team_id}/screen-tokens", json={"name": "Old TV"}
    ).json
    world.leader.delete(f"/teams/{world.team_id}/screen-tokens/{listed['id']}")
    api_token = world.admin.post("/tokens", json={"name": "CRM"}).json["token"]
    client = world.app.test_client()

    assert screen_view(client, listed["token"]).status_code == 401
    assert screen_view(client, api_token).status_code == 401
    # ...and a screen token is no way into the rest of the API.
    other = client.get(
        f"{API}/teams/{world.team_id}/feed",
        headers={"Authorization": f"Bearer {issue_screen_token(world)}"},
    )
    assert other.status_code == 401
