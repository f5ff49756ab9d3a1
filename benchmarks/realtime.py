"""Real-time benchmark: push fan-out to many dashboards, and commands per second.

Run with ``make bench`` or ``python -m benchmarks.realtime [--quick]``. One gunicorn
instance (gthread, one worker, as ``make run`` serves it) runs on a fresh SQLite data
folder; the dashboards are websocket clients in this process, authenticated by API
token, all served by one thread (``--socketio-client`` uses python-socketio's client
instead, two threads per socket, to compare). Goals come from issue 5:

- fan-out: with 1,000 dashboards, from a command's HTTP response to the moment the
  last dashboard got its ``commitment`` push, p99 at most 150 ms, nothing lost;
- throughput: with 200 dashboards, commands per second over HTTP at least half the
  raw event-store save rate measured in this same run.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import math
import os
import platform
import queue
import resource
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import engineio
import requests
import socketio

from benchmarks.bare_command import new_commitment, scratch_team
from events.application import Wolfpack
from server.config import Settings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FANOUT_GOAL_MS = 150.0  # p99, response to last dashboard, at GOAL_DASHBOARDS
GOAL_DASHBOARDS = 1000
THROUGHPUT_GOAL = 0.5  # HTTP commands/s over raw saves/s, at least
THROUGHPUT_DASHBOARDS = 200
ADMIN_EMAIL = "admin@bench.example.com"
PASSWORD = "realtime-bench-1"  # noqa: S105 - throw-away accounts in a temporary folder
WARM_UP = 2  # commands per size before the measured ones
GRACE = 5.0  # seconds to wait for late pushes before counting one as lost


def main(argv: list[str] | None = None) -> None:
    """Start the server, then measure and print every figure against its goal."""
    args = _arguments(argv)
    _raise_open_files_limit()
    signal.signal(signal.SIGTERM, _interrupt)  # a plain `kill` cleans up too
    threads = max(args.dashboards) + 64
    print(f"Wolfpack real-time benchmark, {date.today()}, python ", end="")
    print(f"{platform.python_version()}, nproc {os.cpu_count()}")
    client = (
        f"python-socketio {version('python-socketio')} clients"
        if args.socketio_client
        else "one-thread websocket clients (Engine.IO 4, Socket.IO 5)"
    )
    print(
        f"server: gunicorn gthread, 1 worker, {threads} threads, SQLite; "
        f"dashboards: {client} in this process, token auth",
        flush=True,
    )
    with (
        tempfile.TemporaryDirectory(prefix="wolfpack-realtime-") as scratch,
        contextlib.ExitStack() as cleanup,
    ):
        try:
            _measure(args, Path(scratch), cleanup, threads)
        except BaseException:
            # Clean up in peace: a second Ctrl-C must not orphan the server.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            raise


def _measure(
    args: argparse.Namespace, scratch: Path, cleanup: contextlib.ExitStack, threads: int
) -> None:
    server = cleanup.enter_context(_gunicorn(scratch, threads))
    started = time.perf_counter()
    world = World.set_up(server)
    kind = SocketioDashboards if args.socketio_client else Dashboards
    dashboards = cleanup.enter_context(_dashboards(server.url, kind))
    print(f"set-up: admin, team, leader, commander in {_since(started):.1f} s")
    print(
        f"fan-out: {args.commands} commitments per size, {args.gap} s apart, "
        "from each HTTP response to the LAST dashboard's `commitment` push:"
    )
    raw: list[float] = []
    for size in args.dashboards:
        world.grow(dashboards, size)
        _report_fanout(_fanout(world, dashboards, args.commands, args.gap), size)
        if size == THROUGHPUT_DASHBOARDS:
            raw.append(_raw_save_rate(scratch / "raw", args.raw_seconds))
            http = _throughput(world, dashboards, args.clients, args.seconds)
            raw.append(_raw_save_rate(scratch / "raw", args.raw_seconds))
            floor = _floor(scratch, args.clients, args.seconds)
            _report_throughput(raw, http, floor, args.clients, size)
    if args.quick:
        print(
            f"  (the fan-out goal is set at {GOAL_DASHBOARDS:,} dashboards: "
            "run without --quick to measure it)"
        )


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.realtime")
    parser.add_argument(
        "--dashboards",
        type=lambda text: sorted({int(n) for n in text.split(",")}),
        default=[50, THROUGHPUT_DASHBOARDS, GOAL_DASHBOARDS],
        help="comma-separated sizes (default 50,200,1000)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"sizes 50,{THROUGHPUT_DASHBOARDS} only",
    )
    parser.add_argument("--commands", type=int, default=20, help="per size")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between")
    parser.add_argument("--clients", type=int, default=8, help="HTTP, throughput")
    parser.add_argument("--seconds", type=float, default=10.0, help="throughput")
    parser.add_argument(
        "--socketio-client",
        action="store_true",
        help="dashboards as python-socketio clients (costlier here, to compare)",
    )
    parser.add_argument("--raw-seconds", type=float, default=3.0, help="per pass")
    args = parser.parse_args(argv)
    if args.quick:
        args.dashboards = [n for n in args.dashboards if n <= THROUGHPUT_DASHBOARDS]
    if not args.dashboards or args.dashboards[0] < 1 or args.commands < 1:
        parser.error("needs at least one dashboard and one command")
    return args


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _raise_open_files_limit() -> None:
    """Two sockets per dashboard (ours and the server's) need more than 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (
        hard == resource.RLIM_INFINITY or soft < hard
    ):
        wanted = 65536 if hard == resource.RLIM_INFINITY else hard
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))


def _since(started: float) -> float:
    return time.perf_counter() - started


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that drops its queued work when we stop early (Ctrl-C)."""
    pool = ThreadPoolExecutor(workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- the server


@dataclass
class Server:
    """A running gunicorn, where it listens, and how to read its worker's CPU."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def cpu_seconds(self) -> float:
        """Return the CPU time (user + system) the master's workers have used."""
        total = 0.0
        for pid in _children(self.process.pid):
            with contextlib.suppress(OSError):
                fields = (
                    Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
                )
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


@contextlib.contextmanager
def _gunicorn(scratch: Path, threads: int) -> Iterator[Server]:
    """Create the admin, then serve the app as `make run` does, without demo data."""
    env = _environment(scratch / "var")
    # Every dashboard is on this machine, at one address.
    env["WOLFPACK_SOCKETS_PER_ADDRESS"] = str(threads)
    create_admin = [str(BIN / "flask"), "--app", "wsgi", "users", "create"]
    create_admin += [ADMIN_EMAIL, "--name", "Admin", "--password", PASSWORD, "--admin"]
    subprocess.run(  # noqa: S603 - our own venv's flask
        create_admin, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120
    )
    with _serve("wsgi:app", env, threads, scratch / "gunicorn.log") as server:
        yield server


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WOLFPACK_")}
    env["WOLFPACK_DATA_DIR"] = str(data_dir)
    return env


@contextlib.contextmanager
def _serve(
    target: str, env: dict[str, str], threads: int, log: Path
) -> Iterator[Server]:
    """Serve ``target`` with gunicorn gthread, one worker, until the block ends."""
    port = _free_port()
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
    command += ["--worker-class", "gthread", "--workers", "1"]
    command += ["--threads", str(threads), "--worker-connections", str(threads)]
    command += ["--graceful-timeout", "5", "--bind", f"127.0.0.1:{port}", target]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop it
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        _stop(process)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"gunicorn exited early:\n{tail}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{server.url}/healthz", timeout=1).ok:
                return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not become healthy in 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its worker: TERM, then KILL the group it leads."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the worker, if it outlived it
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


# ---------------------------------------------------------------- HTTP set-up


class Api:
    """JSON over HTTP with a bearer token; one per thread (sessions are not shared)."""

    def __init__(self, url: str, token: str | None = None) -> None:
        self.url = url
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, body: dict[str, Any], **headers: str) -> dict[str, Any]:
        response = self.http.post(
            f"{self.url}/api/v1{path}", json=body, headers=headers, timeout=60
        )
        if not response.ok:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
        found: dict[str, Any] = response.json()
        return found


@dataclass
class World:
    """The team, its commander, and the dashboard users made so far (with tokens)."""

    server: Server
    admin_token: str
    team_id: str
    commander_token: str
    tokens: list[str] = field(default_factory=list)

    @classmethod
    def set_up(cls, server: Server) -> World:
        """Sign the admin in once, then use an admin token for everything."""
        login = Api(server.url)
        signed_in = login.post(
            "/auth/login", {"email": ADMIN_EMAIL, "password": PASSWORD}
        )
        secret = login.post(
            "/tokens",
            {"name": "bench admin"},
            **{"X-CSRF-Token": signed_in["csrf_token"]},
        )["token"]
        team = Api(server.url, secret).post("/teams", {"name": "Bench"})
        world = cls(server, secret, team["id"], "")
        world._member("leader", "leader")
        world.commander_token = world._member("commander", "rep")
        return world

    def _member(self, name: str, role: str) -> str:
        """Create a user, add them to the team, and return a new API token of theirs."""
        user_id = self._user(name)
        self._join(user_id, role)
        return self._token(user_id)

    def _user(self, name: str) -> str:
        body = {
            "name": name,
            "email": f"{name}@bench.example.com",
            "password": PASSWORD,
        }
        return str(self._admin().post("/users", body)["id"])

    def _join(self, user_id: str, role: str) -> None:
        body = {"user_id": user_id, "role": role}
        self._admin().post(f"/teams/{self.team_id}/members", body)

    def _token(self, user_id: str) -> str:
        body = {"name": "dashboard", "user_id": user_id}
        return str(self._admin().post("/tokens", body)["token"])

    def _admin(self) -> Api:
        """Return this thread's admin client (set-up runs in thread pools)."""
        api: Api | None = getattr(_local, "admin", None)
        if api is None:
            api = _local.admin = Api(self.server.url, self.admin_token)
        return api

    def grow(self, dashboards: Dashboards, size: int) -> None:
        """Make dashboard users (members of the team) and connect until ``size``."""
        new = size - len(self.tokens)
        names = [f"dashboard{len(self.tokens) + i:04d}" for i in range(new)]
        started = time.perf_counter()
        # The server's password hashing (scrypt, ~0.25 s each here) dominates.
        with _pool(2) as pool:
            user_ids = list(pool.map(self._user, names))
        made = _since(started)
        started = time.perf_counter()
        for user_id in user_ids:  # one team aggregate: in turn, no conflicts
            self._join(user_id, "rep")
        with _pool(8) as pool:
            self.tokens.extend(pool.map(self._token, user_ids))
        joined = _since(started)
        started = time.perf_counter()
        dashboards.connect(self.tokens[len(dashboards) :])
        print(
            f"  (set-up, unmeasured: {new:,} dashboard users made in {made:.0f} s, "
            f"added to the team with tokens in {joined:.0f} s, "
            f"connected in {_since(started):.1f} s)",
            flush=True,
        )

    def commit(self, api: Api, number: int) -> str:
        """Make a commitment as the commander; return its id."""
        due = datetime.now(UTC) + timedelta(days=7)
        body = {
            "team_id": self.team_id,
            "title": f"Bench {number}",
            "due_at": due.isoformat(),
        }
        return str(api.post("/commitments", body)["id"])


_local = threading.local()


# ---------------------------------------------------------------- dashboards


class Dashboards:
    """Connected dashboards and every `commitment` push they got, with its arrival.

    One thread serves every socket (a selector), speaking the Engine.IO 4 /
    Socket.IO 5 websocket protocol the browser client speaks: answer pings, decode
    each event. python-socketio's own client runs two threads per socket and
    costs this process 120-170 µs of CPU per message (``--socketio-client``; this
    one ~40 µs), which at 1,000 dashboards would measure the client, not the server.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.address = url.removeprefix("http://")
        self.sockets: list[_Socket] = []  # connected and authenticated
        self._opened: list[socket.socket] = []
        # Appended by the reader thread; indexed only by the main thread.
        self.log: list[tuple[int, str, float]] = []
        self.events = 0  # every event any dashboard got, of any name
        self.dropped = 0  # sockets the server closed
        self._read = 0
        self.seen: dict[str, dict[int, float]] = {}
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._pending: queue.SimpleQueue[_Socket] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="dashboards", daemon=True
        )
        self._thread.start()

    def __len__(self) -> int:
        return len(self.sockets)

    def connect(self, tokens: list[str]) -> None:
        """Open one socket per token, concurrently; every one must get in."""
        first = len(self.sockets)
        with _pool(32) as pool:
            futures = [
                pool.submit(self._open, first + i, token)
                for i, token in enumerate(tokens)
            ]
            errors = []
            for future in futures:
                try:
                    self.sockets.append(future.result())
                    self._pending.put(self.sockets[-1])
                except (OSError, RuntimeError) as error:
                    errors.append(error)
        self._wake_w.send(b"x")
        if errors:
            raise RuntimeError(f"{len(errors)} dashboards failed: {errors[0]}")

    def _open(self, number: int, token: str) -> _Socket:
        """Upgrade to a websocket, then connect to the namespace with the token."""
        host, port = self.address.rsplit(":", 1)
        sock = socket.create_connection((host, int(port)), timeout=60)
        self._opened.append(sock)  # closed by ``close``, whatever happens next
        conn = _Socket(number, sock)
        key = base64.b64encode(os.urandom(16)).decode()
        upgrade = (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {self.address}\r\nOrigin: {self.url}\r\n"
            # Signed in at the handshake, so not held to the few that may wait.
            f"Authorization: Bearer {token}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        sock.sendall(upgrade.encode())
        status = conn.read_head()
        if not status.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"no websocket: {status!r}")
        if not conn.next_message().startswith("0"):  # Engine.IO open
            raise RuntimeError("no Engine.IO open packet")
        conn.send("40" + json.dumps({"token": token}))  # Socket.IO connect
        reply = conn.next_message()
        while reply.startswith("42"):  # a push may come before the answer
            reply = conn.next_message()
        if not reply.startswith("40"):
            raise RuntimeError(f"refused: {reply}")
        sock.settimeout(None)
        return conn

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.5):
                if key.data is None:
                    self._wake_r.recv(4096)
                    while not self._pending.empty():
                        conn = self._pending.get()
                        self._selector.register(conn.sock, selectors.EVENT_READ, conn)
                    continue
                conn = key.data
                try:
                    data = conn.sock.recv(1 << 18)
                    at = time.perf_counter()
                    conn.buffer += data
                    for text in conn.messages():
                        self._handle(conn, text, at)
                except (OSError, ValueError):  # reset, or not the protocol
                    data = b""
                if not data or conn.closed:
                    self._selector.unregister(conn.sock)
                    conn.closed = True
                    self.dropped += 1

    def _handle(self, conn: _Socket, text: str, at: float) -> None:
        if text == "2":  # Engine.IO ping: answer, or the server drops us
            conn.send("3")
        elif text.startswith("42"):  # a Socket.IO event on the main namespace
            self.events += 1
            name, *args = json.loads(text[2:])
            if name == "commitment":
                self.log.append((conn.number, args[0]["id"], at))
        elif text.startswith(("41", "1")):  # disconnected, or closed
            conn.closed = True

    def absorb(self) -> None:
        """Index the pushes that arrived since last asked (first arrival counts)."""
        end = len(self.log)
        for number, commitment_id, at in self.log[self._read : end]:
            self.seen.setdefault(commitment_id, {}).setdefault(number, at)
        self._read = end

    def wait_for(self, ids: list[str], timeout: float) -> None:
        """Wait until every dashboard has every id, or ``timeout`` seconds."""
        deadline = time.perf_counter() + timeout
        expected = len(self)
        while time.perf_counter() < deadline:
            self.absorb()
            if all(len(self.seen.get(i, ())) >= expected for i in ids):
                return
            time.sleep(0.005)
        self.absorb()

    def close(self) -> None:
        """Stop the reader, then close every socket (with a websocket close frame)."""
        self._stop.set()
        self._wake_w.send(b"x")
        self._thread.join(timeout=10)
        for conn in self.sockets:
            with contextlib.suppress(OSError):
                conn.sock.sendall(_frame(CLOSE_NORMAL, opcode=8))
        for sock in self._opened:
            sock.close()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()


CLOSE_NORMAL = (1000).to_bytes(2, "big")


class _Socket:
    """One dashboard's websocket: bytes not yet parsed, and a message in parts."""

    def __init__(self, number: int, sock: socket.socket) -> None:
        self.number = number
        self.sock = sock
        self.buffer = bytearray()
        self.parts: list[bytes] = []
        self.closed = False

    def send(self, text: str) -> None:
        self.sock.sendall(_frame(text.encode()))

    def read_head(self) -> bytes:
        """Read the HTTP response head; leave what follows it in the buffer."""
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, _, rest = bytes(self.buffer).partition(b"\r\n\r\n")
        self.buffer[:] = rest
        return head

    def next_message(self) -> str:
        """Block until the next text message (during the handshake only)."""
        while True:
            for text in self.messages():
                if text != "2":
                    return text
                self.send("3")
            self._receive()

    def _receive(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise RuntimeError("the server closed the socket")
        self.buffer += data

    def messages(self) -> list[str]:
        """Take every whole frame out of the buffer; return the text messages."""
        found, buf, pos = [], self.buffer, 0
        while len(buf) - pos >= 2:
            first, size, head = buf[pos], buf[pos + 1] & 0x7F, 2
            if size >= 126:  # a 16- or 64-bit length follows (servers never mask)
                head += 2 if size == 126 else 8
                if len(buf) - pos < head:
                    break
                size = int.from_bytes(buf[pos + 2 : pos + head], "big")
            if len(buf) - pos < head + size:
                break
            payload = bytes(buf[pos + head : pos + head + size])
            pos += head + size
            opcode = first & 0x0F
            if opcode in (0, 1, 2):  # continuation, text, binary
                self.parts.append(payload)
                if first & 0x80:  # the final fragment
                    found.append(b"".join(self.parts).decode())
                    self.parts = []
            elif opcode == 8:  # close
                self.closed = True
            elif opcode == 9:  # ping
                self.sock.sendall(_frame(payload, opcode=10))
        del buf[:pos]
        return found


def _frame(payload: bytes, opcode: int = 1) -> bytes:
    """Return one final frame, masked as every client-to-server frame must be."""
    size = len(payload)
    if size < 126:
        head = bytes((0x80 | opcode, 0x80 | size))
    elif size < 1 << 16:
        head = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i & 3] for i, b in enumerate(payload))


class _InlineEngineIO(engineio.Client):
    """Handle each event on the socket's read thread, as a browser's loop would.

    python-socketio's client starts a thread per message; other packets (connect,
    disconnect) keep their own thread, as they may join this one.
    """

    def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "message" and str(args[0]).startswith("2"):
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class _SocketioClient(socketio.Client):
    def _engineio_client_class(self) -> type[engineio.Client]:
        return _InlineEngineIO


class SocketioDashboards(Dashboards):
    """The same dashboards as python-socketio clients: two threads per socket."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.clients: list[_SocketioClient] = []

    def __len__(self) -> int:
        return len(self.clients)

    def connect(self, tokens: list[str]) -> None:
        first = len(self.clients)
        with _pool(32) as pool:
            futures = [
                pool.submit(self._connect, first + i, token)
                for i, token in enumerate(tokens)
            ]
            for future in futures:
                self.clients.append(future.result())

    def _connect(self, number: int, token: str) -> _SocketioClient:
        # websocket-client checks UTF-8 in pure Python (~0.3 µs a byte) unless
        # told not to; decoding the text checks it again, in C, anyway.
        client = _SocketioClient(
            reconnection=False, websocket_extra_options={"skip_utf8_validation": True}
        )

        def on_event(name: str, *_: Any) -> None:
            self.events += 1

        def on_commitment(body: dict[str, Any]) -> None:
            self.events += 1
            self.log.append((number, body["id"], time.perf_counter()))

        client.on("*", on_event)
        client.on("commitment", on_commitment)
        client.connect(
            self.url,
            auth={"token": token},
            headers={"Authorization": f"Bearer {token}"},
            transports=["websocket"],
            wait_timeout=60,
        )
        return client

    def close(self) -> None:
        with ThreadPoolExecutor(32) as pool:
            for client in self.clients:
                pool.submit(client.disconnect)
        super().close()


@contextlib.contextmanager
def _dashboards(url: str, kind: type[Dashboards]) -> Iterator[Dashboards]:
    found = kind(url)
    try:
        yield found
    finally:
        found.close()


# ---------------------------------------------------------------- measurements


@dataclass
class Fanout:
    last_ms: list[float]
    first_ms: list[float]
    received: int
    expected: int
    server_cpu_ms: float
    client_cpu_ms: float
    response_ms: list[float]
    events: float  # events of any name per dashboard per command
    dropped: int  # sockets the server closed, so far


def _fanout(world: World, dashboards: Dashboards, commands: int, gap: float) -> Fanout:
    """Send commands one by one, ``gap`` apart, and time each one's deliveries.

    Each waits until every dashboard has the previous one (or ``GRACE`` is up), so
    rounds of pushes never merge; the first ``WARM_UP`` are not counted.
    """
    api = Api(world.server.url, world.commander_token)

    def command(number: int) -> tuple[str, float, float]:
        before = time.perf_counter()
        commitment_id = world.commit(api, number)
        answered = time.perf_counter()
        dashboards.wait_for([commitment_id], GRACE)
        time.sleep(max(0.0, before + gap - time.perf_counter()))
        return commitment_id, answered, (answered - before) * 1000

    for number in range(WARM_UP):
        command(number)
    server_cpu, client_cpu = world.server.cpu_seconds(), time.process_time()
    events = dashboards.events
    sent = [command(WARM_UP + number) for number in range(commands)]
    dashboards.wait_for([commitment_id for commitment_id, _, _ in sent], GRACE)
    expected = len(dashboards) * commands
    found = Fanout(
        last_ms=[],
        first_ms=[],
        received=0,
        expected=expected,
        server_cpu_ms=(world.server.cpu_seconds() - server_cpu) * 1000 / commands,
        client_cpu_ms=(time.process_time() - client_cpu) * 1000 / commands,
        response_ms=[response for _, _, response in sent],
        events=(dashboards.events - events) / expected,
        dropped=dashboards.dropped,
    )
    for commitment_id, answered, _ in sent:
        arrivals = dashboards.seen.get(commitment_id, {})
        found.received += len(arrivals)
        if arrivals:
            found.last_ms.append((max(arrivals.values()) - answered) * 1000)
            found.first_ms.append((min(arrivals.values()) - answered) * 1000)
    return found


def _report_fanout(found: Fanout, size: int) -> None:
    p50, p99 = _percentile(found.last_ms, 50), _percentile(found.last_ms, 99)
    lost = found.expected - found.received
    line = (
        f"  {size:>5,} dashboards: p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
        f"lost {lost:,} of {found.expected:,}"
    )
    if found.dropped:
        line += f" ({found.dropped:,} sockets closed by the server)"
    if size == GOAL_DASHBOARDS:
        met = p99 <= FANOUT_GOAL_MS and lost == 0
        line += f"   goal p99 <= {FANOUT_GOAL_MS:.0f} ms, 0 lost   {_verdict(met)}"
    print(line)
    print(
        f"        (first dashboard p50 {_percentile(found.first_ms, 50):.1f} ms; "
        f"{found.events:.1f} pushes per dashboard per command; "
        f"HTTP response p50 {_percentile(found.response_ms, 50):.1f} ms; "
        f"per command: server CPU {found.server_cpu_ms:.0f} ms, "
        f"dashboards' CPU {found.client_cpu_ms:.0f} ms)",
        flush=True,
    )


@dataclass
class Throughput:
    """Commands driven over HTTP, and how many of their pushes the dashboards got."""

    driven: Driven
    received: int
    expected: int


def _throughput(
    world: World, dashboards: Dashboards, clients: int, seconds: float
) -> Throughput:
    """Make commitments from ``clients`` HTTP clients at once for ``seconds``."""
    driven = _drive(world.server, world.commander_token, clients, seconds, world.commit)
    dashboards.wait_for(driven.made, GRACE)
    received = sum(len(dashboards.seen.get(i, ())) for i in driven.made)
    return Throughput(driven, received, len(dashboards) * len(driven.made))


def _floor(scratch: Path, clients: int, seconds: float) -> float:
    """Return commands/s of a Flask view that only saves (benchmarks.bare_command)."""
    (scratch / "bare").mkdir(exist_ok=True)
    env = _environment(scratch / "bare")
    log = scratch / "bare-gunicorn.log"
    target = "benchmarks.bare_command:create_app()"
    with _serve(target, env, clients + 8, log) as server:

        def commit(api: Api, number: int) -> str:
            return str(api.post("/commitments", {"title": f"Bare {number}"})["id"])

        return _drive(server, "", clients, seconds, commit).rate


@dataclass
class Driven:
    """What HTTP clients driving a server back to back got done."""

    made: list[str]
    failed: int
    response_ms: list[float]
    rate: float
    server_cpu_ms: float


def _drive(
    server: Server,
    token: str,
    clients: int,
    seconds: float,
    commit: Callable[[Api, int], str],
) -> Driven:
    """Run ``commit`` from ``clients`` threads back to back for ``seconds``."""
    made: list[str] = []
    failed: list[str] = []
    response_ms: list[float] = []
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        api = Api(server.url, token)
        count = 0
        while time.perf_counter() < deadline:
            before = time.perf_counter()
            try:
                made.append(commit(api, 10_000 * (number + 1) + count))
            except (RuntimeError, requests.RequestException) as error:
                failed.append(str(error))
                time.sleep(0.01)
                continue
            finally:
                count += 1
            response_ms.append((time.perf_counter() - before) * 1000)

    cpu = server.cpu_seconds()
    started = time.perf_counter()
    with _pool(clients) as pool:
        for future in [pool.submit(client, n) for n in range(clients)]:
            future.result()
    elapsed = _since(started)
    server_cpu = (server.cpu_seconds() - cpu) * 1000 / max(1, len(made))
    return Driven(made, len(failed), response_ms, len(made) / elapsed, server_cpu)


def _raw_save_rate(folder: Path, seconds: float) -> float:
    """Return saves/s of new commitments, one aggregate per save, on a scratch store.

    The same event-store module and settings as the server's, without HTTP, the
    team's load, the read models or the pushes.
    """
    settings = Settings(data_dir=folder)
    folder.mkdir(parents=True, exist_ok=True)
    app = Wolfpack(env=settings.event_store_env())
    try:
        team, rep = scratch_team(app)
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            app.save(new_commitment(team, rep, f"Raw {count}"))
            count += 1
        return count / _since(started)
    finally:
        app.close()


def _report_throughput(
    raw: list[float], http: Throughput, floor: float, clients: int, size: int
) -> None:
    # The faster pass is the baseline: a slow pass must not flatter the ratio.
    baseline = max(raw)
    driven = http.driven
    ratio = driven.rate / baseline
    print(
        f"raw event-store save (a new commitment per save, scratch SQLite): "
        f"{baseline:,.0f} saves/s (passes: {', '.join(f'{r:,.0f}' for r in raw)})"
    )
    print(
        f"HTTP POST /api/v1/commitments, {clients} clients, {size:,} dashboards "
        f"connected: {driven.rate:,.1f} commands/s ({len(driven.made):,} made, "
        f"{driven.failed} failed)"
    )
    print(
        f"  ratio {ratio:.3f}   goal >= {THROUGHPUT_GOAL}   "
        f"{_verdict(ratio >= THROUGHPUT_GOAL)}"
    )
    print(
        f"        (HTTP response p50 {_percentile(driven.response_ms, 50):.0f} ms, "
        f"p99 {_percentile(driven.response_ms, 99):.0f} ms; server CPU "
        f"{driven.server_cpu_ms:.1f} ms per command; `commitment` pushes delivered "
        f"{http.received:,} of {http.expected:,})",
    )
    print(
        f"  floor: a Flask view that only saves the commitment (no auth, no read "
        f"models, no pushes), same gunicorn and clients: {floor:,.1f} commands/s, "
        f"ratio {floor / baseline:.3f}",
        flush=True,
    )


def _percentile(samples: list[float], percent: int) -> float:
    """Return the nearest-rank percentile (NaN when there is nothing)."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def _verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: server stopped, sockets closed", file=sys.stderr)
        sys.exit(130)
