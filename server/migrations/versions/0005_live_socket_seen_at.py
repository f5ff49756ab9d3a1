"""A live socket's row says when its instance last vouched for it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Rows were purged by their age, so a socket open for longer than a login lasts
lost its row, and with it revoking or logging out stopped closing it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from projections.sql_types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``live_sockets.seen_at``, from ``connected_at`` for the rows there."""
    with op.batch_alter_table("live_sockets") as table:
        table.add_column(sa.Column("seen_at", UtcDateTime(), nullable=True))
    op.execute("UPDATE live_sockets SET seen_at = connected_at")
    with op.batch_alter_table("live_sockets") as table:
        table.alter_column("seen_at", existing_type=UtcDateTime(), nullable=False)
        table.create_index("ix_live_sockets_seen_at", ["seen_at"])


def downgrade() -> None:
    """Drop ``live_sockets.seen_at``."""
    with op.batch_alter_table("live_sockets") as table:
        table.drop_index("ix_live_sockets_seen_at")
        table.drop_column("seen_at")
