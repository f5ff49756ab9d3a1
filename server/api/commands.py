"""What every command route shares: If-Match, read-your-writes and the position."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from flask import request
from werkzeug.exceptions import BadRequest

from events.application import Change
from events.history import history_record
from server.services import services

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
