"""The socket gate: caps per person, per address and in all; nameless ones wait."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from server.socket_gate import (
    PENDING_PER_ADDRESS,
    GateMiddleware,
    Limits,
    Refusal,
    Slot,
    SocketGate,
)


def gate(
    per_user: int = 3, per_address: int = 10, total: int | None = None
) -> SocketGate:
    """A gate that cuts nobody off."""
    return SocketGate(Limits(per_user, per_address, total), cut_off=lambda _: None)


def opened(found: SocketGate, address: str, holder: str | None, sid: str) -> Slot:
    """Reserve a slot and bind it, as a handshake does; fail if refused."""
    slot = found.reserve(address, holder)
    assert isinstance(slot, Slot), slot
    found.bind(slot, sid)
    return slot


def test_a_person_may_hold_a_few_sockets_and_no_more():
    found = gate(per_user=3)
    for n in range(3):
        opened(found, "10.0.0.1", "user:a", f"s{n}")

    refused = found.reserve("10.0.0.2", "user:a")
    someone_else = found.reserve("10.0.0.1", "user:b")

    assert isinstance(refused, Refusal)
    assert (refused.status, refused.code) == (429, "too_many_sockets")
    assert isinstance(someone_else, Slot)


def test_an_address_may_hold_its_share_and_no_more():
    found = gate(per_user=100, per_address=5)
    for n in range(5):
        opened(found, "10.0.0.1", f"user:{n}", f"s{n}")

    refused = found.reserve("10.0.0.1", "user:new")

    assert isinstance(refused, Refusal)
    assert refused.status == 429
    assert isinstance(found.reserve("10.0.0.2", "user:new"), Slot)


def test_past_the_total_every_new_socket_is_refused_with_a_retry_time():
    found = gate(per_user=100, per_address=100, total=4)
    for n in range(4):
        opened(found, f"10.0.0.{n}", f"user:{n}", f"s{n}")

    refused = found.reserve("10.0.0.9", "user:9")

    assert isinstance(refused, Refusal)
    assert refused.status == 503
    assert refused.retry_after > 0


def test_sizing_for_threads_leaves_a_quarter_up_to_sixteen_to_http():
    found = gate()

    sizes = {}
    for threads in (8, 64, 1064):
        found.size_for_threads(threads)
        sizes[threads] = found.limits.total

    assert sizes == {8: 6, 64: 48, 1064: 1048}


def test_few_nameless_sockets_may_wait_per_address():
    found = gate()
    for n in range(PENDING_PER_ADDRESS):
        opened(found, "10.0.0.1", None, f"s{n}")

    refused = found.reserve("10.0.0.1", None)
    signed_in = found.reserve("10.0.0.1", "user:a")

    assert isinstance(refused, Refusal)
    assert refused.code == "sign_in_first"
    assert isinstance(signed_in, Slot)


def test_nameless_sockets_waiting_in_all_are_capped_too():
    found = gate(per_address=100, total=8)  # 2 may wait at once
    opened(found, "10.0.0.1", None, "s1")
    opened(found, "10.0.0.2", None, "s2")

    refused = found.reserve("10.0.0.3", None)

    assert isinstance(refused, Refusal)
    assert refused.status == 503


def test_a_nameless_socket_is_cut_off_unless_it_signs_in_in_time():
    cut: list[str] = []
    done = threading.Event()

    def cut_off(sid: str) -> None:
        cut.append(sid)
        done.set()

    found = SocketGate(Limits(3, 10), cut_off=cut_off, grace=0.05)
    lingering = opened(found, "10.0.0.1", None, "lingering")
    signing_in = opened(found, "10.0.0.1", None, "signing-in")
    assert found.sign_in(signing_in, "screen:tv") is None

    assert done.wait(5)
    assert cut == ["lingering"]
    assert lingering.released
    assert found.counts() == {"open": 1, "pending": 0}


def test_signing_in_as_someone_at_their_cap_is_refused():
    found = gate(per_user=1)
    opened(found, "10.0.0.1", "user:a", "s1")
    waiting = opened(found, "10.0.0.2", None, "s2")

    refusal = found.sign_in(waiting, "user:a")

    assert isinstance(refusal, Refusal)
    assert waiting.holder is None


def test_released_slots_are_counted_once_however_often_released():
    found = gate(per_user=1)
    slot = opened(found, "10.0.0.1", "user:a", "s1")

    found.release(slot)
    found.release_sid("s1")
    found.release(slot)

    assert found.counts() == {"open": 0, "pending": 0}
    assert isinstance(found.reserve("10.0.0.1", "user:a"), Slot)


@pytest.mark.parametrize("holder", ["user:a", None])
def test_a_handshake_that_never_bound_gives_its_slot_back(holder: str | None):
    found = gate()
    slot = found.reserve("10.0.0.1", holder)
    assert isinstance(slot, Slot)

    found.release(slot)

    assert found.counts() == {"open": 0, "pending": 0}


def test_an_open_connection_may_have_one_poll_and_one_upgrade_waiting_at_once():
    found = gate()
    slot = opened(found, "10.0.0.1", None, "s1")
    answers: list[str] = []
    release = threading.Event()

    def engineio(environ: dict, start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        if environ["REQUEST_METHOD"] == "GET":
            release.wait(5)  # a long-poll, or a websocket, holding its thread
        return [b"ok"]

    middleware = GateMiddleware(engineio, found, identify=lambda _: None)

    def send(query: str, method: str = "GET") -> threading.Thread:
        environ = {
            "PATH_INFO": "/socket.io/",
            "QUERY_STRING": f"EIO=4&{query}",
            "REQUEST_METHOD": method,
        }
        thread = threading.Thread(
            target=middleware, args=(environ, lambda status, _: answers.append(status))
        )
        thread.start()
        return thread

    waiting = [send("sid=s1&transport=websocket"), send("sid=s1&transport=polling")]
    for query in ("sid=s1&transport=websocket", "sid=s1&transport=polling"):
        send(query).join(5)  # a second of each kind: refused at once
    send("sid=s1&transport=polling", "POST").join(5)  # packets: never held
    waiting.append(send("sid=gone&transport=websocket"))  # not the gate's: passed on

    assert answers.count("429 TOO MANY REQUESTS") == 2
    assert slot.waiting == {"websocket", "poll"}
    release.set()
    for thread in waiting:
        thread.join(5)
    assert answers.count("200 OK") == 4
    assert slot.waiting == set()


def test_a_gate_gunicorn_never_sized_says_so_once(caplog: pytest.LogCaptureFixture):
    def engineio(environ: dict, start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        return [b"ok"]

    middleware = GateMiddleware(engineio, gate(), identify=lambda _: "user:a")
    handshake = {
        "PATH_INFO": "/socket.io/",
        "QUERY_STRING": "EIO=4&transport=polling",
        "SERVER_SOFTWARE": "gunicorn/23.0.0",
    }
    for _ in range(3):
        middleware(dict(handshake), lambda status, headers: None)

    warnings = [r for r in caplog.records if "gunicorn.conf.py" in r.getMessage()]
    assert len(warnings) == 1
