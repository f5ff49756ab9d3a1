"""Input built to break things gets a clear 4xx, and records nothing."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import API, FIELD_CODES, error_of
from tests.integration.conftest import World

LONE_SURROGATE = "\ud800"  # half of a UTF-16 pair: JSON can spell it, UTF-8 cannot


def raw_post(world: World, path: str, raw: str, headers: dict[str, str] | None = None):
    return world.rep.client.post(
        API + path,
        data=raw,
        content_type="application/json",
        headers={"X-CSRF-Token": world.rep.csrf, **(headers or {})},
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ('{"title": ' + "9" * 5000 + "}", "Invalid JSON"),
        ('{"title": NaN}', "Invalid JSON"),
        ('{"title": "T\\u0000itle"}', "NUL"),
    ],
)
def test_unparseable_or_unstorable_json_is_a_bad_request(world: World, raw, message):
    head = world.head()
    response = raw_post(world, "/commitments", raw)
    assert response.status_code == 400
    assert message in error_of(response)["message"]
    assert world.head() == head


@pytest.mark.parametrize(
    ("who", "path", "body"),
    [
        ("rep", "/commitments", {"title": f"Call {LONE_SURROGATE}", "due_at": "soon"}),
        ("rep", "/achievements", {"kind": "meeting", "note": LONE_SURROGATE}),
        ("leader", "/teams/{team}/charter", {"text": f"We {LONE_SURROGATE}"}),
        ("admin", "/teams", {"name": LONE_SURROGATE}),
        ("admin", "/users", {"name": LONE_SURROGATE, "email": "x@example.com"}),
        ("admin", "/tokens", {"name": f"ci {LONE_SURROGATE}"}),
        ("rep", "/endorsements", {"skill": "Demos", LONE_SURROGATE: "key"}),
        ("rep", "/territory-plans", {"accounts": [{"name": LONE_SURROGATE}]}),
    ],
)
def test_text_with_a_lone_surrogate_is_a_bad_request(world: World, who, path, body):
    head = world.head()
    response = getattr(world, who).post(
        path.format(team=world.team_id), json={"team_id": world.team_id, **body}
    )
    assert response.status_code == 400, response.json
    assert "surrogate" in error_of(response)["message"]
    assert world.head() == head


def test_a_login_with_a_lone_surrogate_is_a_bad_request(client):
    response = client.post(
        API + "/auth/login", json={"email": LONE_SURROGATE, "password": "x"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize(
    "query",
    ["type=%00", "type=Team%00Created", "%00=x", "actor_id=%00"],
)
def test_a_query_string_with_unstorable_text_is_a_bad_request(world: World, query):
    response = world.leader.get(f"/teams/{world.team_id}/audit?{query}")
    assert response.status_code == 400, response.json
    assert error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ("title=Call&team_id=x", "application/x-www-form-urlencoded"),
        ('{"title": "Call"}', "text/plain"),
        ('{"title": "Call"}', None),
    ],
)
@sqlite_only
def test_a_body_that_is_not_json_is_unsupported(world: World, raw, content_type):
    head = world.head()
    response = world.rep.client.post(
        API + "/commitments",
        data=raw,
        content_type=content_type,
        headers={"X-CSRF-Token": world.rep.csrf},
    )
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"
    assert world.head() == head


@pytest.mark.parametrize(
    ("due_at", "status"),
    [
        ("9999-12-31T23:59:59-12:00", 422),
        ("2200-01-01T00:00:00+00:00", 422),
        ("2040-01-01T00:00:00Z", 409),
    ],
)
@sqlite_only
def test_due_dates_beyond_the_horizon_are_refused(world: World, due_at, status):
    head = world.head()
    response = world.rep.post(
        "/commitments", json={"team_id": world.team_id, "title": "T", "due_at": due_at}
    )
    assert response.status_code == status
    assert error_of(response)["code"] == FIELD_CODES[status]
    assert "due_at" in error_of(response)["fields"]
    assert world.head() == head


@pytest.mark.parametrize(
    ("due_at", "message"),
    [
        ("1900-01-01T09:00:00Z", "Must be between 1970 and 2199."),
        ("2030-01-01T09:00:00", "Must be a time with its offset"),
        ("2030-02-30T09:00:00Z", "Must be a time with its offset"),
    ],
)
@sqlite_only
def test_a_refused_time_says_whether_its_year_or_its_form_is_wrong(
    world: World, due_at: str, message: str
):
    body = {"team_id": world.team_id, "title": "T", "due_at": due_at}
    response = world.rep.post("/commitments", json=body)
    assert response.status_code == 422
    assert error_of(response)["fields"]["due_at"][0].startswith(message)


@sqlite_only
def test_odd_digits_and_precision_are_refused(world: World):
    body = {"team_id": world.team_id, "metric": "revenue", "value": "10"}
    for period in ("\u0662\u0660\u0662\u0667-02", "\uff12\uff10\uff12\uff17-02"):
        assert (
            world.rep.post("/targets", json={**body, "period": period}).status_code
            == 422
        )
    tiny = {**body, "period": "2027-02", "value": "1." + "0" * 40 + "1"}
    assert world.rep.post("/targets", json=tiny).status_code == 422
    assert world.rep.get("/targets?period=zzz").status_code == 422
    cid = world.make_commitment()["id"]
    for version in ("\u00b2", "\u0661", "9" * 40, "*"):
        response = world.rep.post(
            f"/commitments/{cid}/progress",
            json={"note": "n"},
            headers={"If-Match": version},
        )
        assert response.status_code == 400, version


def test_names_and_time_zones_must_be_real(world: World):
    user = {"name": "   ", "email": "blank@example.com", "password": "long enough now"}
    assert world.admin.post("/users", json=user).status_code == 422
    assert world.admin.post("/tokens", json={"name": "  "}).status_code == 422
    for zone in ("Factory", "localtime", "right/UTC"):
        assert (
            world.admin.post("/teams", json={"name": "X", "timezone": zone}).status_code
            == 422
        )


def test_an_outsider_cannot_probe_which_user_ids_exist(world: World):
    path = f"/teams/{world.team_id}/members"
    unknown = "00000000-0000-0000-0000-000000000000"
    for user_id in (unknown, world.rep.id):
        response = world.outsider.post(path, json={"user_id": user_id, "role": "rep"})
        assert response.status_code == 404


def padded_commitment(world: World, size: int) -> bytes:
    """Return a valid commitment as JSON, padded with spaces to ``size`` bytes."""
    now = world.app.extensions["wolfpack"].events.clock()
    body = json.dumps(
        {
            "team_id": world.team_id,
            "title": "Padded",
            "due_at": (now + timedelta(days=2)).isoformat(),
        }
    ).encode()
    return body + b" " * (size - len(body))


@pytest.mark.parametrize(("extra", "status"), [(0, 201), (1, 413)])
def test_a_chunked_body_over_the_limit_is_too_large(world: World, extra, status):
    limit = world.app.config["MAX_CONTENT_LENGTH"]
    head = world.head()
    response = world.rep.client.post(
        API + "/commitments",
        input_stream=io.BytesIO(padded_commitment(world, limit + extra)),
        headers={
            "X-CSRF-Token": world.rep.csrf,
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
        # What a server that de-chunks bodies (gunicorn, Werkzeug's) tells the app.
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == status, response.json
    if status == 413:
        assert error_of(response)["code"] == "too_large"
        assert world.head() == head
