"""Liveness and readiness for load balancers, and the API's front door."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, url_for
from sqlalchemy import text

from server.errors import error_response
from server.services import services

log = logging.getLogger(__name__)

blp = Blueprint("health", __name__)

# Readiness fails when the read models trail the log by more than this.
MAX_READY_LAG = 10_000
# Seconds a readiness check waits for Redis before calling it unreachable.
REDIS_CHECK_TIMEOUT = 1.0


@blp.get("/healthz")
def healthz() -> dict[str, str]:
    """Answer 200 while the process is up."""
    return {"status": "ok"}


@blp.get("/readyz")
def readyz() -> Any:
    """Answer 200 when the stores answer and the read models keep up; else 503.

    Ready but "degraded" when what only live pushes need is down: Redis, or the
    LISTEN connection that wakes this process's read models. Anyone may ask, so
    the answer names no host, port, database or driver error (the log does).
    """
    found = services()
    try:
        with found.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        status = found.projections.status()
    except Exception as error:  # any store failure means "not ready", not a 500
        log.warning("Not ready: %s", error)
        return error_response(
            503,
            "not_ready",
            "The database is not answering.",
            headers={"Retry-After": str(found.settings.db_timeout)},
        )
    if status["lag"] > MAX_READY_LAG:
        return error_response(
            503, "not_ready", f"Read models trail the log by {status['lag']} events."
        )
    checks = _optional_parts()
    degraded = any(state != "ok" for state in checks.values())
    return {"status": "degraded" if degraded else "ready", **status, **checks}


def _optional_parts() -> dict[str, str]:
    """Return the state of each part that only live pushes need, if used here."""
    found = services()
    checks = {}
    if found.settings.redis_url:
        reachable = _redis_answers(found.settings.redis_url)
        checks["redis"] = "ok" if reachable else "unreachable"
    listening = found.projections.listening
    if listening is not None:
        checks["listen"] = "ok" if listening else "reconnecting"
    return checks


def _redis_answers(url: str) -> bool:
    """Tell whether Redis answers a PING within ``REDIS_CHECK_TIMEOUT``."""
    import redis

    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_CHECK_TIMEOUT,
        socket_timeout=REDIS_CHECK_TIMEOUT,
    )
    try:
        return bool(client.ping())
    except redis.RedisError as error:
        log.warning("Redis is not answering: %s", error)
        return False
    finally:
        client.close()


@blp.get("/api")
def index() -> dict[str, str]:
    """Point a visitor at the API and its documentation."""
    return {
        "name": "Wolfpack",
        "app": url_for("web.index"),
        "api": "/api/v1",
        "openapi": url_for("api-docs.openapi_json"),
        "health": url_for("health.healthz"),
        "ready": url_for("health.readyz"),
    }
