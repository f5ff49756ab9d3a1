"""A body over the size limit is refused under gunicorn, however it is sent."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

LIMIT = 1_000_000  # WOLFPACK_MAX_REQUEST_BYTES's default


def chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """Yield the body in pieces, so http.client sends it chunked."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def post_chunked(url: str, path: str, body: bytes) -> tuple[int, dict]:
    """POST JSON chunked (no Content-Length); return the status and the body."""
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=chunks(body),
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def padded_login(size: int) -> bytes:
    """Return a valid sign-in as JSON, padded with spaces to ``size`` bytes."""
    body = json.dumps({"email": "boss@example.com", "password": "boss-password-1"})
    return body.encode() + b" " * (size - len(body))


def test_a_chunked_body_over_the_limit_is_too_large(live_server: LiveServer):
    live_server.create_user("boss@example.com", "Boss", "boss-password-1", admin=False)
    at_limit = post_chunked(live_server.url, "/api/v1/auth/login", padded_login(LIMIT))
    over = post_chunked(live_server.url, "/api/v1/auth/login", padded_login(LIMIT + 1))
    assert at_limit[0] == 200, at_limit
    assert over[0] == 413, over
    assert over[1]["error"]["code"] == "too_large"
