"""Read model of each team's feed: who did what, newest first, for everyone in it.

A row keeps ids, not names, and only what a sentence may show (see feed_text):
names are filled in when read, so a renamed person is never shown by an old name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    RowMapping,
    String,
    Table,
    Uuid,
    select,
)

from events.achievement import Achievement
from events.base import WolfpackEvent, event_type
from events.charter import Charter
from events.commitment import Commitment
from events.deal_review import DealReview
from events.endorsement import EndorsementLedger
from events.recognition import Recognition
from events.target import Target
from events.team import Team
from projections.feed_text import TEMPLATES
from projections.schema import UtcDateTime, metadata, position_of
from projections.team_of import teams_of

feed_items = Table(
    "team_feed_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("type", String(64), nullable=False),
    Column("actor_id", Uuid, nullable=False),
    Column("subject_id", Uuid),
    Column("title", String(200)),  # a commitment or award title, a kind, a metric
    Column("detail", String(64)),  # a period, a skill tag, a charter version
    Column("at", UtcDateTime, nullable=False),
)

# What a creation named, for the later events of the same aggregate.
subjects = Table(
    "feed_subject_view",
    metadata,
    Column("aggregate_id", Uuid, primary_key=True),
    Column("subject_id", Uuid, nullable=False),
    Column("title", String(200), nullable=False),
    Column("detail", String(64)),
)

REMEMBERED = (Commitment.Created, Achievement.Created, Target.Created)
RECALLED = (
    Commitment.Renegotiated,
    Commitment.Kept,
    Commitment.Missed,
    Commitment.Withdrawn,
    Commitment.CalledOut,
    Achievement.Verified,
    Target.Agreed,
    Target.Revised,
)


@dataclass(frozen=True)
class Words:
    """Who an event is about and the words its sentence may show."""

    subject_id: UUID | None
    title: str | None = None
    detail: str | None = None


def apply(conn: Connection, event: object) -> None:
    """Add a feed-worthy event to the feed of every team it belongs to."""
    if not isinstance(event, WolfpackEvent):
        return
    words = _words(event)
    if isinstance(event, REMEMBERED) and words is not None:
        conn.execute(
            subjects.insert().values(aggregate_id=event.originator_id, **asdict(words))
        )
    if isinstance(event, RECALLED):
        words = _recalled(conn, event.originator_id)
    kind = event_type(type(event).TOPIC)  # type: ignore[attr-defined]
    if words is None or kind not in TEMPLATES:
        return
    position = position_of(conn)
    rows = [
        {
            "team_id": team_id,
            "position": position,
            "type": kind,
            "actor_id": event.actor_id,
            "at": event.timestamp,
            **asdict(words),
        }
        for team_id in teams_of(conn, event)
    ]
    if rows:
        conn.execute(feed_items.insert(), rows)


def _words(event: WolfpackEvent) -> Words | None:
    """Return what the event itself says its sentence may show."""
    match event:
        case Commitment.Created():
            return Words(event.owner_id, event.title)
        case Achievement.Created():
            return Words(event.user_id, _spoken(event.kind))
        case Target.Created():
            return Words(event.user_id, _spoken(event.metric), event.period)
        case Recognition.Created():
            return Words(event.to_user_id, event.title)
        case EndorsementLedger.Given():
            return Words(event.to_user_id, detail=event.skill)
        case DealReview.Created() | DealReview.FeedbackGiven():
            return Words(event.requested_by)
        case Charter.Published():
            return Words(None, detail=str(event.number))
        case Team.MemberAdded():
            return Words(event.user_id)
    return None


def _spoken(name: str) -> str:
    return name.replace("_", " ")


def _recalled(conn: Connection, aggregate_id: UUID) -> Words | None:
    s = subjects.c
    row = conn.execute(
        select(s.subject_id, s.title, s.detail).where(s.aggregate_id == aggregate_id)
    ).first()
    return None if row is None else Words(row.subject_id, row.title, row.detail)


def team_feed(
    conn: Connection, team_id: UUID, *, before: int | None = None, limit: int = 50
) -> Sequence[RowMapping]:
    """Return the team's feed items before a position (all when None), newest first."""
    f = feed_items.c
    query = (
        select(feed_items)
        .where(f.team_id == team_id)
        .order_by(f.position.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(f.position < before)
    return conn.execute(query).mappings().all()
