"""Websockets written by the thread that emits, not by a writer thread per socket.

In threading mode python-engineio gives every websocket its own writer thread fed
by a queue. A push to a room of 1,000 sockets then wakes 1,000 threads, which hand
the GIL to one another: about a quarter of a millisecond of CPU per socket per
push, most of it context switches (docs/BENCHMARKS.md). Here the emitting thread
puts each message's frame, made once for all sockets, in each socket's kernel
buffer without waiting (``MSG_DONTWAIT``). Only what a full buffer cannot take
now is left to one shared thread, which writes it when ``poll`` says the socket
can take more. Order is kept per socket (its frames wait in one queue, written
under one lock). A client that stops reading until ``MAX_BACKLOG`` bytes wait for
it is disconnected: like any client that missed pushes, it reconnects and
refetches over HTTP.

Polling clients, and websockets whose socket has a timeout (never under gunicorn),
keep python-engineio's own writer."""

from __future__ import annotations

import collections
import contextlib
import logging
import queue
import select
import socket
import ssl
import threading
from collections.abc import Callable
from typing import Any

import engineio.socket
import simple_websocket
from engineio import exceptions, packet

log = logging.getLogger(__name__)

MAX_BACKLOG = 4 * 1024 * 1024  # bytes waiting for one client before it is dropped
UPGRADE_WAIT = 5.0  # seconds an upgrading client has for each of its two packets


class Outbox:
    """The frames one websocket has yet to write, written by whoever gets there."""

    def __init__(self, ws: Any, on_overflow: Callable[[], None]) -> None:
        self.ws = ws  # a simple_websocket.Server
        self.sock: socket.socket = ws.sock
        self.on_overflow = on_overflow
        self.closing = False
        self.dropped = False  # the client is cut off: nothing more is sent
        self._waiting = False  # on the backlog writer's list: it writes next
        self._queue_lock = threading.Lock()  # guards _frames and _framed together
        self._frames: collections.deque[bytes] = collections.deque()
        self._framed = 0  # bytes in _frames
        self._writing = threading.RLock()
        self._unsent = bytearray()  # taken from _frames, not yet taken by the kernel
        self._ended = False
        # simple-websocket writes pongs and close frames to ws.sock itself: they
        # must queue behind our frames, never land inside a half-written one.
        ws.sock = _QueuedSocket(self, self.sock)

    @property
    def backlog(self) -> int:
        """Return how many bytes wait to be written."""
        return self._framed + len(self._unsent)

    def put(self, pkt: packet.Packet) -> None:
        """Frame ``pkt`` and write it, or leave it to the backlog writer."""
        if self.ws.connected:
            self.put_bytes(frame_of(pkt))

    def put_bytes(self, data: bytes) -> None:
        """Write ready-made websocket bytes after everything put before them."""
        if self.dropped:
            return
        with self._queue_lock:
            self._frames.append(data)
            self._framed += len(data)
        if not self._waiting:
            self.flush()
        elif self.backlog > MAX_BACKLOG:
            self._give_up()

    def flush(self) -> bool:
        """Write what the kernel takes now; return True once nothing waits."""
        while self._frames or self._unsent:
            if not self._writing.acquire(blocking=False):
                return False  # the holder writes our frames too, in order
            try:
                if not self._write():
                    return False
            finally:
                self._writing.release()
            # Frames put while we held the lock are written by the loop.
        if self.closing:
            self._end()
        return True

    def write_backlog(self) -> None:
        """Write what waits (the backlog writer's turn)."""
        self._waiting = False
        self.flush()

    def close(self) -> None:
        """Write what the kernel takes now; close, or cut off a client that can't."""
        self.closing = True
        self.flush()

    def _write(self) -> bool:
        with self._queue_lock:
            while self._frames:
                self._unsent += self._frames.popleft()
            self._framed = 0
        try:
            sent = self.sock.send(self._unsent, socket.MSG_DONTWAIT)
        except BlockingIOError:
            sent = 0
        except OSError:
            # The client is gone: its reader notices and closes the socket.
            self._unsent.clear()
            return True
        del self._unsent[:sent]
        if not self._unsent:
            return True
        if self.closing:
            self._drop()  # a client that cannot take the rest now never will
            return True
        if self.backlog > MAX_BACKLOG:
            self._give_up()
            return True
        self._waiting = True
        _backlog_writer().wait_for(self)
        return False

    def _give_up(self) -> None:
        with self._writing:  # not in the middle of someone's write
            if self.dropped:
                return
            self._drop()
        self.on_overflow()

    def _drop(self) -> None:
        self.dropped = True
        with self._queue_lock:
            self._frames.clear()
            self._framed = 0
        self._unsent.clear()

    def _end(self) -> None:
        """Close the websocket politely, or, if the client was dropped, cut it off."""
        if self._ended:
            return
        self._ended = True
        if not self.dropped and self.ws.connected:
            try:
                self.ws.close()  # its close frame comes back through put_bytes
            except Exception:  # closed by the client meanwhile
                log.debug("websocket closed twice", exc_info=True)
        if self.dropped:
            # Half a frame may have gone out: no close frame can follow it. Shut
            # the socket so that its reader threads end too.
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)


class _QueuedSocket:
    """A socket whose writes join an :class:`Outbox`; the rest is the socket's."""

    def __init__(self, outbox: Outbox, sock: socket.socket) -> None:
        self._outbox = outbox
        self._sock = sock

    def send(self, data: bytes) -> int:
        """Queue ``data`` behind the frames already put; report it all taken."""
        self._outbox.put_bytes(bytes(data))
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def frame_of(pkt: packet.Packet) -> bytes:
    """Return the websocket frame of ``pkt``, made once for all its sockets."""
    frame: bytes | None = getattr(pkt, "websocket_frame", None)
    if frame is None:
        data = pkt.encode()
        text = isinstance(data, str)
        payload = data.encode() if text else data
        size = len(payload)
        # FIN and the opcode, then the length (servers do not mask): RFC 6455, 5.2.
        head = bytes((0x81 if text else 0x82,))
        if size < 126:
            head += bytes((size,))
        elif size < 1 << 16:
            head += bytes((126,)) + size.to_bytes(2, "big")
        else:
            head += bytes((127,)) + size.to_bytes(8, "big")
        frame = pkt.websocket_frame = head + payload
    return frame


class BacklogWriter:
    """One thread that finishes the writes the kernel could not take at once."""

    def __init__(self) -> None:
        self._waiting: set[Outbox] = set()
        self._lock = threading.Lock()
        # Wakes the poll when a socket joins the list.
        self._wake, self._waker = socket.socketpair()
        self._waker.setblocking(False)
        thread = threading.Thread(target=self._run, name="websocket-backlog")
        thread.daemon = True
        thread.start()

    def wait_for(self, outbox: Outbox) -> None:
        """Write the rest of ``outbox`` when its socket can take more."""
        with self._lock:
            self._waiting.add(outbox)
        with contextlib.suppress(BlockingIOError):  # already woken
            self._waker.send(b"!")

    def _run(self) -> None:
        while True:
            with self._lock:
                waiting, self._waiting = self._waiting, set()
            by_fd: dict[int, Outbox] = {}
            writable: set[Outbox] = set()  # or closed: writing finds out
            ready = select.poll()  # not select(): descriptors pass 1,024 here
            ready.register(self._wake, select.POLLIN)
            for outbox in waiting:
                fd = outbox.sock.fileno()
                if fd < 0:
                    writable.add(outbox)
                else:
                    by_fd[fd] = outbox
                    ready.register(fd, select.POLLOUT)
            # A client that reads nothing keeps its socket full: look again at
            # least every second, to find it gone or dropped.
            events = ready.poll(0 if writable else 1000 if waiting else None)
            with contextlib.suppress(BlockingIOError):
                self._wake.recv(4096, socket.MSG_DONTWAIT)
            writable |= {by_fd[fd] for fd, _ in events if fd in by_fd}
            with self._lock:
                self._waiting |= waiting - writable
            for outbox in writable:
                try:
                    outbox.write_backlog()  # back on the list if still full
                except Exception:  # one socket's failure must not stop the others
                    log.exception("Writing a websocket's backlog failed")


_writer: BacklogWriter | None = None
_writer_lock = threading.Lock()


def _backlog_writer() -> BacklogWriter:
    global _writer
    with _writer_lock:
        if _writer is None:
            _writer = BacklogWriter()
        return _writer


class DirectSocket(engineio.socket.Socket):
    """An Engine.IO socket whose websocket is written through an :class:`Outbox`."""

    connected: bool
    closing: bool
    closed: bool

    def __init__(self, server: Any, sid: str) -> None:
        super().__init__(server, sid)
        self.outbox: Outbox | None = None
        # Reentrant: the library's send may close the socket, which sends again.
        self._switch = threading.RLock()

    def send(self, pkt: packet.Packet) -> None:
        """Send a packet: straight to the websocket once the socket is on one."""
        if self.outbox is None:
            with self._switch:
                if self.outbox is None:
                    super().send(pkt)
                    return
        if self.check_ping_timeout():
            self.outbox.put(pkt)

    def close(self, wait: bool = True, abort: bool = False, reason: Any = None) -> None:
        """Close the connection; on a websocket, after what waits is written."""
        if self.outbox is None:
            # Never wait for the queue to empty: once the socket has moved to a
            # websocket (maybe while this runs), nobody else empties it.
            super().close(wait=False, abort=abort, reason=reason)
            if self.outbox is not None:
                self.outbox.close()
            return
        if self.closed or self.closing:
            return
        self.closing = True
        reason = reason or self.server.reason.SERVER_DISCONNECT
        self.server._trigger_event("disconnect", self.sid, reason, run_async=False)
        if not abort:
            self.outbox.put(packet.Packet(packet.CLOSE))
        self.closed = True
        self.outbox.close()

    def handle_get_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        """Serve a long-poll, or open the websocket without compression.

        With permessage-deflate every socket would compress every push for itself
        (16-40 µs a message here, more than all the rest of a push), and each
        socket's frames would differ. Pushes are small: they go uncompressed.
        """
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return super().handle_get_request(environ, start_response)

    def _websocket_handler(self, ws: Any) -> list[Any]:
        # python-engineio's handler, with an Outbox in place of its writer thread.
        server_ws = ws.ws
        if server_ws.sock.gettimeout() is not None or isinstance(
            server_ws.sock, ssl.SSLSocket
        ):
            return super()._websocket_handler(ws)
        if self.connected:
            if not self._upgrade(ws):
                return []
        else:
            self.connected = True
            self.upgraded = True
        outbox = Outbox(server_ws, self._overflowed)
        closed = False
        with self._switch:
            # What was queued before (the open packet, or sends during the
            # upgrade) goes first, in order; None means it was closed meanwhile.
            while True:
                try:
                    queued = self.queue.get_nowait()
                except queue.Empty:
                    break
                self.queue.task_done()
                if queued is None:
                    closed = True
                else:
                    outbox.put(queued)
            self.outbox = outbox
        if closed:
            outbox.close()
        while (message := self._receive_from(ws)) is not None:
            try:
                self.receive(packet.Packet(encoded_packet=message))
            except exceptions.UnknownPacketError:
                pass
            except exceptions.SocketIsClosedError:
                break
            except Exception:
                self.server.logger.exception("Unknown receive error")
                break
        self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)
        return []

    def _upgrade(self, ws: Any) -> bool:
        """Finish the upgrade from long-polling; return False if the client did not."""
        self.upgrading = True  # hold sends in the queue during the upgrade
        try:
            if self._next_packet(ws) != (packet.PING, "probe"):
                return False
            ws.send(packet.Packet(packet.PONG, data="probe").encode())
            self.queue.put(packet.Packet(packet.NOOP))  # ends the pending poll
            if self._next_packet(ws)[0] != packet.UPGRADE:
                return False
            self.upgraded = True
            return True
        finally:
            self.upgrading = False

    def _next_packet(self, ws: Any) -> tuple[int | None, Any]:
        """Return an upgrade's next packet; None if it does not come in time.

        A client that opens the upgrade and then says nothing would otherwise
        hold the thread serving it for as long as it likes.
        """
        try:
            data = ws.ws.receive(timeout=UPGRADE_WAIT)
        except simple_websocket.ConnectionClosed:
            return None, None
        if data is None or len(data) > self.server.max_http_buffer_size:
            return None, None
        received = packet.Packet(
            encoded_packet=bytes(data) if isinstance(data, bytearray) else data
        )
        return received.packet_type, received.data

    def _receive_from(self, ws: Any) -> Any:
        try:
            data = ws.wait()
        except Exception as error:  # the connection broke
            if not self.closed:
                self.server.logger.info("%s: websocket error %s", self.sid, error)
            return None
        if data and len(data) > self.server.max_http_buffer_size:
            return None
        return data

    def _overflowed(self) -> None:
        log.warning("Socket %s stopped reading its pushes: disconnected", self.sid)
        self.server.start_background_task(
            self.close,
            wait=False,
            abort=True,
            reason=self.server.reason.TRANSPORT_ERROR,
        )


def cut_off(eio_socket: Any) -> None:
    """Close an Engine.IO connection now, whether or not its client answers."""
    eio_socket.close(wait=False, abort=True)
    outbox = getattr(eio_socket, "outbox", None)
    if outbox is not None:
        # A client that ignores the close frame would keep its reader waiting.
        with contextlib.suppress(OSError):
            outbox.sock.shutdown(socket.SHUT_RDWR)


def install() -> None:
    """Make python-engineio's threading mode use :class:`DirectSocket` from now on."""
    engineio.socket.Socket = DirectSocket
