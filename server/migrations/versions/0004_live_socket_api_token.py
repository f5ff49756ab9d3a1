"""A live socket records the API token it was opened with.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Revoking a token then closes the sockets it opened, on every instance.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``live_sockets.api_token_id`` (empty for sockets already open)."""
    with op.batch_alter_table("live_sockets") as table:
        table.add_column(sa.Column("api_token_id", sa.Uuid(), nullable=True))
        table.create_index("ix_live_sockets_api_token_id", ["api_token_id"])


def downgrade() -> None:
    """Drop ``live_sockets.api_token_id``."""
    with op.batch_alter_table("live_sockets") as table:
        table.drop_index("ix_live_sockets_api_token_id")
        table.drop_column("api_token_id")
