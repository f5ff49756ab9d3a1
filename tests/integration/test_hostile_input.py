"""Input built to break things gets a clear 4xx, and records nothing."""

from __future__ import annotations

import pytest

from tests.integration.apiclient import API, error_of
from tests.integration.conftest import World


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
    ("raw", "content_type"),
    [
        ("title=Call&team_id=x", "application/x-www-form-urlencoded"),
        ('{"title": "Call"}', "text/plain"),
        ('{"title": "Call"}', None),
    ],
)
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
    "due_at",
    ["9999-12-31T23:59:59-12:00", "2200-01-01T00:00:00+00:00", "2040-01-01T00:00:00Z"],
)
def test_due_dates_beyond_the_horizon_are_refused(world: World, due_at: str):
    head = world.head()
    response = world.rep.post(
        "/commitments", json={"team_id": world.team_id, "title": "T", "due_at": due_at}
    )
    assert response.status_code == 422
    assert "due_at" in error_of(response)["fields"]
    assert world.head() == head


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
    user = {"name": "   ", "email": "blank@example.com", "password": "long enough"}
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
