"""Liveness and readiness for load balancers, and the API's front door."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from sqlalchemy import text

from server.errors import error_response
from server.services import services

blp = Blueprint("health", __name__)

# Readiness fails when the read models trail the log by more than this.
MAX_READY_LAG = 10_000


@blp.get("/healthz")
def healthz() -> dict[str, str]:
    """Answer 200 while the process is up."""
    return {"status": "ok"}


@blp.get("/readyz")
def readyz() -> Any:
    """Answer 200 when both stores answer and the read models keep up; else 503."""
    found = services()
    try:
        with found.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        status = found.projections.status()
    except Exception as error:  # any store failure means "not ready", not a 500
        return error_response(503, "not_ready", f"A store is unreachable: {error}")
    if status["lag"] > MAX_READY_LAG:
        return error_response(
            503, "not_ready", f"Read models trail the log by {status['lag']} events."
        )
    return {"status": "ready", **status}


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
