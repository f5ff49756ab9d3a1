"""A TCP proxy a test can break: it forwards, refuses, or swallows connections.

Put it between the app and PostgreSQL (or Redis) to take the server away from
the app without touching the server itself, which other tests share.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

FORWARD, REFUSE, SWALLOW = "forward", "refuse", "swallow"


class TcpProxy:
    """Listens on a free loopback port and passes connections on to ``upstream``.

    ``refuse`` closes every connection at once (a server that is down);
    ``swallow`` accepts connections and never answers (a server that hangs, or
    a network that drops packets). Leaving ``forward`` cuts the open connections.
    """

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.mode = FORWARD
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def forward(self) -> None:
        """Pass new connections on to the server again."""
        self._switch(FORWARD)

    def refuse(self) -> None:
        """Cut every connection, and close new ones as soon as they come."""
        self._switch(REFUSE)

    def swallow(self) -> None:
        """Cut every connection; accept new ones but never answer them."""
        self._switch(SWALLOW)

    def close(self) -> None:
        """Stop listening and cut every connection."""
        self._closed.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        self._cut_all()

    def _switch(self, mode: str) -> None:
        with self._lock:
            self.mode = mode
        self._cut_all()

    def _cut_all(self) -> None:
        with self._lock:
            doomed, self._open = self._open, set()
        for sock in doomed:
            _cut(sock)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                mode = self.mode
            if mode == REFUSE:
                _cut(client)
            elif mode == SWALLOW:
                self._track(client)
            else:
                self._connect(client)

    def _connect(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _cut(client)
            return
        server.settimeout(None)
        self._track(client, server)
        for source, sink in ((client, server), (server, client)):
            threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def _track(self, *socks: socket.socket) -> None:
        with self._lock:
            self._open.update(socks)


def _pump(source: socket.socket, sink: socket.socket) -> None:
    """Copy bytes one way until either side closes; then close both."""
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    _cut(source)
    _cut(sink)


def _cut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with suppress(OSError):
        sock.close()


@contextmanager
def tcp_proxy(host: str, port: int) -> Iterator[TcpProxy]:
    """Run a proxy to ``host:port`` for the block; close it after."""
    proxy = TcpProxy(host, port)
    try:
        yield proxy
    finally:
        proxy.close()
