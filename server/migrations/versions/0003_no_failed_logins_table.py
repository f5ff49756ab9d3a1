"""Failed sign-ins are counted by Flask-Limiter (memory or Redis), not in a table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from projections.sql_types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop ``failed_logins`` (its rows were at most 15 minutes of attempts)."""
    op.drop_index("ix_failed_logins_email", table_name="failed_logins")
    op.drop_table("failed_logins")


def downgrade() -> None:
    """Make ``failed_logins`` again, empty."""
    op.create_table(
        "failed_logins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_failed_logins_email", "failed_logins", ["email"])
