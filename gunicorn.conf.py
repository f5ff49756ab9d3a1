"""gunicorn's settings for Wolfpack, read from the directory gunicorn starts in."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    """Tell the app how many sockets it may hold without starving HTTP.

    Under the gthread worker each open socket holds a thread, and a connection
    slot, for its life: the fewer of the two bounds them.
    """
    gate = getattr(worker.wsgi, "extensions", {}).get("socket_gate")
    if gate is not None and type(worker).__name__ == "ThreadWorker":
        gate.size_for_threads(min(worker.cfg.threads, worker.cfg.worker_connections))
