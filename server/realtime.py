"""Socket.IO: who may connect, which rooms they join, and closing sockets on logout.

A socket is authenticated when it connects, by the signed-in session of the same
origin or by a token in ``auth``, and the server alone puts it in rooms: ``user:<id>``
and ``team:<id>`` for each of the user's teams (every team for an admin), or, for a
team-screen token, ``screen:<team id>`` only. Clients cannot join rooms: there is no
event for it. Every live socket has a row in ``live_sockets`` so that any instance
can close the sockets of a session that logs out, a member who leaves a team, or a
screen token that is revoked (with Redis, the disconnect reaches every instance).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app, request, session
from flask_socketio import SocketIO, join_room
from sqlalchemy import ColumnElement, String, Uuid, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from projections.sql_types import UtcDateTime
from projections.teams import list_teams, team_ids_of
from server import direct_websockets
from server.accounts import User, live_session
from server.auth import bearer_secret
from server.config import Settings
from server.db import Base, delete_rows
from server.screen_tokens import ScreenToken, holder_of
from server.socket_gate import (
    SLOT,
    GateMiddleware,
    Limits,
    Refusal,
    SocketGate,
    guard_engineio,
)
from server.unavailable import database_unavailable

log = logging.getLogger(__name__)

# Each instance vouches for its sockets' rows on every purge (hourly): a row
# nobody vouched for in three hours is a socket whose process died unheard.
UNSEEN_FOR = timedelta(hours=3)


class LiveSocket(Base):
    """A connected socket and what authenticated it."""

    __tablename__ = "live_sockets"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    login_id: Mapped[str | None] = mapped_column(String(64), index=True)
    api_token_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    screen_token_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    connected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the instance holding it last said it is open (on each hourly purge).
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class HeldSockets:
    """The sids of the sockets this process holds, to vouch for their rows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sids: set[str] = set()

    def add(self, sid: str) -> None:
        """Note a socket that connected here."""
        with self._lock:
            self._sids.add(sid)

    def discard(self, sid: str) -> None:
        """Forget a socket that closed."""
        with self._lock:
            self._sids.discard(sid)

    def sids(self) -> list[str]:
        """Return the sids held now."""
        with self._lock:
            return list(self._sids)


@dataclass(frozen=True)
class Caller:
    """Who a socket speaks for: a user (by session or token) or a team screen."""

    user: User | None = None
    login_id: str | None = None
    api_token_id: uuid.UUID | None = None
    screen_token_id: uuid.UUID | None = None
    screen_team_id: uuid.UUID | None = None

    @property
    def key(self) -> str:
        """Return whose sockets these are, for counting them."""
        if self.user is not None:
            return f"user:{self.user.id}"
        return f"screen:{self.screen_token_id}"


def team_room(team_id: uuid.UUID) -> str:
    """Return the room of a team's members."""
    return f"team:{team_id}"


def user_room(user_id: uuid.UUID) -> str:
    """Return the room of one user's sockets."""
    return f"user:{user_id}"


def screen_room(team_id: uuid.UUID) -> str:
    """Return the room of a team's screens (names hidden as members chose)."""
    return f"screen:{team_id}"


def make_socketio(app: Flask, settings: Settings) -> SocketIO:
    """Attach Socket.IO to the app: threading mode, same origin, Redis if set."""
    direct_websockets.install()
    socketio = SocketIO(
        app,
        async_mode="threading",
        message_queue=settings.bounded_redis_url(),
        channel=settings.socketio_channel,
        # None means same origin only: cookies authenticate, so no other site may.
        cors_allowed_origins=None,
        logger=False,
        engineio_logger=False,
    )
    socketio.on_event("connect", _connect)
    socketio.on_event("disconnect", _disconnect)
    gate = SocketGate(
        Limits(settings.sockets_per_user, settings.sockets_per_address),
        cut_off=lambda sid: _cut_off(socketio, sid),
    )
    app.extensions["socket_gate"] = gate
    app.wsgi_app = GateMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, gate, lambda environ: _holder_at_handshake(app, environ)
    )
    guard_engineio(socketio.server, gate)
    return socketio


def _holder_at_handshake(app: Flask, environ: dict[str, Any]) -> str | Refusal | None:
    """Return whom a handshake's cookie or bearer header speaks for, if anyone.

    A database that cannot answer now refuses the handshake with 503, as HTTP.
    """
    try:
        with app.request_context(environ), _sessions() as db_session:
            caller = _caller(db_session, None)
            return None if caller is None else caller.key
    except Exception as error:
        if not database_unavailable(error):
            raise
        log.warning("Socket handshake: database unavailable: %s", error)
        wait = app.extensions["wolfpack"].settings.db_timeout
        return Refusal(503, "unavailable", "The database is not answering.", wait)


def _cut_off(socketio: SocketIO, sid: str) -> None:
    found = socketio.server.eio.sockets.get(sid)
    if found is not None:
        direct_websockets.cut_off(found)


def _sessions() -> Session:
    session_factory = current_app.extensions["wolfpack"].sessions
    db_session: Session = session_factory()
    return db_session


def _connect(auth: Any = None) -> None:
    """Let a signed-in user or a team screen in, to the rooms it is entitled to."""
    with _sessions() as db_session:
        caller = _caller(db_session, auth)
        if caller is None:
            raise ConnectionRefusedError("unauthorized")
        # Every real connection has a slot (see socket_gate.guard_engineio); the
        # test client alone comes in without a handshake.
        slot = request.environ.get(SLOT)
        gate = current_app.extensions["socket_gate"]
        refusal = None if slot is None else gate.sign_in(slot, caller.key)
        if refusal is not None:
            raise ConnectionRefusedError(refusal.message)
        sid: str = request.sid  # type: ignore[attr-defined]
        for room in _rooms(db_session, caller):
            join_room(room)
        now = datetime.now(UTC)
        db_session.add(
            LiveSocket(
                sid=sid,
                user_id=caller.user.id if caller.user else None,
                login_id=caller.login_id,
                api_token_id=caller.api_token_id,
                screen_token_id=caller.screen_token_id,
                connected_at=now,
                seen_at=now,
            )
        )
        db_session.commit()
        current_app.extensions["wolfpack"].held_sockets.add(sid)


def _disconnect(*_reason: object) -> None:
    """Forget a socket that closed."""
    sid: str = request.sid  # type: ignore[attr-defined]
    current_app.extensions["wolfpack"].held_sockets.discard(sid)
    with _sessions() as db_session:
        db_session.execute(delete(LiveSocket).where(LiveSocket.sid == sid))
        db_session.commit()


def _caller(db_session: Session, auth: Any) -> Caller | None:
    """Identify the socket: a token in ``auth``, a bearer header, or the session."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if not (isinstance(token, str) and token):
        token = bearer_secret(request.headers.get("Authorization", ""))
    if token:
        holder = holder_of(db_session, token)
        if holder is None:
            return None
        if isinstance(holder, ScreenToken):
            return Caller(screen_token_id=holder.id, screen_team_id=holder.team_id)
        user = db_session.get(User, holder.user_id)
        if user is None or not user.active:
            return None
        return Caller(user=user, api_token_id=holder.id)
    login_id = session.get("sid")
    if not isinstance(login_id, str):
        return None
    login = live_session(db_session, login_id)
    if login is None:
        return None
    user = db_session.get(User, login.user_id)
    if user is None or not user.active:
        return None
    return Caller(user=user, login_id=login.id)


def _rooms(db_session: Session, caller: Caller) -> list[str]:
    if caller.screen_team_id is not None:
        return [screen_room(caller.screen_team_id)]
    assert caller.user is not None
    conn = db_session.connection()
    if caller.user.is_admin:
        # Archived teams' rooms too: their members' sockets still join them.
        team_ids = [row["id"] for row in list_teams(conn, archived=True)]
    else:
        team_ids = team_ids_of(conn, caller.user.id)
    return [user_room(caller.user.id), *(team_room(t) for t in team_ids)]


def vouch_for_sockets(db_session: Session, sids: list[str], now: datetime) -> None:
    """Mark the rows of the sockets this process holds as seen ``now``."""
    for start in range(0, len(sids), 500):  # within any database's bound parameters
        db_session.execute(
            update(LiveSocket)
            .where(LiveSocket.sid.in_(sids[start : start + 500]))
            .values(seen_at=now)
        )


def purge_stale_sockets(db_session: Session, now: datetime) -> int:
    """Delete the rows no instance has vouched for lately: their process died."""
    return delete_rows(
        db_session,
        delete(LiveSocket).where(LiveSocket.seen_at < now - UNSEEN_FOR),
    )


def disconnect_sockets(db_session: Session, which: ColumnElement[bool]) -> int:
    """Close every live socket matching ``which``; return how many there were.

    For example ``LiveSocket.login_id == login_id`` on logout. The client may
    reconnect at once: it is then authenticated (or refused) again and given the
    rooms it is entitled to now.
    """
    sids = list(db_session.scalars(select(LiveSocket.sid).where(which)))
    socketio: SocketIO | None = current_app.extensions.get("socketio")
    if socketio is not None:
        for sid in sids:
            # With a message queue this reaches the instance holding the socket.
            socketio.server.disconnect(sid, namespace="/")
    return len(sids)
