"""A cookie-keeping HTTP client for end-to-end scripts: it speaks only HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from typing import Any


class Browser:
    """A cookie-keeping HTTP client that sends the CSRF header after signing in."""

    def __init__(self, base: str) -> None:
        self.base = base + "/api/v1"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )
        self.csrf = ""

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback only
            self.base + path, data=data, method=method
        )
        request.add_header("Content-Type", "application/json")
        request.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def login(self, email: str, password: str) -> dict[str, Any]:
        status, body = self.call(
            "POST", "/auth/login", {"email": email, "password": password}
        )
        assert status == 200, body
        self.csrf = body["csrf_token"]
        return body["user"]

    def expect(self, status: int, method: str, path: str, body: Any = None) -> Any:
        """Call, check the status (and the error body's shape), return the body."""
        got, answer = self.call(method, path, body)
        assert got == status, (method, path, got, answer)
        if status >= 400:
            assert set(answer["error"]) == {"code", "message", "fields"}, answer
        return answer
