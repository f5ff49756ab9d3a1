"""Liveness for load balancers and the API's front door."""

from __future__ import annotations

from flask import Blueprint, url_for

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz() -> dict[str, str]:
    """Answer 200 while the process is up."""
    return {"status": "ok"}


@blp.get("/")
def index() -> dict[str, str]:
    """Point a visitor at the API and its documentation."""
    return {
        "name": "Wolfpack",
        "api": "/api/v1",
        "openapi": url_for("api-docs.openapi_json"),
        "health": url_for("health.healthz"),
    }
