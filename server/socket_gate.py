"""Sockets never take the threads HTTP needs: who may open one, and how many.

Under gunicorn's gthread worker every open socket holds a thread for its whole
life (a websocket, or a long-poll for up to 25 s at a time). So each new
Engine.IO connection passes this gate before it is opened:

- it is counted against a total kept below the worker's threads and connection
  slots (gunicorn.conf.py tells the app how many it has; a quarter of them, up to
  ``HTTP_THREADS``, are always left to HTTP), and
  against caps per client address and per person (a few tabs and a TV are normal;
  hundreds are not);
- a connection signed in by its session cookie or an ``Authorization: Bearer``
  header is let in as that person; one with neither is let in only while few
  such wait, and is cut off after ``GRACE`` seconds unless its Socket.IO connect
  brings a valid token (``auth: {token}``, as team screens do).

Past a cap the handshake is refused at once (429 or 503 with Retry-After, in the
uniform error body): clients retry later, and HTTP keeps its threads. A connection
once open may have one long-poll and one websocket upgrade waiting at a time (a
client moving to a websocket has both for a moment); more is refused at once too.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from server.proxies import client_key

log = logging.getLogger(__name__)

HTTP_THREADS = 16  # threads of a gthread worker that sockets may never take, at most
GRACE = 5.0  # seconds a connection may stay open without signing in
PENDING_PER_ADDRESS = 4  # connections waiting to sign in, from one address
SLOT = "wolfpack.socket_slot"  # the environ key of a handshake's slot


@dataclass(frozen=True)
class Refusal:
    """Why a connection was not let in, as an HTTP answer."""

    status: int
    code: str
    message: str
    retry_after: int


@dataclass
class Slot:
    """One Engine.IO connection's place: who holds it, from where."""

    address: str
    holder: str | None  # "user:<id>" or "screen:<id>"; None until signed in
    sid: str | None = None
    released: bool = False
    timer: threading.Timer | None = field(default=None, repr=False)
    waiting: set[str] = field(default_factory=set)  # "poll", "websocket"


@dataclass
class Limits:
    """How many sockets may be open at once, in all and per address and person."""

    per_user: int
    per_address: int
    total: int | None = None  # None: no thread pool to protect (not gthread)

    @property
    def pending(self) -> int:
        """Return how many connections may wait to sign in at once."""
        return 16 if self.total is None else max(2, min(16, self.total // 4))


class SocketGate:
    """Counts open sockets and decides whether another may open."""

    def __init__(
        self, limits: Limits, cut_off: Callable[[str], None], grace: float = GRACE
    ) -> None:
        self.limits = limits
        self._cut_off = cut_off  # closes an Engine.IO connection by its sid
        self.grace = grace
        self._lock = threading.Lock()
        self._by_sid: dict[str, Slot] = {}
        self._addresses: Counter[str] = Counter()
        self._holders: Counter[str] = Counter()
        self._pending: Counter[str] = Counter()  # by address
        self._open = 0

    def size_for_threads(self, threads: int) -> None:
        """Keep sockets below a gthread worker's ``threads``, leaving HTTP its own."""
        self.limits.total = threads - min(HTTP_THREADS, max(threads // 4, 1))
        log.info("Up to %d sockets at once (%d threads)", self.limits.total, threads)

    def reserve(self, address: str, holder: str | None) -> Slot | Refusal:
        """Take a place for a new connection, or say why there is none."""
        with self._lock:
            refusal = self._refusal(address, holder)
            if refusal is not None:
                return refusal
            slot = Slot(address, holder)
            self._open += 1
            self._addresses[address] += 1
            if holder is None:
                self._pending[address] += 1
            else:
                self._holders[holder] += 1
        return slot

    def bind(self, slot: Slot, sid: str) -> None:
        """Tie a slot to its Engine.IO session; a nameless one has ``GRACE`` s."""
        with self._lock:
            slot.sid = sid
            self._by_sid[sid] = slot
            if slot.holder is None:
                slot.timer = threading.Timer(self.grace, self._expire, (slot,))
                slot.timer.daemon = True
                slot.timer.start()

    def sign_in(self, slot: Slot, holder: str) -> Refusal | None:
        """Record who a socket turned out to be (at its Socket.IO connect)."""
        with self._lock:
            if slot.released or slot.holder == holder:
                return None
            if self._holders[holder] >= self.limits.per_user:
                return _too_many_of_yours(self.limits.per_user)
            if slot.holder is None:
                self._pending[slot.address] -= 1
                if slot.timer is not None:
                    slot.timer.cancel()
            else:
                self._holders[slot.holder] -= 1
            slot.holder = holder
            self._holders[holder] += 1
        return None

    def release(self, slot: Slot) -> None:
        """Give a slot back (its connection ended, or never began)."""
        with self._lock:
            if slot.released:
                return
            slot.released = True
            if slot.sid is not None:
                self._by_sid.pop(slot.sid, None)
            if slot.timer is not None:
                slot.timer.cancel()
            self._open -= 1
            self._addresses[slot.address] -= 1
            if slot.holder is None:
                self._pending[slot.address] -= 1
            else:
                self._holders[slot.holder] -= 1

    def enter(self, sid: str, kind: str) -> Slot | Refusal | None:
        """Count a request that waits on an open connection: one of each kind.

        None: the connection is not this gate's (the server answers it itself).
        """
        with self._lock:
            slot = self._by_sid.get(sid)
            if slot is None or slot.released:
                return None
            if kind in slot.waiting:
                message = f"This connection already has a {kind} request waiting."
                return Refusal(429, "one_at_a_time", message, 1)
            slot.waiting.add(kind)
        return slot

    def leave(self, slot: Slot, kind: str) -> None:
        """Note that a request :meth:`enter` counted has ended."""
        with self._lock:
            slot.waiting.discard(kind)

    def release_sid(self, sid: str) -> None:
        """Give back the slot of an Engine.IO session that ended."""
        slot = self._by_sid.get(sid)
        if slot is not None:
            self.release(slot)

    def counts(self) -> dict[str, int]:
        """Return how many sockets are open, and how many wait to sign in."""
        with self._lock:
            return {"open": self._open, "pending": sum(self._pending.values())}

    def _refusal(self, address: str, holder: str | None) -> Refusal | None:
        limits = self.limits
        if limits.total is not None and self._open >= limits.total:
            return Refusal(
                503, "too_many_sockets", "The server is full; try again soon.", 10
            )
        if self._addresses[address] >= limits.per_address:
            return Refusal(
                429,
                "too_many_sockets",
                f"At most {limits.per_address} live connections per address.",
                30,
            )
        if holder is not None:
            return (
                _too_many_of_yours(limits.per_user)
                if self._holders[holder] >= limits.per_user
                else None
            )
        if self._pending[address] >= PENDING_PER_ADDRESS:
            return Refusal(
                429, "sign_in_first", "Sign in before opening more connections.", 5
            )
        if sum(self._pending.values()) >= limits.pending:
            return Refusal(
                503, "sign_in_first", "Too many connections wait to sign in.", 5
            )
        return None

    def _expire(self, slot: Slot) -> None:
        if slot.holder is None and not slot.released and slot.sid is not None:
            log.info("Socket %s not signed in after %s s: closed", slot.sid, self.grace)
            self.release(slot)  # its place is free from now, however the close goes
            self._cut_off(slot.sid)


def _too_many_of_yours(cap: int) -> Refusal:
    return Refusal(
        429, "too_many_sockets", f"At most {cap} live connections per person.", 30
    )


def guard_engineio(server: Any, gate: SocketGate) -> None:
    """Tie Engine.IO sessions to their slots on a python-socketio server.

    Also drops client events named ``connect`` or ``disconnect``: those names are
    the server's own, and a client emitting one would run their handlers again.
    """
    on_connect = server._handle_eio_connect
    on_disconnect = server._handle_eio_disconnect
    on_event = server._handle_event

    def connect(eio_sid: str, environ: dict[str, Any]) -> Any:
        slot = environ.get(SLOT)
        if slot is None:
            return False  # it did not come through the gate
        gate.bind(slot, eio_sid)
        return on_connect(eio_sid, environ)

    def disconnect(eio_sid: str, reason: Any = None) -> Any:
        gate.release_sid(eio_sid)
        return on_disconnect(eio_sid, reason)

    def event(eio_sid: str, namespace: str, id_: Any, data: Any) -> Any:
        if isinstance(data, list) and data and data[0] in server.reserved_events:
            log.warning("Socket %s sent a %r event: ignored", eio_sid, data[0])
            return None
        return on_event(eio_sid, namespace, id_, data)

    server.eio.on("connect", connect)
    server.eio.on("disconnect", disconnect)
    server._handle_event = event


class GateMiddleware:
    """WSGI middleware: every Engine.IO handshake passes the gate first."""

    def __init__(
        self,
        app: Any,
        gate: SocketGate,
        identify: Callable[[dict[str, Any]], str | Refusal | None],
        path: str = "/socket.io/",
    ) -> None:
        self.app = app
        self.gate = gate
        # The holder a handshake's credentials name; a Refusal if it cannot tell.
        self.identify = identify
        self._warned = False
        self.path = path

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Let a new connection in, or refuse it; pass everything else on."""
        if not environ.get("PATH_INFO", "").startswith(self.path):
            return self.app(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if "sid" in query:
            return self._on_open_connection(environ, start_response, query)
        unsized = self.gate.limits.total is None and not self._warned
        if unsized and environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
            self._warned = True
            log.warning(
                "gunicorn did not read gunicorn.conf.py (pass -c): sockets may "
                "take every thread, and HTTP starve"
            )
        address = client_key(environ.get("REMOTE_ADDR"))
        holder = self.identify(environ)
        if isinstance(holder, Refusal):
            return _refuse(holder, start_response)
        taken = self.gate.reserve(address, holder)
        if isinstance(taken, Refusal):
            return _refuse(taken, start_response)
        environ[SLOT] = taken
        try:
            return self.app(environ, start_response)
        finally:
            if taken.sid is None:  # the handshake failed: no session to keep it
                self.gate.release(taken)

    def _on_open_connection(
        self, environ: dict[str, Any], start_response: Any, query: dict[str, list[str]]
    ) -> Iterable[bytes]:
        """Serve a request on an open connection; one that waits, one at a time."""
        if query.get("transport") == ["websocket"]:
            kind = "websocket"
        elif environ.get("REQUEST_METHOD") == "GET":
            kind = "poll"
        else:  # a client's packets, posted: answered at once
            return self.app(environ, start_response)
        entered = self.gate.enter(query["sid"][0], kind)
        if entered is None:
            return self.app(environ, start_response)
        if isinstance(entered, Refusal):
            return _refuse(entered, start_response)
        try:
            return self.app(environ, start_response)
        finally:
            self.gate.leave(entered, kind)


def _refuse(refusal: Refusal, start_response: Any) -> list[bytes]:
    body = json.dumps(
        {
            "error": {
                "code": refusal.code,
                "message": refusal.message,
                "fields": {},
            }
        }
    ).encode()
    reasons = {429: "429 TOO MANY REQUESTS", 503: "503 SERVICE UNAVAILABLE"}
    start_response(
        reasons[refusal.status],
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(refusal.retry_after)),
        ],
    )
    return [body]
