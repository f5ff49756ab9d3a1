"""Real Socket.IO clients and signed-in HTTP sessions for end-to-end tests.

``Member`` signs in over HTTP with a ``requests`` session (cookie plus CSRF
header), as a browser does; ``Listener`` is a python-socketio client, over a real
websocket, that records every event it hears so tests can wait for one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import requests
import socketio

Payload = dict[str, Any]
HTTP_TIMEOUT = 15  # a command waits up to 2 s for the read models
BROWSER_TRANSPORTS = ("polling", "websocket")


class Member:
    """Someone signed in over HTTP, with the session cookie and CSRF token."""

    def __init__(self, base_url: str, email: str, password: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        signed_in = self.http.post(
            f"{base_url}/api/v1/auth/login",
            json={"email": email, "password": password},
            timeout=HTTP_TIMEOUT,
        )
        assert signed_in.status_code == 200, signed_in.text
        self.csrf: str = signed_in.json()["csrf_token"]
        self.id: str = signed_in.json()["user"]["id"]

    def post(
        self, path: str, body: Any = None, base_url: str | None = None
    ) -> requests.Response:
        """POST JSON under /api/v1 with the CSRF header (to another instance too)."""
        return self.http.post(
            f"{base_url or self.base_url}/api/v1{path}",
            json=body,
            headers={"X-CSRF-Token": self.csrf},
            timeout=HTTP_TIMEOUT,
        )

    def created(self, path: str, body: Any) -> Payload:
        """POST and expect 201; return the body."""
        response = self.post(path, body)
        assert response.status_code == 201, (path, response.status_code, response.text)
        found: Payload = response.json()
        return found

    @property
    def cookie(self) -> str:
        """The Cookie header a browser of this session would send."""
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def close(self) -> None:
        self.http.close()


class Listener:
    """A python-socketio client that records every event it hears."""

    def __init__(self, name: str) -> None:
        self.name = name
        # websocket-client adds an Origin of its own unless told not to: with the
        # one in ``headers`` the server would see both and refuse the pair.
        self.client = socketio.Client(
            reconnection=False, websocket_extra_options={"suppress_origin": True}
        )
        self.heard: list[tuple[str, Payload]] = []
        self.disconnected = threading.Event()
        self._changed = threading.Condition()
        self.client.on("*", self._record)
        self.client.on("disconnect", self._on_disconnect)

    def connect(
        self,
        url: str,
        *,
        cookie: str | None = None,
        origin: str | None = None,
        token: str | None = None,
        bearer: bool = False,
        transports: tuple[str, ...] = ("websocket",),
    ) -> Listener:
        """Connect as a browser (cookie, Origin) or a script (token); raise if refused.

        ``bearer`` sends the token at the handshake too (``Authorization``), as
        scripts can: such a socket is signed in from the start.

        Socket.IO only reports the connection once the server's connect handler
        has run, so the socket is in its rooms when this returns.

        Websocket only by default. ``BROWSER_TRANSPORTS`` starts with long-polling
        and upgrades, as browsers do; but python-engineio's client, closed while
        that upgrade is still under way, waits out the server's 25 s ping interval.
        """
        headers = {}
        if cookie is not None:
            headers["Cookie"] = cookie
        if origin is not None:
            headers["Origin"] = origin
        if bearer and token is not None:
            headers["Authorization"] = f"Bearer {token}"
        self.client.connect(
            url,
            headers=headers,
            auth={"token": token} if token is not None else None,
            transports=list(transports),
            wait_timeout=10,
        )
        return self

    def _record(self, event: str, *args: Any) -> None:
        with self._changed:
            self.heard.append((event, args[0] if args else {}))
            self._changed.notify_all()

    def _on_disconnect(self, *_reason: Any) -> None:
        self.disconnected.set()

    def wait_for(
        self,
        event: str,
        match: Callable[[Payload], bool] = lambda _: True,
        timeout: float = 10,
    ) -> Payload:
        """Return the first ``event`` heard whose payload matches; fail on timeout."""

        def found() -> Payload | None:
            return next(
                (p for e, p in self.heard if e == event and match(p)),
                None,
            )

        with self._changed:
            payload = self._changed.wait_for(found, timeout)
        assert payload is not None, (
            f"{self.name} heard no matching {event!r} in {timeout} s; "
            f"heard {[e for e, _ in self.heard]}"
        )
        return payload

    def hears_nothing_for(self, seconds: float) -> bool:
        """Wait ``seconds`` for any event at all; tell if none came."""
        with self._changed:
            return not self._changed.wait_for(lambda: bool(self.heard), seconds)

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


class Clients:
    """Every member and listener a test opened, closed together at its end."""

    def __init__(self) -> None:
        self.members: list[Member] = []
        self.listeners: list[Listener] = []

    def member(self, base_url: str, email: str, password: str) -> Member:
        found = Member(base_url, email, password)
        self.members.append(found)
        return found

    def listener(self, name: str) -> Listener:
        found = Listener(name)
        self.listeners.append(found)
        return found

    def close(self) -> None:
        for listener in self.listeners:
            listener.close()
        for member in self.members:
            member.close()


def joined(name: str) -> Callable[[Payload], bool]:
    """Match the feed push that says ``name`` joined a team."""
    return lambda p: p["item"]["text"] == f"{name} joined the team"
