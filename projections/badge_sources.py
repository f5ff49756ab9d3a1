"""What the badges model remembers for later events, in tables of its own.

Whose commitment or achievement an event is about, a team's time zone and its
members: kept here rather than read from other read models, so the badges
model can be replayed alone (time travel replays only what it needs).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    RowMapping,
    String,
    Table,
    Uuid,
    select,
)

from events.achievement import Achievement
from events.charter import Charter
from events.commitment import Commitment
from events.target import Target
from events.team import Team
from projections.schema import metadata

sources = Table(
    "badge_source_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=False),
    Column("user_id", Uuid),
    Column("kind", String(32)),
    # Decimals as text: exact on every database (SQLite has no decimal type).
    Column("amount", String(40)),
    # Whether it counts towards badges now: a verified achievement, agreed target.
    Column("counted", Boolean, nullable=False),
)

zones = Table(
    "badge_team_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("timezone", String(64), nullable=False),
)

members = Table(
    "badge_member_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("user_id", Uuid, primary_key=True, index=True),
)


def remember(conn: Connection, event: object) -> None:
    """Record what later events will need to know from this one."""
    if isinstance(event, Team.Created):
        conn.execute(
            zones.insert().values(team_id=event.originator_id, timezone=event.timezone)
        )
    elif isinstance(event, Team.MemberAdded):
        conn.execute(
            members.insert().values(team_id=event.originator_id, user_id=event.user_id)
        )
    elif isinstance(event, Team.MemberRemoved):
        conn.execute(
            members.delete().where(
                members.c.team_id == event.originator_id,
                members.c.user_id == event.user_id,
            )
        )
    elif isinstance(event, Commitment.Created):
        _store(conn, event.originator_id, event.team_id, event.owner_id)
    elif isinstance(event, Target.Created):
        _store(conn, event.originator_id, event.team_id, event.user_id)
    elif isinstance(event, Charter.Created):
        _store(conn, event.originator_id, event.team_id, None)
    elif isinstance(event, Achievement.Created):
        _store(
            conn,
            event.originator_id,
            event.team_id,
            event.user_id,
            event.kind,
            str(event.value),
        )
    elif isinstance(event, Achievement.Verified | Target.Agreed | Target.Revised):
        _mark(conn, event.originator_id, counted=True)
    elif isinstance(event, Achievement.Retracted):
        _mark(conn, event.originator_id, counted=False)


def _store(
    conn: Connection,
    source_id: UUID,
    team_id: UUID,
    user_id: UUID | None,
    kind: str | None = None,
    amount: str | None = None,
) -> None:
    conn.execute(
        sources.insert().values(
            id=source_id,
            team_id=team_id,
            user_id=user_id,
            kind=kind,
            amount=amount,
            counted=False,
        )
    )


def _mark(conn: Connection, source_id: UUID, counted: bool) -> None:
    conn.execute(
        sources.update().where(sources.c.id == source_id).values(counted=counted)
    )


def source(conn: Connection, source_id: UUID) -> RowMapping:
    """Return what was remembered about a commitment, achievement, target or charter."""
    query = select(sources).where(sources.c.id == source_id)
    return conn.execute(query).mappings().one()


def time_zone(conn: Connection, team_id: UUID) -> str:
    """Return the team's time zone (UTC if the team is unknown)."""
    query = select(zones.c.timezone).where(zones.c.team_id == team_id)
    return conn.scalar(query) or "UTC"


def teams_of(conn: Connection, user_id: UUID) -> list[UUID]:
    """Return the ids of the teams the user is in now, in a stable order."""
    query = select(members.c.team_id).where(members.c.user_id == user_id)
    return sorted(conn.scalars(query))
