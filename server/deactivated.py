"""Deactivated people leave what is live: boards, at-risk lists (not the record)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy.orm import Session

from server.accounts import inactive_ids

T = TypeVar("T")


def without_deactivated(
    session: Session, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Drop deactivated people from a live board's rows; those below move up.

    Each keeps a rank of one more than the number of people still ranked above,
    so ties stay ties. Past boards keep everyone, as they were.
    """
    gone = inactive_ids(session, [row["user_id"] for row in rows])
    if not gone:
        return rows
    kept = [row for row in rows if row["user_id"] not in gone]
    ranks = sorted(row["rank"] for row in kept if row["rank"] is not None)
    for row in kept:
        if row["rank"] is not None:
            row["rank"] = 1 + bisect_left(ranks, row["rank"])
    return kept


def still_active(session: Session, items: Iterable[T], user_id: Any) -> list[T]:
    """Return the items whose person (``user_id(item)``) is not deactivated."""
    listed = list(items)
    gone: set[UUID] = inactive_ids(session, {user_id(item) for item in listed})
    return [item for item in listed if user_id(item) not in gone]
