"""Refuse request input that parses badly, is too large, or cannot be stored.

Checked once, before any route reads it. Query strings and JSON bodies are refused
with 400 when they carry text no store can keep: NUL characters (PostgreSQL text
cannot hold them) and lone UTF-16 surrogates (not Unicode text at all; JSON can
spell them as ``"\\ud800"``, and the event store cannot encode them). JSON bodies
are also refused when nested too deeply, with numbers too long, or NaN and
Infinity; and a body over the size limit is 413 however it was sent. So bad input
gets a clear 4xx here instead of a 500 deep inside a parser or a database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from server.auth import API_PREFIX
from server.errors import ApiError

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# NUL, or a surrogate code point (only ever half of a UTF-16 pair, never a character).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = (
    "Text must not hold NUL characters or unpaired UTF-16 surrogates such as \\ud800."
)


def check_query_string() -> None:
    """Refuse a query string whose names or values hold text no store can keep."""
    texts = (text for pair in request.args.items(multi=True) for text in pair)
    if any(UNSTORABLE.search(text) for text in texts):
        raise ApiError(400, "bad_request", UNSTORABLE_MESSAGE)


# Endpoints that take a file (CSV) as the body, and the types they take.
TEXT_ENDPOINTS = frozenset({"imports.people"})
TEXT_TYPES = frozenset({"text/csv", "text/plain", "application/csv"})


def check_json_body() -> None:
    """Parse a JSON body once, strictly; answer 400 when it cannot be trusted.

    A body in another format (a form, plain text) gets 415: the API reads JSON only,
    and reading such a body as "no fields at all" would blame the wrong thing.
    """
    if request.method not in UNSAFE_METHODS:
        return
    raw = _read_body()
    if not raw.strip():
        return
    if not request.is_json:
        if request.endpoint in TEXT_ENDPOINTS and request.mimetype in TEXT_TYPES:
            return  # read by the route, which checks it its own way
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
    if any(UNSTORABLE.search(text) for text in _strings_in(body)):
        raise ApiError(400, "bad_request", UNSTORABLE_MESSAGE)


def _read_body() -> bytes:
    """Return the whole body, refusing one over the limit however it was sent.

    A body with Content-Length over the limit is refused by Werkzeug before it is
    read. A chunked body has no length: Werkzeug reads it up to the limit and stops
    there, silently, so whether more was sent is checked here.
    """
    raw = request.get_data(cache=True)
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if (
        request.content_length is None
        and limit is not None
        and len(raw) >= limit
        and request.environ["wsgi.input"].read(1)
    ):
        raise RequestEntityTooLarge()
    return raw


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _strings_in(value: Any) -> Iterable[str]:
    # Iterative, so that a deep (but parseable) body cannot exhaust the stack.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
