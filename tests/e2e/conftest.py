"""A real gunicorn serving the app on a free port, with its own data folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """Start gunicorn as `make run` does, on a fresh SQLite data folder."""
    port = free_port()
    env = {**os.environ, "WOLFPACK_DATA_DIR": str(tmp_path / "var")}
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "16",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield LiveServer(url, env)
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
