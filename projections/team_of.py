"""Where an event belongs: the teams it is attributed to, and its log position.

Only the Created event of a team-scoped aggregate names its team, so the team is
remembered here by aggregate id for the events that follow. A mentorship belongs
to no team of its own: its events go to the teams the mentee is in at the time.
"""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from eventsourcing.domain import Aggregate
from sqlalchemy import Column, Connection, Table, Uuid, select

from events.mentorship import Mentorship
from events.team import Team
from projections.batch import Batch
from projections.schema import metadata
from projections.teams import teams_of_user

owners = Table(
    "aggregate_team_view",
    metadata,
    Column("aggregate_id", Uuid, primary_key=True),
    # Exactly one of these is set: a team-scoped aggregate's team, or a mentee.
    Column("team_id", Uuid),
    Column("mentee_id", Uuid),
)


def apply(batch: Batch, event: object) -> None:
    """Remember the team (or, for a mentorship, the mentee) of each new aggregate."""
    owner = _owner(event)
    if owner is not None:
        batch.save(owners, owner)


def _owner(event: object) -> dict[str, UUID | None] | None:
    """Return the row a Created event gives its aggregate here (None: no row)."""
    if not isinstance(event, Aggregate.Created):
        return None
    owner = {"aggregate_id": event.originator_id, "team_id": None, "mentee_id": None}
    if isinstance(event, Mentorship.Created):
        owner["mentee_id"] = event.mentee_id
        return owner
    team_id = getattr(event, "team_id", None)
    if not isinstance(team_id, UUID):
        return None
    owner["team_id"] = team_id
    return owner


def teams_of(batch: Batch, event: object) -> list[UUID]:
    """Return the teams the event belongs to, after ``apply`` saw it."""
    if isinstance(event, Team.Event):
        return [event.originator_id]
    team_id = getattr(event, "team_id", None)
    if isinstance(team_id, UUID):
        return [team_id]
    # Found by aggregate id: this module precedes its readers in READ_MODELS, so
    # even a mentorship's Created event is already in the table.
    row = batch.get(owners, getattr(event, "originator_id", None))
    if row is None:
        return []
    if row["team_id"] is not None:
        return [row["team_id"]]
    return teams_of_user(batch, row["mentee_id"])


def aggregates_of(conn: Connection, team_ids: Collection[UUID]) -> set[UUID]:
    """Return the aggregates whose events can change these teams' rows.

    The teams themselves, everything created in them, and every mentorship (its
    events count in the teams its mentee is in at the time, which a replay of
    the teams' own events tells): replaying just these events, in log order,
    leaves the teams' rows as replaying the whole log would.
    """
    c = owners.c
    query = select(c.aggregate_id).where(
        c.team_id.in_(team_ids) | c.mentee_id.is_not(None)
    )
    return {*team_ids, *conn.scalars(query)}


def creates_one_of(event: object, team_ids: Collection[UUID]) -> bool:
    """Tell if ``event`` makes an aggregate that ``aggregates_of(team_ids)`` names."""
    owner = _owner(event)
    return owner is not None and (
        owner["mentee_id"] is not None or owner["team_id"] in team_ids
    )
