"""/api/openapi.json states what the server enforces, so clients can keep to it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.integration.apiclient import error_of
from tests.integration.conftest import World


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    """The OpenAPI document the app serves."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json


def resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a schema's $ref (and an allOf of one) to the schema itself."""
    while True:
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def request_strings(document: dict[str, Any]) -> Iterator[tuple[str, dict]]:
    """Yield every string a request may carry, named where it is, with its schema."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":  # those of the path: ids, never strings
                continue
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if parameter["schema"].get("type") == "string":
                    yield f"{where} ?{parameter['name']}", parameter["schema"]
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body:
                schema = body["application/json"]["schema"]
                yield from _strings(document, where, schema)


def _strings(document: dict, where: str, schema: dict) -> Iterator[tuple[str, dict]]:
    schema = resolved(document, schema)
    if schema.get("type") == "string":
        yield where, schema
    for name, inner in schema.get("properties", {}).items():
        yield from _strings(document, f"{where} .{name}", inner)
    if "items" in schema:
        yield from _strings(document, f"{where} []", schema["items"])
    for branch in schema.get("oneOf", []):
        yield from _strings(document, where, branch)


def test_every_string_a_request_carries_states_its_pattern_format_or_choices(
    document: dict[str, Any],
):
    vague = [
        where
        for where, schema in request_strings(document)
        if not {"pattern", "format", "enum"} & set(schema)
    ]

    assert vague == []


def test_no_pattern_lets_a_nul_through(document: dict[str, Any]):
    patterns = {
        where: s["pattern"] for where, s in request_strings(document) if "pattern" in s
    }

    assert [where for where, p in patterns.items() if re.fullmatch(p, "a\x00b")] == []


def parameter(document: dict, path: str, name: str) -> dict[str, Any]:
    operation = document["paths"][f"/api/v1{path}"]["get"]
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


@pytest.mark.parametrize(
    ("path", "name", "allowed", "refused"),
    [
        (
            "/teams/{team_id}/leaderboard",
            "period",
            ["2026-W48", "2026-11", "2026-Q4", "2026", "all"],
            ["November", "2026-W54", "2026-13", "1969", "2026-Q5"],
        ),
        ("/targets", "period", ["2026-11", "2026-Q4", "2026"], ["2026-W48", "all"]),
        (
            "/teams/{team_id}/audit",
            "from",
            ["2026-11-14T12:00:00Z", "2024-02-29T23:59:59.5+05:30"],
            ["2026-11-14T12:00:00", "2026-02-29T00:00:00Z", "2200-01-01T00:00:00Z"],
        ),
    ],
)
def test_periods_and_times_are_stated_as_the_server_reads_them(
    document, path, name, allowed, refused
):
    pattern = parameter(document, path, name)["pattern"]

    assert [text for text in allowed if not re.fullmatch(pattern, text)] == []
    assert [text for text in refused if re.fullmatch(pattern, text)] == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "post",
            "/users",
            {
                "name": "N",
                "email": "n@example.com",
                "password": "long enough now",
                "is_admin": 1,
            },
        ),
        (
            "post",
            "/users",
            {
                "name": "N",
                "email": "n@example.com",
                "password": "long enough now",
                "is_admin": "true",
            },
        ),
        ("put", "/me/preferences", {"hide_on_team_screen": "yes"}),
        ("put", "/me/preferences", {"hide_on_team_screen": 0}),
    ],
)
def test_a_boolean_in_a_body_is_true_or_false_and_nothing_like_them(
    world: World, method: str, path: str, body: dict
):
    head = world.head()
    response = getattr(world.admin.client, method)(
        f"/api/v1{path}", json=body, headers={"X-CSRF-Token": world.admin.csrf}
    )

    assert response.status_code == 422, response.json
    assert list(error_of(response)["fields"]) == [next(reversed(body))]
    assert world.head() == head


@pytest.mark.parametrize(
    ("explain", "status"), [("true", 200), ("false", 200), ("yes", 422), ("1", 422)]
)
def test_a_boolean_in_a_query_is_written_true_or_false(world: World, explain, status):
    response = world.rep.get(f"/users/{world.rep.id}/points?explain={explain}")

    assert response.status_code == status
