"""Deal reviews through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import sqlite_only
from tests.integration.apiclient import ApiUser, error_of
from tests.integration.conftest import World

REVIEW_FIELDS = {
    "id",
    "team_id",
    "requested_by",
    "deal",
    "question",
    "status",
    "feedback",
    "created_at",
    "version",
}


def ask(world: World, who: ApiUser | None = None, **fields: object) -> dict:
    """Ask for a deal review (by the rep unless told) and return it."""
    body = {
        "team_id": world.team_id,
        "deal": "Acme renewal",
        "question": "How do I get past procurement?",
        **fields,
    }
    response = (who or world.rep).post("/deal-reviews", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_a_rep_asks_teammates_answer_and_the_rep_closes(world: World):
    asked = world.rep.post(
        "/deal-reviews",
        json={"team_id": world.team_id, "deal": "Acme", "question": "Pricing?"},
    )
    rid = asked.json["id"]

    answered = world.teammate.post(
        f"/deal-reviews/{rid}/feedback", json={"note": "Bundle support"}
    )
    led = world.leader.post(f"/deal-reviews/{rid}/feedback", json={"note": "Call CFO"})
    closed = world.rep.post(f"/deal-reviews/{rid}/close")

    assert asked.status_code == 201
    assert set(asked.json) >= REVIEW_FIELDS
    assert (asked.json["requested_by"], asked.json["status"]) == (world.rep.id, "open")
    assert (asked.json["feedback"], asked.json["version"]) == ([], 1)
    assert answered.status_code == 200
    [first] = answered.json["feedback"]
    assert set(first) == {"id", "from_user_id", "note", "given_at"}
    assert (first["from_user_id"], first["note"]) == (
        world.teammate.id,
        "Bundle support",
    )
    assert [f["from_user_id"] for f in led.json["feedback"]] == [
        world.teammate.id,
        world.leader.id,
    ]
    assert closed.status_code == 200
    assert (closed.json["status"], closed.json["version"]) == ("closed", 4)
    assert closed.json["closed_by"] == world.rep.id
    assert int(closed.headers["X-Event-Position"]) == world.head()
    seen = world.teammate.get(f"/deal-reviews/{rid}")
    assert seen.json == closed.json
    assert seen.headers["ETag"] == '"4"'


def test_the_history_names_each_reviewer_and_the_requester(world: World):
    rid = ask(world)["id"]
    world.teammate.post(f"/deal-reviews/{rid}/feedback", json={"note": "Idea"})
    world.leader.post(f"/deal-reviews/{rid}/close", json={})

    history = world.leader.get(f"/deal-reviews/{rid}/history").json

    assert [h["type"] for h in history] == [
        "DealReviewRequested",
        "DealReviewFeedbackGiven",
        "DealReviewClosed",
    ]
    assert [h["actor_id"] for h in history] == [
        world.rep.id,
        world.teammate.id,
        world.leader.id,
    ]
    feedback = history[1]["data"]
    assert (feedback["requested_by"], feedback["team_id"]) == (
        world.rep.id,
        world.team_id,
    )
    assert feedback["note"] == "Idea"


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_the_leader_or_an_admin_closes_a_review(world: World, who: str):
    rid = ask(world)["id"]

    response = getattr(world, who).post(f"/deal-reviews/{rid}/close")

    assert response.status_code == 200
    assert response.json["closed_by"] == getattr(world, who).id


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("rep", {"note": "Mine is great"}, 403, "forbidden"),
        ("admin", {"note": "From above"}, 403, "forbidden"),
        ("outsider", {"note": "Hi"}, 404, "not_found"),
        ("teammate", {}, 422, "validation_failed"),
        ("teammate", {"note": ""}, 422, "validation_failed"),
        ("teammate", {"note": "  "}, 422, "validation_failed"),
        ("teammate", {"note": "x" * 4001}, 422, "validation_failed"),
        ("teammate", {"note": "x", "extra": 1}, 422, "validation_failed"),
    ],
)
@sqlite_only
def test_refused_feedback_gets_its_status_and_records_nothing(
    world: World, who: str, body: dict, status: int, code: str
):
    rid = ask(world)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/deal-reviews/{rid}/feedback", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


def test_a_note_of_4000_characters_is_accepted(world: World):
    rid = ask(world)["id"]

    response = world.teammate.post(
        f"/deal-reviews/{rid}/feedback", json={"note": "n" * 4000}
    )

    assert response.status_code == 200


def test_each_reviewer_gives_feedback_once(world: World):
    rid = ask(world)["id"]
    world.teammate.post(f"/deal-reviews/{rid}/feedback", json={"note": "One"})
    head = world.head()

    second = world.teammate.post(f"/deal-reviews/{rid}/feedback", json={"note": "Two"})

    assert second.status_code == 409
    assert error_of(second)["code"] == "already_gave_feedback"
    assert world.head() == head


def test_a_closed_review_takes_no_feedback_and_no_second_close(world: World):
    rid = ask(world)["id"]
    world.rep.post(f"/deal-reviews/{rid}/close")
    head = world.head()

    feedback = world.teammate.post(f"/deal-reviews/{rid}/feedback", json={"note": "x"})
    close = world.leader.post(f"/deal-reviews/{rid}/close")

    for response in (feedback, close):
        assert response.status_code == 409
        assert error_of(response)["code"] == "deal_review_closed"
    assert world.head() == head


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("teammate", None, 403, "forbidden"),
        ("outsider", None, 404, "not_found"),
        ("rep", {"extra": 1}, 422, "validation_failed"),
    ],
)
@sqlite_only
def test_a_refused_close_gets_its_status_and_records_nothing(
    world: World, who: str, body: dict | None, status: int, code: str
):
    rid = ask(world)["id"]
    head = world.head()

    response = getattr(world, who).post(f"/deal-reviews/{rid}/close", json=body)

    assert response.status_code == status, response.json
    assert error_of(response)["code"] == code
    assert world.head() == head


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("outsider", 404, "not_found"), ("admin", 403, "forbidden")],
)
def test_only_team_members_ask_for_reviews(
    world: World, who: str, status: int, code: str
):
    head = world.head()

    response = getattr(world, who).post(
        "/deal-reviews",
        json={"team_id": world.team_id, "deal": "D", "question": "Q"},
    )

    assert response.status_code == status
    assert error_of(response)["code"] == code
    assert world.head() == head


def test_the_leader_asks_for_a_review_too(world: World):
    assert ask(world, world.leader)["requested_by"] == world.leader.id


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deal": ""}, "deal"),
        ({"deal": "  "}, "deal"),
        ({"deal": "x" * 201}, "deal"),
        ({"question": ""}, "question"),
        ({"question": "x" * 2001}, "question"),
        ({"team_id": "north"}, "team_id"),
        ({"extra": True}, "extra"),
    ],
)
@sqlite_only
def test_bad_fields_of_a_request_are_named(world: World, changes: dict, field: str):
    body = {"team_id": world.team_id, "deal": "D", "question": "Q", **changes}
    head = world.head()

    response = world.rep.post("/deal-reviews", json=body)

    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert world.head() == head


def test_a_deal_of_200_and_a_question_of_2000_characters_are_accepted(world: World):
    asked = ask(world, deal="d" * 200, question="q" * 2000)

    assert (len(asked["deal"]), len(asked["question"])) == (200, 2000)


def test_retried_requests_and_feedback_with_the_same_key_record_once(world: World):
    body = {"team_id": world.team_id, "deal": "D", "question": "Q"}
    first = world.rep.post("/deal-reviews", json=body, headers={"Idempotency-Key": "a"})
    rid = first.json["id"]
    key = {"Idempotency-Key": "f"}
    world.teammate.post(
        f"/deal-reviews/{rid}/feedback", json={"note": "N"}, headers=key
    )
    head = world.head()

    again = world.rep.post("/deal-reviews", json=body, headers={"Idempotency-Key": "a"})
    retried = world.teammate.post(
        f"/deal-reviews/{rid}/feedback", json={"note": "N"}, headers=key
    )

    assert again.json["id"] == rid
    assert retried.status_code == 200
    assert len(retried.json["feedback"]) == 1
    assert world.head() == head


def test_a_stale_if_match_refuses_feedback(world: World):
    rid = ask(world)["id"]
    world.leader.post(f"/deal-reviews/{rid}/feedback", json={"note": "One"})
    head = world.head()

    stale = world.teammate.post(
        f"/deal-reviews/{rid}/feedback", json={"note": "Two"}, headers={"If-Match": "1"}
    )
    fresh = world.teammate.post(
        f"/deal-reviews/{rid}/feedback", json={"note": "Two"}, headers={"If-Match": "2"}
    )

    assert stale.status_code == 409
    assert error_of(stale)["code"] == "version_conflict"
    assert fresh.status_code == 200
    assert world.head() == head + 1


def test_reviews_are_listed_newest_first_by_team_status_requester_and_reviewer(
    world: World,
):
    first = ask(world, deal="First")
    world.travel(timedelta(minutes=1))
    second = ask(world, world.teammate, deal="Second")
    world.travel(timedelta(minutes=1))
    ask(world, world.outsider, team_id=world.other_team_id, deal="South")
    world.teammate.post(f"/deal-reviews/{first['id']}/feedback", json={"note": "N"})
    world.leader.post(f"/deal-reviews/{second['id']}/feedback", json={"note": "N"})
    world.rep.post(f"/deal-reviews/{first['id']}/close")

    def deals(who: ApiUser, query: str = "") -> list[str]:
        response = who.get(f"/deal-reviews{query}")
        assert response.status_code == 200, response.json
        return [r["deal"] for r in response.json]

    assert deals(world.rep) == ["Second", "First"]
    assert deals(world.leader, f"?team_id={world.team_id}") == ["Second", "First"]
    assert deals(world.rep, "?status=open") == ["Second"]
    assert deals(world.rep, "?status=closed") == ["First"]
    assert deals(world.rep, f"?requested_by={world.teammate.id}") == ["Second"]
    assert deals(world.rep, f"?reviewer_id={world.teammate.id}") == ["First"]
    assert deals(world.outsider) == ["South"]
    assert deals(world.admin) == ["South", "Second", "First"]
    [listed] = world.rep.get("/deal-reviews?status=closed").json
    assert (listed["feedback_count"], listed["version"]) == (1, 3)
    assert listed["closed_by"] == world.rep.id
    full = world.rep.get(f"/deal-reviews/{first['id']}").json
    assert listed == {k: v for k, v in full.items() if k != "feedback"}


def test_outsiders_get_not_found_everywhere(world: World):
    rid = ask(world)["id"]

    responses = [
        world.outsider.get(f"/deal-reviews?team_id={world.team_id}"),
        world.outsider.get(f"/deal-reviews/{rid}"),
        world.outsider.get(f"/deal-reviews/{rid}/history"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert world.outsider.get("/deal-reviews").json == []


def test_an_unknown_review_and_bad_filters_are_refused(world: World):
    nobody = "00000000-0000-0000-0000-000000000000"

    assert world.rep.get(f"/deal-reviews/{nobody}").status_code == 404
    assert world.rep.get(f"/deal-reviews/{world.team_id}/history").status_code == 404
    assert world.rep.post(f"/deal-reviews/{nobody}/close").status_code == 404
    assert world.rep.get("/deal-reviews?status=won").status_code == 422
    assert world.rep.get("/deal-reviews?reviewer_id=x").status_code == 422


def test_the_openapi_document_describes_the_deal_review_endpoints(world: World):
    paths = world.rep.client.get("/api/openapi.json").json["paths"]

    assert {"get", "post"} <= set(paths["/api/v1/deal-reviews"])
    for path in ("{review_id}", "{review_id}/history"):
        assert "get" in paths[f"/api/v1/deal-reviews/{path}"]
    for path in ("{review_id}/feedback", "{review_id}/close"):
        assert "post" in paths[f"/api/v1/deal-reviews/{path}"]
