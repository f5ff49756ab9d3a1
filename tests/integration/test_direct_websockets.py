"""Websocket outboxes on real sockets: nobody waits for a slow client, order is kept.

The whole path (upgrades, logout, pushes) runs in the e2e tests against gunicorn;
here an Outbox writes to one end of a socket pair and the test reads the other.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import engineio
import pytest
from engineio import packet
from wsproto.frame_protocol import FrameProtocol, Opcode

from server import direct_websockets
from server.direct_websockets import DirectSocket, Outbox


class FakeServerWebSocket:
    """What an Outbox uses of simple_websocket.Server."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.connected = True
        self.closed = threading.Event()

    def close(self) -> None:
        self.sock.send(CLOSE_FRAME)  # as simple-websocket does, through ws.sock
        self.connected = False
        self.closed.set()


CLOSE_FRAME = b"\x88\x02\x03\xe8"  # close, 1000 (normal)
PONG_FRAME = b"\x8a\x00"  # what simple-websocket answers a client's ping with


class Client:
    """The other end: reads frames and decodes them as a browser would."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sock.settimeout(10)
        self._frames = FrameProtocol(client=True, extensions=[])
        self._parts: list[str] = []  # a message arrives in as many parts as reads
        self.seen: list[str] = []  # "message" per whole message, or a control opcode

    def read(self, count: int) -> list[str]:
        messages: list[str] = []
        while len(messages) < count:
            data = self.sock.recv(65536)
            assert data, "the server end closed before every message arrived"
            self._frames.receive_bytes(data)
            for frame in self._frames.received_frames():
                if frame.opcode not in DATA:
                    self.seen.append(frame.opcode.name)
                    continue
                self._parts.append(str(frame.payload))
                if frame.message_finished:
                    messages.append("".join(self._parts))
                    self.seen.append("message")
                    self._parts = []
        return messages

    def read_to_the_end(self) -> bytes:
        """Read until the server end shuts the connection; return the last bytes."""
        last = b""
        while data := self.sock.recv(65536):
            last = data
        return last


DATA = (Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION)


@pytest.fixture
def pair() -> Iterator[tuple[FakeServerWebSocket, Client]]:
    server, client = socket.socketpair()
    # Small buffers, so that a client that does not read fills them quickly.
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    yield FakeServerWebSocket(server), Client(client)
    server.close()
    client.close()


def message(number: int, size: int = 100) -> packet.Packet:
    return packet.Packet(packet.MESSAGE, f"{number}:" + "x" * size)


def number_of(text: str) -> int:
    return int(text[1:].split(":")[0])  # "4" is the Engine.IO message type


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 100_000])
def test_a_frame_is_the_frame_wsproto_makes(size: int) -> None:
    text = packet.Packet(packet.MESSAGE, "é" * (size // 2) + "x" * (size % 2))
    binary = packet.Packet(packet.MESSAGE, b"\x00" * size)

    for pkt in (text, binary):
        framer = FrameProtocol(client=False, extensions=[])
        expected = framer.send_data(pkt.encode(), fin=True)
        assert direct_websockets.frame_of(pkt) == expected


def put_in_thread(outbox: Outbox, packets: list[packet.Packet]) -> threading.Thread:
    def put_all() -> None:
        for pkt in packets:
            outbox.put(pkt)

    thread = threading.Thread(target=put_all)
    thread.start()
    thread.join(timeout=30)
    return thread


def backlogged(ws: FakeServerWebSocket, count: int) -> Outbox:
    """Return an outbox holding more of ``count`` 8 kB messages than the kernel took."""
    outbox = Outbox(ws, on_overflow=pytest.fail)
    put_in_thread(outbox, [message(n, size=8000) for n in range(count)])
    assert outbox.backlog > 0
    return outbox


def test_a_client_that_does_not_read_holds_nobody_up_and_later_gets_all_in_order(
    pair: tuple[FakeServerWebSocket, Client],
) -> None:
    ws, client = pair
    outbox = Outbox(ws, on_overflow=pytest.fail)
    packets = [message(n, size=8000) for n in range(200)]  # 1.6 MB

    thread = put_in_thread(outbox, packets)

    assert not thread.is_alive(), "putting waited for the client to read"
    assert outbox.backlog > 0  # far more than the kernel's buffers hold
    received = client.read(len(packets))
    assert [number_of(text) for text in received] == list(range(200))
    assert received[7] == "4" + packets[7].data


def test_messages_put_by_many_threads_arrive_whole_and_each_threads_in_order(
    pair: tuple[FakeServerWebSocket, Client],
) -> None:
    ws, client = pair
    outbox = Outbox(ws, on_overflow=pytest.fail)
    threads = [
        threading.Thread(
            target=lambda first=first: [
                outbox.put(message(first + n, size=3000)) for n in range(150)
            ]
        )
        for first in (0, 1000, 2000, 3000)
    ]
    for thread in threads:
        thread.start()

    received = [number_of(text) for text in client.read(600)]

    for thread in threads:
        thread.join()
    for first in (0, 1000, 2000, 3000):
        mine = [n for n in received if first <= n < first + 1000]
        assert mine == list(range(first, first + 150))


def test_a_client_too_far_behind_is_given_up_once_and_sent_nothing_more(
    pair: tuple[FakeServerWebSocket, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, client = pair
    monkeypatch.setattr(direct_websockets, "MAX_BACKLOG", 200_000)
    overflows: list[int] = []
    outbox = Outbox(ws, on_overflow=lambda: overflows.append(1))

    thread = put_in_thread(outbox, [message(n, size=8000) for n in range(100)])

    assert not thread.is_alive()
    assert overflows == [1]
    assert outbox.dropped
    assert outbox.backlog == 0
    outbox.close()  # what the server does on overflow
    client.read_to_the_end()  # cut off: no polite close after half a frame
    assert not ws.closed.is_set()


def test_the_websockets_own_writes_wait_behind_a_half_written_frame(
    pair: tuple[FakeServerWebSocket, Client],
) -> None:
    ws, client = pair
    outbox = backlogged(ws, 20)

    # simple-websocket answering a client's ping, from its own thread.
    pong = threading.Thread(target=ws.sock.send, args=(PONG_FRAME,), daemon=True)
    pong.start()
    pong.join(timeout=10)
    assert not pong.is_alive(), "the pong waited for the client to read"
    outbox.put(message(20))

    assert [number_of(text) for text in client.read(21)] == list(range(21))
    assert client.seen == ["message"] * 20 + ["PONG", "message"]


def test_closing_a_client_that_does_not_read_cuts_it_off(
    pair: tuple[FakeServerWebSocket, Client],
) -> None:
    ws, client = pair
    outbox = backlogged(ws, 50)

    outbox.close()

    assert outbox.dropped
    client.read_to_the_end()  # the server shut the connection
    assert not ws.closed.is_set()


def test_closing_with_nothing_waiting_closes_at_once_with_a_close_frame(
    pair: tuple[FakeServerWebSocket, Client],
) -> None:
    ws, client = pair
    outbox = Outbox(ws, on_overflow=pytest.fail)
    outbox.put(message(1))

    outbox.close()

    assert ws.closed.is_set()
    assert client.read(1) == ["4" + message(1).data]
    assert client.seen == ["message", "CLOSE"]
    outbox.put(message(2))  # after closing: nothing is written
    assert outbox.backlog == 0


def test_a_send_that_finds_the_client_gone_closes_the_socket_without_hanging() -> None:
    server = engineio.Server(async_mode="threading", ping_timeout=1, ping_interval=1)
    reasons: list[str] = []
    server.on("disconnect", lambda sid, reason: reasons.append(reason))
    polling = DirectSocket(server, "sid1")  # not on a websocket yet
    server.sockets["sid1"] = polling
    polling.connected = True
    polling.last_ping = time.time() - 5  # a ping went unanswered

    sender = threading.Thread(target=server.send, args=("sid1", "a push"))
    sender.start()
    sender.join(timeout=10)

    assert not sender.is_alive(), "the send deadlocked"
    assert reasons == [server.reason.PING_TIMEOUT]
    assert polling.closed
