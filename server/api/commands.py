"""What every command route shares: If-Match, read-your-writes and the position."""

from __future__ import annotations

import logging
import re
from typing import Any, TypeVar

from flask import request
from werkzeug.exceptions import BadRequest

from events.application import Change
from events.history import history_record
from server.admin_records import publish_pending
from server.db import db
from server.services import services

log = logging.getLogger(__name__)
T = TypeVar("T")
VERSION = re.compile(r"[0-9]{1,12}")


def expected_version() -> int | None:
    """Return the version an If-Match header names (``3`` or ``"3"``), if sent."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not VERSION.fullmatch(value):
        raise BadRequest("If-Match must be a version number.")
    return int(value)


def changed(
    change: Change[Any], body: T, status: int = 200
) -> tuple[T, int, dict[str, str]]:
    """Answer a command once the read models include it, with its event position."""
    services().wait_for_read_models(change.position)
    return body, status, {"X-Event-Position": str(change.position)}


def history(events: list[Any]) -> list[dict[str, Any]]:
    """Return an aggregate's events as history records, oldest first."""
    return [history_record(event) for event in events]


def publish_records() -> dict[str, str]:
    """Put the account changes just committed on the record; wait for the admin log.

    Return the ``X-Event-Position`` header. A record that cannot be published now
    stays pending, committed with its change, for the housekeeper's next round.
    """
    app = services().events
    try:
        publish_pending(db(), app)
    except Exception:  # the change stands; its record follows later
        log.exception("Publishing account records failed; they stay pending")
        db().rollback()
    position = app.recorder.max_notification_id() or 0
    services().wait_for_read_models(position)
    return {"X-Event-Position": str(position)}
