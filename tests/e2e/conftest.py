"""A real gunicorn serving the app on a free port, with its own data folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from tests.conftest import socketio_channel
from tests.e2e.sockets import Clients
from tests.e2e.ui import browser, person  # noqa: F401 - browser fixtures

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class LiveServer:
    """Where the server listens, and how to run its CLI against the same data."""

    url: str
    env: dict[str, str]

    def flask(self, *args: str) -> str:
        """Run ``flask --app wsgi …`` on the server's data; return its output."""
        result = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout

    def now(self) -> datetime:
        """Return the server's time: the Date its answer carries (the app's clock)."""
        with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:  # noqa: S310
            return parsedate_to_datetime(answer.headers["Date"])

    def create_user(
        self, email: str, name: str, password: str, admin: bool = True
    ) -> None:
        """Create an account with the CLI, as the first admin is created."""
        flags = ["--admin"] if admin else []
        self.flask(
            "users", "create", email, "--name", name, "--password", password, *flags
        )


def listening_socket() -> socket.socket:
    """Return a socket listening on a free loopback port, to hand to gunicorn.

    Binding here and passing the descriptor leaves no moment in which another
    process (tests or benchmarks running at once) could take the port, and the
    health check then reach that process instead.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not become healthy in 30 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a server process to stop; kill it if it has not within 15 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def gunicorn(env: dict[str, str], log_path: Path, threads: int = 16) -> Iterator[str]:
    """Serve the app as `make run` does (gthread, one worker); yield its URL.

    Each open websocket holds one of the ``threads`` for its whole life. No
    control socket: several servers (tests in parallel) would share its path.
    """
    with listening_socket() as sock, log_path.open("wb") as log:
        port = sock.getsockname()[1]
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--worker-class",
                "gthread",
                "--workers",
                "1",
                "--threads",
                str(threads),
                "--no-control-socket",
                "--bind",
                f"fd://{sock.fileno()}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=[sock.fileno()],
        )
        sock.close()  # gunicorn has its own copy
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_healthy(url, process)
            yield url
        finally:
            stop(process)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """Start gunicorn as `make run` does, on a fresh SQLite data folder."""
    env = {
        **os.environ,
        "WOLFPACK_DATA_DIR": str(tmp_path / "var"),
        # Should WOLFPACK_REDIS_URL be set, tests at once still do not cross-talk.
        "WOLFPACK_SOCKETIO_CHANNEL": socketio_channel(),
    }
    with gunicorn(env, tmp_path / "gunicorn.log") as url:
        yield LiveServer(url, env)


@pytest.fixture
def clients() -> Iterator[Clients]:
    """HTTP sessions and Socket.IO clients, closed at the end of the test.

    Request it after the server fixture: sockets then close before the server
    stops (an open websocket keeps a gunicorn thread busy).
    """
    found = Clients()
    yield found
    found.close()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the demo team ("make run") with gunicorn for browser tests; yield its URL.

    One per test process: tests that change it use titles of their own, so they
    can run in any order.
    """
    folder = tmp_path_factory.mktemp("demo-site")
    env = {
        **os.environ,
        "WOLFPACK_DATA_DIR": str(folder / "var"),
        "WOLFPACK_SOCKETIO_CHANNEL": socketio_channel(),
    }
    LiveServer("", env).flask("demo")
    with gunicorn(env, folder / "gunicorn.log", threads=32) as url:
        yield url
