"""Live pushes: after each batch of events, tell every room that may see it.

The projection runner reports each committed batch (``changed``); a flusher thread
turns what accumulated into at most one round of pushes per ``interval``, so a
burst of commands costs a bounded number of messages. Payloads are read from the
read models at send time, so they are current; every one carries the event-store
position the read models had reached. Delivery is at most once: a client that
sees a gap (a feed item whose ``after`` it never saw) or reconnects refetches over
HTTP.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import Flask, current_app
from flask_socketio import SocketIO
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session, sessionmaker

from events.account import Account
from events.achievement import Achievement
from events.commitment import Commitment
from events.mentorship import Mentorship
from events.preferences import Preferences
from events.target import Target
from events.team import Team
from projections.achievements import achievements
from projections.at_risk import at_risk
from projections.badges import awards, badge_name
from projections.commitments import commitments
from projections.feed import feed_items
from projections.feed_text import UNKNOWN, feed_text, person_ids
from projections.leaderboards import leaderboard
from projections.mentorships import mentorships
from projections.points import ledger
from projections.preferences import ANONYMOUS, hidden_on_team_screen
from projections.scoring import period_names
from projections.targets import targets
from projections.teams import members, team_ids_of, teams
from server.accounts import names_of
from server.deactivated import still_active, without_deactivated
from server.realtime import LiveSocket, screen_room, team_room, user_room

log = logging.getLogger(__name__)

TOP_ROWS = 10  # a board push carries the top rows and every row that moved
FEED_ITEMS = 20  # at most this many feed items per team per round; then a gap

# (event, payload, rooms): each socket in any of the rooms gets it once.
Emit = Callable[[str, dict[str, Any], list[str]], None]


@dataclass
class _Pending:
    """What changed since the last round of pushes."""

    position: int = 0
    commitments: set[UUID] = field(default_factory=set)
    targets: set[UUID] = field(default_factory=set)
    achievements: set[UUID] = field(default_factory=set)
    mentorships: set[UUID] = field(default_factory=set)
    # Members who joined or left a team, and when the read models knew it.
    moved_members: dict[UUID, datetime] = field(default_factory=dict)
    # People whose teams' boards are sent again: they chose to be named, or not,
    # on team screens; or their account was deactivated or reactivated.
    shown_again: set[UUID] = field(default_factory=set)

    def note(self, event: object, committed_at: datetime) -> None:
        """Remember what ``event`` may have changed that the rows cannot tell."""
        if isinstance(event, Commitment.Event):
            self.commitments.add(event.originator_id)
        elif isinstance(event, Target.Event):
            self.targets.add(event.originator_id)
        elif isinstance(event, Achievement.Verified | Achievement.Retracted):
            self.achievements.add(event.originator_id)
        elif isinstance(event, Mentorship.Event):
            self.mentorships.add(event.originator_id)
        elif isinstance(event, Team.MemberAdded | Team.MemberRemoved):
            self.moved_members[event.user_id] = committed_at
        elif isinstance(event, Preferences.TeamScreenVisibilityChanged):
            self.shown_again.add(event.actor_id)
        elif isinstance(event, Account.Deactivated | Account.Reactivated):
            self.shown_again.add(event.originator_id)


class Pusher:
    """Collects what each batch changed and pushes it, coalesced, to the rooms."""

    def __init__(
        self,
        emit: Emit,
        disconnect: Callable[[str], None],
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        interval: float = 0.15,
    ) -> None:
        self.emit = emit
        self.disconnect = disconnect
        self.sessions = sessions
        self.clock = clock
        self.interval = interval
        self._pending = _Pending()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Rows already pushed: ledger and award ids, feed positions.
        self._marks: tuple[int, int, int] | None = None

    def changed(self, position: int, events: Sequence[object]) -> None:
        """Take note of a committed batch (the runner's ``on_change``)."""
        committed_at = datetime.now(UTC)
        with self._lock:
            self._pending.position = max(self._pending.position, position)
            for event in events:
                self._pending.note(event, committed_at)
        self._wake.set()

    def start(self) -> None:
        """Push in a daemon thread until ``stop``, announcing what is new from now."""
        if self._thread is not None:
            return
        with self._lock:
            self._pending = _Pending()
        with self.sessions() as db_session:
            self._marks = _marks(db_session.connection())
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pushes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Send what is pending, then stop the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def flush(self) -> None:
        """Send one round of pushes for everything pending now."""
        with self._lock:
            pending, self._pending = self._pending, _Pending()
        with self.sessions() as db_session:
            if self._marks is None:
                self._marks = _marks(db_session.connection())
            self._marks = _Round(self, db_session, pending, self._marks).send()

    def _run(self) -> None:
        sent = 0.0
        while not self._stop.is_set():
            self._wake.wait()
            # Coalesce: whatever arrives before the interval is up joins this round.
            self._stop.wait(max(0.0, sent + self.interval - time.monotonic()))
            self._wake.clear()
            try:
                self.flush()
            except Exception:
                log.exception("Live pushes failed; clients will catch up over HTTP")
            sent = time.monotonic()


def pusher_for(socketio: SocketIO, app: Flask | None = None) -> Pusher:
    """Return a pusher that emits through ``socketio`` (write-only without an app)."""
    services = (app or current_app).extensions["wolfpack"]
    return Pusher(
        emit=lambda event, body, rooms: socketio.emit(event, body, to=rooms),
        disconnect=lambda sid: socketio.server.disconnect(sid, namespace="/"),
        sessions=services.sessions,
        # Looked up each time: tests (and the demo) move the application's clock.
        clock=lambda: services.events.clock(),
    )


def _marks(conn: Connection) -> tuple[int, int, int]:
    """Return the newest ledger id, award id and feed position already stored."""
    return (
        int(conn.scalar(select(func.max(ledger.c.id))) or 0),
        int(conn.scalar(select(func.max(awards.c.id))) or 0),
        int(conn.scalar(select(func.max(feed_items.c.position))) or 0),
    )


class _Round:
    """One round of pushes: reads what changed, sends it, returns the new marks."""

    def __init__(
        self,
        pusher: Pusher,
        db_session: Session,
        pending: _Pending,
        marks: tuple[int, int, int],
    ) -> None:
        self.pusher = pusher
        self.db_session = db_session
        self.conn = db_session.connection()
        self.pending = pending
        self.marks = marks
        self.position = pending.position

    def send(self) -> tuple[int, int, int]:
        """Push every kind of change; return the marks now reached."""
        for user_id, committed_at in self.pending.moved_members.items():
            self._reconnect(user_id, committed_at)
        ledger_mark = self._boards()
        award_mark = self._badges()
        feed_mark = self._feed()
        self._commitments()
        self._at_risk()
        return ledger_mark, award_mark, feed_mark

    def _emit(self, event: str, payload: dict[str, Any], *rooms: str) -> None:
        body = {**_jsonable(payload), "position": self.position}
        self.pusher.emit(event, body, list(rooms))

    def _reconnect(self, user_id: UUID, committed_at: datetime) -> None:
        # Their rooms changed with their teams: reconnecting assigns the new ones.
        # A socket that connected later already has them.
        query = select(LiveSocket.sid).where(
            LiveSocket.user_id == user_id, LiveSocket.connected_at <= committed_at
        )
        for sid in self.db_session.scalars(query):
            self.pusher.disconnect(sid)

    def _boards(self) -> int:
        query = select(ledger.c.id, ledger.c.team_id, ledger.c.user_id).where(
            ledger.c.id > self.marks[0]
        )
        moved: dict[UUID, set[UUID]] = {}
        mark = self.marks[0]
        for row_id, team_id, user_id in self.conn.execute(query):
            moved.setdefault(team_id, set()).add(user_id)
            mark = max(mark, row_id)
        # Screens show, or stop showing, a name (or a person): boards sent again.
        for user_id in self.pending.shown_again:
            for team_id in team_ids_of(self.conn, user_id):
                moved.setdefault(team_id, set())
        for team_id, users in moved.items():
            self._board(team_id, users)
        return mark

    def _board(self, team_id: UUID, moved: set[UUID]) -> None:
        zone = self.conn.scalar(select(teams.c.timezone).where(teams.c.id == team_id))
        period = period_names(self.pusher.clock(), zone or "UTC")[1]
        rows = leaderboard(self.conn, team_id, period, "points")
        rows = without_deactivated(self.db_session, rows)
        shown = [r for i, r in enumerate(rows) if i < TOP_ROWS or r["user_id"] in moved]
        names = names_of(self.db_session, [r["user_id"] for r in shown])
        named = [{**r, "name": names.get(r["user_id"], UNKNOWN)} for r in shown]
        body = {"team_id": team_id, "period": period, "board": "points"}
        self._emit("leaderboard", {**body, "rows": named}, team_room(team_id))
        hidden = hidden_on_team_screen(self.conn, names)
        screen = [_anonymous(r) if r["user_id"] in hidden else r for r in named]
        self._emit("leaderboard", {**body, "rows": screen}, screen_room(team_id))

    def _badges(self) -> int:
        query = select(awards).where(awards.c.id > self.marks[1]).order_by(awards.c.id)
        new = list(self.conn.execute(query).mappings())
        earners = {award["user_id"] for award in new}
        names = names_of(self.db_session, earners)
        hidden = hidden_on_team_screen(self.conn, earners)
        for award in new:
            user_id, team_id = award["user_id"], award["team_id"]
            body = {
                "team_id": team_id,
                "user_id": user_id,
                "name": names.get(user_id, UNKNOWN),
                "badge": award["badge"],
                "badge_name": badge_name(award["badge"]),
                "tier": award["tier"] or None,
                "awarded_at": award["awarded_at"],
            }
            self._emit("badge", body, team_room(team_id), user_room(user_id))
            screen = _anonymous(body) if user_id in hidden else body
            self._emit("badge", screen, screen_room(team_id))
        return int(new[-1]["id"]) if new else self.marks[1]

    def _feed(self) -> int:
        f = feed_items.c
        query = (
            select(feed_items).where(f.position > self.marks[2]).order_by(f.position)
        )
        new = list(self.conn.execute(query).mappings())
        if not new:
            return self.marks[2]
        names = names_of(self.db_session, person_ids(new))
        hidden = hidden_on_team_screen(self.conn, names)
        by_team: dict[UUID, list[Any]] = {}
        for row in new:
            by_team.setdefault(row["team_id"], []).append(row)
        for team_id, rows in by_team.items():
            after = self._feed_before(team_id, rows[0]["position"])
            for row in rows[-FEED_ITEMS:]:
                self._feed_item(row, after, names, hidden)
                after = row["position"]
        return int(new[-1]["position"])

    def _feed_before(self, team_id: UUID, position: int) -> int:
        f = feed_items.c
        query = select(func.max(f.position)).where(
            f.team_id == team_id, f.position < position
        )
        return int(self.conn.scalar(query) or 0)

    def _feed_item(
        self, row: Any, after: int, names: dict[UUID, str], hidden: set[UUID]
    ) -> None:
        item = {
            "type": row["type"],
            "actor_id": row["actor_id"],
            "text": feed_text(row, names),
            "at": row["at"],
            "position": row["position"],
        }
        body = {"team_id": row["team_id"], "after": after}
        self._emit("feed", {**body, "item": item}, team_room(row["team_id"]))
        masked = dict.fromkeys(hidden, ANONYMOUS)
        screen_item = {
            **item,
            "actor_id": None if row["actor_id"] in hidden else row["actor_id"],
            "text": feed_text(row, {**names, **masked}),
        }
        self._emit("feed", {**body, "item": screen_item}, screen_room(row["team_id"]))

    def _commitments(self) -> None:
        c = commitments.c
        columns = (c.id, c.team_id, c.status, c.owner_id, c.due_at, c.version)
        query = select(*columns).where(c.id.in_(self.pending.commitments))
        for row in self.conn.execute(query).mappings():
            self._emit("commitment", dict(row), team_room(row["team_id"]))

    def _at_risk(self) -> None:
        for team_id in self._teams_at_risk():
            leaders = set(
                self.conn.scalars(
                    select(members.c.user_id).where(
                        members.c.team_id == team_id, members.c.role == "leader"
                    )
                )
            )
            items = at_risk(self.conn, team_id, self.pusher.clock())
            for leader in leaders:
                self._emit_risks(team_id, items, leader)
            in_team = select(members.c.user_id).where(members.c.team_id == team_id)
            mentors = self.conn.scalars(
                select(mentorships.c.mentor_id).where(
                    mentorships.c.status == "active",
                    mentorships.c.mentee_id.in_(in_team),
                )
            )
            # A leader who also mentors someone here already has the full list.
            for mentor in set(mentors) - leaders:
                mine = at_risk(self.conn, team_id, self.pusher.clock(), mentor)
                if mine:
                    self._emit_risks(team_id, mine, mentor)

    def _emit_risks(self, team_id: UUID, items: Iterable[Any], user_id: UUID) -> None:
        alive = still_active(self.db_session, items, lambda item: item.user_id)
        listed = [asdict(item) for item in alive]
        names = names_of(self.db_session, {item["user_id"] for item in listed})
        for item in listed:
            item["name"] = names.get(item["user_id"])
        body = {"team_id": team_id, "items": listed}
        self._emit("at_risk", body, user_room(user_id))

    def _teams_at_risk(self) -> set[UUID]:
        found: set[UUID] = set()
        for table, ids in (
            (commitments, self.pending.commitments),
            (targets, self.pending.targets),
            (achievements, self.pending.achievements),
        ):
            if ids:
                query = select(table.c.team_id).where(table.c.id.in_(ids))
                found.update(self.conn.scalars(query))
        if self.pending.mentorships:
            query = select(mentorships.c.mentee_id).where(
                mentorships.c.id.in_(self.pending.mentorships)
            )
            for mentee in self.conn.scalars(query):
                found.update(team_ids_of(self.conn, mentee))
        return found


def _anonymous(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "user_id": None, "name": ANONYMOUS}


def _jsonable(value: Any) -> Any:
    """Return ``value`` with ids and times as the JSON strings the HTTP API uses."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
