"""A signed-in API user for tests: a Flask test client that sends the CSRF header."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

API = "/api/v1"


class ApiUser:
    """One person's browser session against the API."""

    def __init__(self, app: Flask, email: str, password: str) -> None:
        self.client = app.test_client()
        response = self.client.post(
            f"{API}/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.json
        self.csrf = response.json["csrf_token"]
        self.user = response.json["user"]
        self.id: str = self.user["id"]

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        """GET an API path."""
        return self.client.get(API + path, **kwargs)

    def post(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> TestResponse:
        """POST JSON to an API path, with the CSRF header."""
        return self.client.post(
            API + path,
            json=json,
            headers={"X-CSRF-Token": self.csrf, **(headers or {})},
        )

    def patch(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> TestResponse:
        """PATCH JSON to an API path, with the CSRF header."""
        return self.client.patch(
            API + path,
            json=json,
            headers={"X-CSRF-Token": self.csrf, **(headers or {})},
        )

    def delete(self, path: str) -> TestResponse:
        """DELETE an API path, with the CSRF header."""
        return self.client.delete(API + path, headers={"X-CSRF-Token": self.csrf})


def error_of(response: TestResponse) -> dict[str, Any]:
    """Return the uniform error body's inside, checking its shape."""
    body = response.json
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


# The code an error naming a field has: an unknown id, a broken rule, a bad value.
FIELD_CODES = {404: "not_found", 409: "rule_violation", 422: "validation_failed"}
