"""Pages of a log read in order: a full page links to the next one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import url_for
from marshmallow import Schema


def next_page_header(path: str) -> dict[str, Any]:
    """Document the ``Link`` header of a full page (for ``@blp.response``)."""
    return {
        "Link": {
            "description": f'On a full page: `<…/{path}?…&after=N>; rel="next"`.',
            "schema": {"type": "string"},
        }
    }


def next_page(
    endpoint: str,
    schema: Schema,
    query: dict[str, Any],
    rows: Sequence[Any],
    **path: Any,
) -> dict[str, str]:
    """Return the ``Link`` to the page after ``rows``, or nothing on a last page.

    The link keeps the query's filters (as the schema names them) and asks for
    the positions after the last row shown.
    """
    if len(rows) < query["limit"]:
        return {}
    following = {**schema.dump(query), "after": rows[-1]["position"]}
    return {"Link": f'<{url_for(endpoint, **path, **following)}>; rel="next"'}
