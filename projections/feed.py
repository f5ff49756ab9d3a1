"""Read model of each team's feed: who did what, newest first, for everyone in it.

A row keeps ids, not names, and only what a sentence may show (see feed_text):
names are filled in when read, so a renamed person is never shown by an old name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
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
from events.scoring import ScoringRules
from events.target import Target
from events.team import Team
from projections.batch import Batch
from projections.feed_text import TEMPLATES
from projections.schema import metadata
from projections.sql_types import UtcDateTime
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
    # Live pushes read what is new across teams: the items past a position.
    Index("ix_team_feed_view_position", "position"),
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
    Achievement.Retracted,
    Target.Agreed,
    Target.Revised,
)


# Who an event is about and the words its sentence may show: the subject_id,
# title and detail columns of a feed row.
Words = dict[str, Any]


def apply(batch: Batch, event: object) -> None:
    """Add a feed-worthy event to the feed of every team it belongs to."""
    if not isinstance(event, WolfpackEvent):
        return
    words: Words | None = None
    if isinstance(event, REMEMBERED):
        words = _words(event)
        if words is not None:
            batch.save(subjects, {"aggregate_id": event.originator_id, **words})
    kind = _kind(type(event))
    if kind not in TEMPLATES:
        return
    if isinstance(event, RECALLED):
        words = _recalled(batch, event.originator_id)
    elif words is None:
        words = _words(event)
    if words is None:
        return
    team_ids = teams_of(batch, event)
    if not team_ids:
        return
    row = {
        "position": batch.position,
        "type": kind,
        "actor_id": event.actor_id,
        "at": event.timestamp,
        **words,
    }
    for team_id in team_ids:
        batch.append(feed_items, {"team_id": team_id, **row})


# The feed's type name of each event class (its stored topic, shortened).
_kinds: dict[type, str] = {}


def _kind(cls: type) -> str:
    kind = _kinds.get(cls)
    if kind is None:
        kind = _kinds[cls] = event_type(cls.TOPIC)  # type: ignore[attr-defined]
    return kind


def _said(
    subject_id: UUID | None, title: str | None = None, detail: str | None = None
) -> Words:
    return {"subject_id": subject_id, "title": title, "detail": detail}


def _words(event: WolfpackEvent) -> Words | None:
    """Return what the event itself says its sentence may show."""
    match event:
        case Commitment.Created():
            return _said(event.owner_id, event.title)
        case Achievement.Created():
            return _said(event.user_id, _spoken(event.kind))
        case Target.Created():
            return _said(event.user_id, _spoken(event.metric), event.period)
        case Recognition.Created():
            return _said(event.to_user_id, event.title)
        case EndorsementLedger.Given():
            return _said(event.to_user_id, detail=event.skill)
        case DealReview.Created() | DealReview.FeedbackGiven():
            return _said(event.requested_by)
        case Charter.Published() | Charter.Acknowledged() | ScoringRules.Published():
            return _said(None, detail=str(event.number))
        case Team.MemberAdded():
            return _said(event.user_id)
    return None


def _spoken(name: str) -> str:
    return name.replace("_", " ")


def _recalled(batch: Batch, aggregate_id: UUID) -> Words | None:
    row = batch.get(subjects, aggregate_id)
    if row is None:
        return None
    return _said(row["subject_id"], row["title"], row["detail"])


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
