"""Refuse JSON bodies that parse badly or carry what the stores cannot keep.

Checked once, before any route reads the body: nesting too deep, numbers too
long, NaN and Infinity, and NUL characters (PostgreSQL text cannot hold them)
all get 400 here, instead of a 500 deep inside a parser or a database.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request

from server.auth import API_PREFIX
from server.errors import ApiError

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def check_json_body() -> None:
    """Parse a JSON body once, strictly; answer 400 when it cannot be trusted.

    A body in another format (a form, plain text) gets 415: the API reads JSON only,
    and reading such a body as "no fields at all" would blame the wrong thing.
    """
    if request.method not in UNSAFE_METHODS:
        return
    raw = request.get_data(cache=True)
    if not raw.strip():
        return
    if not request.is_json:
        if request.path.startswith(API_PREFIX):
            raise ApiError(
                415,
                "unsupported_media_type",
                "Send the body as JSON, with Content-Type: application/json.",
            )
        return
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise ApiError(400, "bad_request", "The JSON is nested too deeply.") from None
    except ValueError:
        raise ApiError(400, "bad_request", "Invalid JSON body.") from None
    if _has_nul(body):
        raise ApiError(400, "bad_request", "Text must not contain NUL characters.")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _has_nul(value: Any) -> bool:
    # Iterative, so that a deep (but parseable) body cannot exhaust the stack.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False
