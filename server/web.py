"""The web frontend: the files of ``frontend/`` and the Socket.IO client from npm."""

from __future__ import annotations

import posixpath
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

from server.errors import ApiError

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
VENDOR = FRONTEND / "node_modules" / "socket.io-client" / "dist"
ASSET_FOLDERS = frozenset({"css", "js", "img"})

# Everything comes from this origin; sockets too. User text never becomes markup,
# and this makes sure no script, style or image from elsewhere runs if it did.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
)

# Production runs behind TLS: browsers must never be talked into plain HTTP again.
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"

blp = Blueprint("web", __name__)


@blp.after_app_request
def protect_pages(response: Response) -> Response:
    """Send the frontend's security headers with every response."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.extensions["wolfpack"].settings.is_production:
        response.headers.setdefault(
            "Strict-Transport-Security", STRICT_TRANSPORT_SECURITY
        )
    return response


def _page(name: str) -> Response:
    # Revalidated on every load so a new release's modules are never mixed with old.
    response = send_from_directory(FRONTEND, name, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/")
def index() -> Response:
    """Serve the app: sign in, dashboard and every page behind it."""
    return _page("index.html")


@blp.get("/screen")
def screen() -> Response:
    """Serve the read-only team screen for a TV (opened with a screen token)."""
    return _page("screen.html")


@blp.get("/static/<path:name>")
def static_file(name: str) -> Response:
    """Serve the frontend's CSS, modules and images."""
    # Judged after "a/../b" is resolved: only these folders are the app's assets.
    path = posixpath.normpath(name)
    if path.split("/", 1)[0] not in ASSET_FOLDERS:
        raise ApiError(404, "not_found", "No such file.")
    return _page(path)


@blp.get("/vendor/<path:name>")
def vendor_file(name: str) -> Response:
    """Serve the Socket.IO browser client that ``make`` installs from npm."""
    if not (VENDOR / "socket.io.esm.min.js").exists():
        raise ApiError(
            503, "frontend_not_installed", "Run `make install` to get socket.io-client."
        )
    return send_from_directory(VENDOR, name, max_age=3600)
