"""The Wolfpack platform: the Flask app factory that wires everything together."""

from __future__ import annotations

import gc

from flask import Flask

from server import auth, cli, db, errors, idempotency, input_guard, web
from server.accounts import SESSION_LIFETIME
from server.api import init_api
from server.config import Settings
from server.proxies import TrustedProxies, networks
from server.pushes import pusher_for
from server.realtime import make_socketio
from server.services import build_services
from server.throttle import protect_sign_in

# Requests build thousands of short-lived objects (a board is a dict per member).
# With Python's default young-generation threshold (700) many outlive a young
# collection mid-request, pile up and set off full collections: pauses of tens of
# milliseconds at the 99th percentile (docs/BENCHMARKS.md). A larger threshold lets
# them die young.
GC_YOUNG_THRESHOLD = 10_000


def tune_gc() -> None:
    """Raise the garbage collector's young threshold for this process."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle, old)


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app from settings (read from the environment when not given)."""
    tune_gc()
    settings = settings or Settings.from_env()
    # No default /static route: server.web serves the frontend's files.
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )
    app.extensions["wolfpack"] = build_services(settings)
    app.before_request(auth.authenticate)
    app.before_request(input_guard.check_query_string)
    app.before_request(input_guard.check_json_body)
    app.before_request(idempotency.replay_or_claim)
    app.after_request(idempotency.remember)
    app.teardown_appcontext(db.close_db)
    errors.register_error_handlers(app)
    init_api(app)
    app.register_blueprint(web.blp)
    cli.register(app)
    socketio = make_socketio(app, settings)
    protect_sign_in(app, settings)
    app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
        app.wsgi_app, networks(settings.trusted_proxies)
    )
    if settings.projections != "off":
        # This process applies the events, so it is the one that announces them.
        app.extensions["wolfpack"].start_pushes(pusher_for(socketio, app))
    return app
