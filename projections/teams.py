"""Read model of teams and their members, for listings and "my teams"."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Integer,
    RowMapping,
    String,
    Table,
    Uuid,
    select,
)

from events.team import Team
from projections.batch import Batch
from projections.schema import metadata
from projections.sql_types import UtcDateTime

teams = Table(
    "team_view",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("currency", String(3)),
    Column("archived", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

members = Table(
    "team_member_view",
    metadata,
    Column("team_id", Uuid, primary_key=True),
    Column("user_id", Uuid, primary_key=True, index=True),
    Column("role", String(16), nullable=False),
)


# Each user's teams, by user: what events about a person need, read by key.
user_teams = Table(
    "user_teams_view",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    # Sorted ids as strings.
    Column("team_ids", JSON, nullable=False),
)


def apply(batch: Batch, event: object) -> None:
    """Apply one event to the team tables (other events are ignored)."""
    if not isinstance(event, Team.Event):
        return
    team_id = event.originator_id
    if isinstance(event, Team.Created):
        batch.save(
            teams,
            {
                "id": team_id,
                "name": event.name,
                "timezone": event.timezone,
                "currency": None,
                "archived": False,
                "version": event.originator_version,
                "created_at": event.timestamp,
            },
        )
        return
    values: dict[str, object] = {"version": event.originator_version}
    if isinstance(event, Team.MemberAdded):
        member = {"team_id": team_id, "user_id": event.user_id, "role": event.role}
        batch.save(members, member)
        _move(batch, event.user_id, team_id, joined=True)
    elif isinstance(event, Team.MemberRoleChanged):
        batch.update(members, team_id, event.user_id, role=event.role)
    elif isinstance(event, Team.MemberRemoved):
        batch.delete(members, team_id, event.user_id)
        _move(batch, event.user_id, team_id, joined=False)
    elif isinstance(event, Team.Updated):
        # The event sets only the fields that changed.
        for field in ("name", "timezone", "currency"):
            if (value := getattr(event, field)) is not None:
                values[field] = value
    elif isinstance(event, Team.Archived | Team.Restored):
        values["archived"] = isinstance(event, Team.Archived)
    batch.update(teams, team_id, **values)


def _move(batch: Batch, user_id: UUID, team_id: UUID, joined: bool) -> None:
    row = batch.get(user_teams, user_id)
    ids = set(row["team_ids"]) if row else set()
    if joined:
        ids.add(str(team_id))
    else:
        ids.discard(str(team_id))
    batch.save(user_teams, {"user_id": user_id, "team_ids": sorted(ids)})


def teams_of_user(batch: Batch, user_id: UUID) -> list[UUID]:
    """Return the ids of the user's teams (sorted), as the batch has left them."""
    row = batch.get(user_teams, user_id)
    return [UUID(team_id) for team_id in row["team_ids"]] if row else []


def list_teams(
    conn: Connection, user_id: UUID | None = None, *, archived: bool = False
) -> Sequence[RowMapping]:
    """Return all teams by name, or only the user's; archived ones only if asked."""
    query = select(teams).order_by(teams.c.name)
    if not archived:
        query = query.where(teams.c.archived.is_(False))
    if user_id is not None:
        query = query.join(members, members.c.team_id == teams.c.id).where(
            members.c.user_id == user_id
        )
    return conn.execute(query).mappings().all()


def memberships(
    conn: Connection, user_id: UUID, *, archived: bool = False
) -> Sequence[RowMapping]:
    """Return the user's teams with their role in each, by team name.

    Archived teams are left out unless asked for: a person is no longer in
    them day to day, yet may still read their record.
    """
    query = (
        select(teams.c.id, teams.c.name, members.c.role)
        .join(members, members.c.team_id == teams.c.id)
        .where(members.c.user_id == user_id)
        .order_by(teams.c.name)
    )
    if not archived:
        query = query.where(teams.c.archived.is_(False))
    return conn.execute(query).mappings().all()


def team_ids_of(conn: Connection, user_id: UUID) -> list[UUID]:
    """Return the ids of the teams the user belongs to."""
    query = select(members.c.team_id).where(members.c.user_id == user_id)
    return list(conn.scalars(query))


def teammate_ids(conn: Connection, user_id: UUID) -> set[UUID]:
    """Return the ids of everyone sharing a team with the user (and the user)."""
    mine = select(members.c.team_id).where(members.c.user_id == user_id)
    query = select(members.c.user_id).where(members.c.team_id.in_(mine))
    return {user_id, *conn.scalars(query)}
