"""One error body for every failure: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from events.errors import (
    DomainError,
    InvalidValueError,
    LinkGoneError,
    NotFoundError,
    PermissionDeniedError,
    VersionConflictError,
)
from server.unavailable import database_unavailable

log = logging.getLogger(__name__)

# Most specific first: the first class an error is an instance of decides.
DOMAIN_STATUSES: tuple[tuple[type[DomainError], int], ...] = (
    (NotFoundError, 404),
    (PermissionDeniedError, 403),
    (InvalidValueError, 422),
    (LinkGoneError, 410),
    (VersionConflictError, 409),
    (DomainError, 409),
)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
}


class ApiError(HTTPException):
    """Raised by the server to answer with a status, a code and a message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = status
        self.error_code = code
        self.message = message
        self.fields = dict(fields or {})
        self.extra_headers = dict(headers or {})


def error_response(
    status: int,
    code: str,
    message: str,
    fields: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build the uniform error response."""
    body = {"error": {"code": code, "message": message, "fields": dict(fields or {})}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_domain_error(error: DomainError) -> Response:
    """Answer a refused command with its status and code."""
    status = next(s for cls, s in DOMAIN_STATUSES if isinstance(error, cls))
    fields = {error.field: [error.message]} if error.field else {}
    return error_response(status, error.code, error.message, fields)


def handle_http_exception(error: HTTPException) -> Response:
    """Answer an HTTP error (ours, Werkzeug's or webargs's) with the uniform body."""
    if isinstance(error.response, Response):
        return error.response  # it came with its answer (a rate limit's, say)
    if isinstance(error, ApiError):
        return error_response(
            error.code or 400,
            error.error_code,
            error.message,
            error.fields,
            error.extra_headers,
        )
    status = error.code or 500
    if status >= 500:
        original = getattr(error, "original_exception", None)
        if original is not None and database_unavailable(original):
            return handle_unavailable(original)
        log.error("Unhandled error", exc_info=original or error)
        return error_response(
            500, "internal_error", "Something went wrong on our side."
        )
    data: Mapping[str, Any] = getattr(error, "data", None) or {}
    fields = _flatten(data.get("messages", {}))
    message = error.description or error.name
    if status == 422:
        message = "Some fields are not valid."
    elif status == 400 and fields:
        message = "; ".join(m for msgs in fields.values() for m in msgs)
        fields = {}
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_headers():
        headers.update({k: v for k, v in error.get_headers() if k == "Allow"})
    code = HTTP_CODES.get(status, "error")
    return error_response(status, code, message, fields, headers)


def handle_unexpected(error: Exception) -> Response:
    """Answer any other failure as a 500 with the uniform body (and log it)."""
    return handle_http_exception(InternalServerError(original_exception=error))


def handle_unavailable(error: BaseException) -> Response:
    """Answer 503 with Retry-After when the database cannot answer now.

    The driver's text (host, port, database) goes to the log, not to the caller.
    """
    log.warning("Database unavailable: %s", error)
    seconds = current_app.extensions["wolfpack"].settings.db_timeout
    return error_response(
        503,
        "unavailable",
        "The database is not answering. Try again shortly.",
        headers={"Retry-After": str(seconds)},
    )


def _flatten(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """Turn webargs's ``{location: {field: messages}}`` into ``{field: [text]}``."""
    fields: dict[str, list[str]] = {}
    for location, errors in messages.items():
        if not isinstance(errors, Mapping):
            fields.setdefault(location, []).extend(_texts(errors))
            continue
        for field, detail in errors.items():
            fields.setdefault(str(field), []).extend(_texts(detail))
    return fields


def _texts(detail: Any) -> list[str]:
    if isinstance(detail, str):
        return [detail]
    if isinstance(detail, Mapping):
        return [t for value in detail.values() for t in _texts(value)]
    if isinstance(detail, list | tuple):
        return [t for value in detail for t in _texts(value)]
    return [str(detail)]


def handle_stale_row(_error: StaleDataError) -> Response:
    """Answer a change made from a copy another request changed meanwhile."""
    return error_response(
        409, "version_conflict", "Someone else changed this meanwhile; try again."
    )


def register_error_handlers(app: Flask) -> None:
    """Route every error through the uniform body."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(StaleDataError, handle_stale_row)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
