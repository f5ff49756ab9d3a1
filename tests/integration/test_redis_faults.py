"""A Redis that accepts connections but never answers cannot hold a thread for long.

Publishing a push (the pushes' thread), or closing a socket held by another
instance (signing out, an HTTP request), waits for Redis: that wait is bounded.
"""

from __future__ import annotations

import threading
import time

from flask_socketio import SocketIO

from server import create_app
from server.accounts import create_user
from server.config import REDIS_TIMEOUT, Settings
from tests.conftest import socketio_channel
from tests.integration.conftest import PASSWORD
from tests.tcp_proxy import tcp_proxy


def test_publishing_to_a_redis_that_never_answers_gives_up_within_the_bound():
    # Nothing is ever forwarded: the proxy swallows every connection.
    with tcp_proxy("127.0.0.1", 9) as silent_redis:
        silent_redis.swallow()
        settings = Settings(redis_url=f"redis://127.0.0.1:{silent_redis.port}/0")
        emitter = SocketIO(
            message_queue=settings.bounded_redis_url(),
            channel="wolfpack-test-silent",
            async_mode="threading",
        )
        gave_up = threading.Event()

        def publish() -> None:
            emitter.emit("feed", {"item": "x"}, to="team:x")  # logs and gives up
            gave_up.set()

        threading.Thread(target=publish, daemon=True).start()

        # The library tries twice, each within the bound; the rest is slack.
        assert gave_up.wait(2 * REDIS_TIMEOUT + 5)


def test_signing_in_with_a_redis_that_never_answers_gives_up_within_the_bound(
    settings: Settings,
):
    with tcp_proxy("127.0.0.1", 9) as silent_redis:
        silent_redis.swallow()
        app = create_app(
            settings.with_changes(
                redis_url=f"redis://127.0.0.1:{silent_redis.port}/0",
                socketio_channel=socketio_channel(),
            )
        )
        try:
            with app.extensions["wolfpack"].sessions() as session:
                create_user(session, "owner@example.com", "Owner", PASSWORD)
            started = time.monotonic()
            signed_in = app.test_client().post(
                "/api/v1/auth/login",
                json={"email": "owner@example.com", "password": PASSWORD},
            )
            took = time.monotonic() - started
        finally:
            app.extensions["wolfpack"].close()

    # The limits fall back to memory once Redis has not answered in time (two
    # waits of REDIS_TIMEOUT; unbounded, the Redis client waited 10 s).
    assert signed_in.status_code == 200
    assert took < 3 * REDIS_TIMEOUT + 1
