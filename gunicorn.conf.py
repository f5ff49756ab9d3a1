"""gunicorn's settings for Wolfpack, read from the directory gunicorn starts in."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    """Tell the app its thread count, so that sockets never take HTTP's threads.

    Under the gthread worker each open socket holds a thread for its life.
    """
    gate = getattr(worker.wsgi, "extensions", {}).get("socket_gate")
    if gate is not None and type(worker).__name__ == "ThreadWorker":
        gate.size_for_threads(worker.cfg.threads)
