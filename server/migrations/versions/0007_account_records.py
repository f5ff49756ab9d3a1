"""Accounts can be deactivated and invited; every change to them goes on record.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08

``users`` gains ``active`` and ``version`` (the version of the account's record
in the event log). ``pending_records`` holds changes committed here and not yet
appended to the event log. The accounts and tokens that exist already get their
opening records, pending, so their later changes follow on from them.
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from alembic import op

from projections.sql_types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SYSTEM_ACTOR = str(uuid.UUID(int=0))


def upgrade() -> None:
    """Add the columns and the outbox, and back-fill the opening records."""
    op.add_column(
        "users",
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column(
        "users", sa.Column("version", sa.Integer(), nullable=False, server_default="1")
    )
    # reset: an admin's reset link; invitation: a new person's first password.
    op.add_column(
        "password_resets",
        sa.Column("purpose", sa.String(16), nullable=False, server_default="reset"),
    )
    records = op.create_table(
        "pending_records",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("aggregate", sa.String(32), nullable=False),
        sa.Column("aggregate_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.String(100), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.bulk_insert(records, list(_opening_records()))
    # From now on only the app sets a version, with a record for each: a row put
    # in by anything else would have no record and block its account's next ones.
    with op.batch_alter_table("users") as table:
        table.alter_column("version", existing_type=sa.Integer(), server_default=None)


def _opening_records() -> list[dict[str, object]]:
    conn = op.get_bind()
    rows: list[dict[str, object]] = []

    def add(
        aggregate: str,
        aggregate_id: object,
        version: int,
        kind: str,
        at: object,
        actor: object,
        **data: object,
    ) -> None:
        rows.append(
            {
                "aggregate": aggregate,
                "aggregate_id": aggregate_id,
                "version": version,
                "kind": kind,
                "at": at,
                "actor_id": actor,
                "request_id": None,
                "data": json.loads(json.dumps(data, default=str)),
            }
        )

    users = sa.table(
        "users",
        sa.column("id", sa.Uuid()),
        sa.column("email", sa.String()),
        sa.column("name", sa.String()),
        sa.column("is_admin", sa.Boolean()),
        sa.column("created_at", UtcDateTime()),
    )
    for user in conn.execute(sa.select(users)).mappings():
        add(
            "Account",
            user["id"],
            1,
            "Created",
            user["created_at"],
            uuid.UUID(SYSTEM_ACTOR),
            email=user["email"],
            name=user["name"],
            is_admin=bool(user["is_admin"]),
            invited=False,
        )
    for table, aggregate, owner in (
        ("api_tokens", "AccessToken", "user_id"),
        ("screen_tokens", "TeamScreen", "team_id"),
    ):
        tokens = sa.table(
            table,
            sa.column("id", sa.Uuid()),
            sa.column(owner, sa.Uuid()),
            sa.column("name", sa.String()),
            sa.column("created_by", sa.Uuid()),
            sa.column("created_at", UtcDateTime()),
            sa.column("revoked_at", UtcDateTime()),
        )
        for token in conn.execute(sa.select(tokens)).mappings():
            add(
                aggregate,
                token["id"],
                1,
                "Created",
                token["created_at"],
                token["created_by"],
                **{owner: str(token[owner])},
                name=token["name"],
            )
            if token["revoked_at"] is not None:
                add(
                    aggregate,
                    token["id"],
                    2,
                    "Revoked",
                    token["revoked_at"],
                    uuid.UUID(SYSTEM_ACTOR),
                )
    return rows


def downgrade() -> None:
    """Drop the outbox and the columns."""
    op.drop_table("pending_records")
    with op.batch_alter_table("password_resets") as table:
        table.drop_column("purpose")
    with op.batch_alter_table("users") as table:
        table.drop_column("version")
        table.drop_column("active")
