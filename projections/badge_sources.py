"""What the badges model remembers for later events, in tables of its own.

Whose commitment or achievement an event is about, a team's time zone and each
person's teams: kept here rather than read from other read models, so the badges
model can be replayed alone (time travel replays only what it needs). Every
lookup is by primary key, through the batch.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import JSON, Boolean, Column, String, Table, Uuid

from events.achievement import Achievement
from events.charter import Charter
from events.commitment import Commitment
from events.target import Target
from events.team import Team
from projections.batch import Batch
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

# Each person's teams, by person: what a mentee's events need, read by key.
members = Table(
    "badge_user_teams_view",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    # The team ids as text, sorted (the order of UUIDs too); no row for no team.
    Column("team_ids", JSON, nullable=False),
)

_REMEMBERED = (
    Team.Created,
    Team.MemberAdded,
    Team.MemberRemoved,
    Commitment.Created,
    Target.Created,
    Charter.Created,
    Achievement.Created,
    Achievement.Verified,
    Achievement.Retracted,
    Target.Agreed,
    Target.Revised,
)


def remember(batch: Batch, event: object) -> None:
    """Record what later events will need to know from this one."""
    if not isinstance(event, _REMEMBERED):
        return
    if isinstance(event, Team.Created):
        batch.save(zones, {"team_id": event.originator_id, "timezone": event.timezone})
    elif isinstance(event, Team.MemberAdded):
        _move(batch, event.user_id, event.originator_id, joined=True)
    elif isinstance(event, Team.MemberRemoved):
        _move(batch, event.user_id, event.originator_id, joined=False)
    elif isinstance(event, Commitment.Created):
        _store(batch, event.originator_id, event.team_id, event.owner_id)
    elif isinstance(event, Target.Created):
        _store(batch, event.originator_id, event.team_id, event.user_id)
    elif isinstance(event, Charter.Created):
        _store(batch, event.originator_id, event.team_id, None)
    elif isinstance(event, Achievement.Created):
        _store(
            batch,
            event.originator_id,
            event.team_id,
            event.user_id,
            event.kind,
            str(event.value),
        )
    elif isinstance(event, Achievement.Verified | Target.Agreed | Target.Revised):
        batch.update(sources, event.originator_id, counted=True)
    elif isinstance(event, Achievement.Retracted):
        batch.update(sources, event.originator_id, counted=False)


def _move(batch: Batch, user_id: UUID, team_id: UUID, joined: bool) -> None:
    row = batch.get(members, user_id)
    team_ids = set(row["team_ids"]) if row is not None else set()
    if joined:
        team_ids.add(str(team_id))
    else:
        team_ids.discard(str(team_id))
    if team_ids:
        batch.save(members, {"user_id": user_id, "team_ids": sorted(team_ids)})
    elif row is not None:
        batch.delete(members, user_id)


def _store(
    batch: Batch,
    source_id: UUID,
    team_id: UUID,
    user_id: UUID | None,
    kind: str | None = None,
    amount: str | None = None,
) -> None:
    batch.save(
        sources,
        {
            "id": source_id,
            "team_id": team_id,
            "user_id": user_id,
            "kind": kind,
            "amount": amount,
            "counted": False,
        },
    )


def time_zone(batch: Batch, team_id: UUID) -> str:
    """Return the team's time zone (UTC if the team is unknown)."""
    row = batch.get(zones, team_id)
    return str(row["timezone"]) if row is not None else "UTC"


def teams_of(batch: Batch, user_id: UUID) -> list[UUID]:
    """Return the ids of the teams the user is in now, in a stable (sorted) order."""
    row = batch.get(members, user_id)
    return [UUID(team_id) for team_id in row["team_ids"]] if row is not None else []
