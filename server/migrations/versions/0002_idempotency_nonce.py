"""An idempotency claim carries a nonce instead of a generation number.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07

A purged claim's generation would start again at 0, and a key reused later
would then be taken for the first request: a random nonce per claim cannot
repeat. Existing claims keep their request ids: the nonce of generation N is
"N", which hashes as the generation did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Replace ``generation`` by ``nonce``, keeping every claim's request id."""
    with op.batch_alter_table("idempotency_records") as table:
        table.add_column(sa.Column("nonce", sa.String(32), nullable=True))
    op.execute("UPDATE idempotency_records SET nonce = CAST(generation AS VARCHAR(32))")
    with op.batch_alter_table("idempotency_records") as table:
        table.alter_column("nonce", existing_type=sa.String(32), nullable=False)
        table.drop_column("generation")


def downgrade() -> None:
    """Bring ``generation`` back (claims with a random nonce start again at 0)."""
    with op.batch_alter_table("idempotency_records") as table:
        table.add_column(
            sa.Column("generation", sa.Integer(), nullable=False, server_default="0")
        )
        table.drop_column("nonce")
