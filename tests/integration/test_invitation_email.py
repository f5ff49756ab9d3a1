"""With WOLFPACK_SMTP_URL set, invitations are emailed too (a real SMTP server)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from server.accounts import User, record_change
from server.config import Settings
from tests.integration.apiclient import API
from tests.integration.conftest import World


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@pytest.fixture
def settings(tmp_path: Path, inbox: tuple[Inbox, int]) -> Settings:
    """SQLite is enough: the email is the same whatever keeps the accounts."""
    return Settings(
        env="test",
        data_dir=tmp_path,
        projections="inline",
        smtp_url=f"smtp://127.0.0.1:{inbox[1]}",
        mail_from="Wolfpack <team@wolfpack.test>",
    )


def test_an_invitation_is_emailed_with_its_link(
    world: World, inbox: tuple[Inbox, int]
) -> None:
    invited = world.leader.post(
        "/invitations",
        json={"email": "nia@example.com", "name": "Nia Shah", "team_id": world.team_id},
    )

    assert invited.status_code == 201, invited.json
    assert invited.json["emailed"] is True
    [message] = inbox[0].messages
    assert message["To"] == "nia@example.com"
    assert message["From"] == "Wolfpack <team@wolfpack.test>"
    assert message["Subject"] == "Lena Leader invited you to Wolfpack"
    body = message.get_payload(decode=True).decode()
    assert "Lena Leader invited you to Wolfpack to join North." in body
    assert invited.json["url"] in body


def test_an_import_emails_each_new_person(
    world: World, inbox: tuple[Inbox, int]
) -> None:
    csv = "email,name,team,role\na@example.com,A,North,\nb@example.com,B,,\n"
    done = world.admin.client.post(
        f"{API}/imports/people?dry_run=false",
        data=csv,
        headers={"X-CSRF-Token": world.admin.csrf, "Content-Type": "text/csv"},
    )

    assert [row["emailed"] for row in done.json["rows"]] == [True, True]
    assert sorted(m["To"] for m in inbox[0].messages) == [
        "a@example.com",
        "b@example.com",
    ]


def test_a_mail_server_that_is_down_leaves_the_link_to_copy(
    app: Flask, world: World, inbox: tuple[Inbox, int]
) -> None:
    services = app.extensions["wolfpack"]
    services.settings = services.settings.with_changes(
        smtp_url=f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    )

    invited = world.admin.post(
        "/invitations", json={"email": "nia@example.com", "name": "Nia"}
    )

    assert invited.status_code == 201
    assert invited.json["emailed"] is False
    assert "#/welcome?token=" in invited.json["url"]


def test_a_name_with_a_line_break_makes_a_one_line_subject(
    world: World, inbox: tuple[Inbox, int]
) -> None:
    with world.app.extensions["wolfpack"].sessions() as session:
        admin = session.get(User, UUID(world.admin.id))
        record_change(session, admin, "Updated", admin.id, changes={"name": "Ada"})
        admin.name = "Ada\nAdmin"  # as an older release could have stored it
        session.commit()

    invited = world.admin.post(
        "/invitations", json={"email": "nia@example.com", "name": "Nia"}
    )

    assert invited.status_code == 201
    assert inbox[0].messages[0]["Subject"] == "Ada Admin invited you to Wolfpack"


def test_an_import_stops_emailing_after_the_mail_server_fails_once(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[str] = []

    def failing(_settings: object, to: str, _subject: str, _text: str) -> bool:
        tries.append(to)
        return False

    monkeypatch.setattr("server.invitations.send_mail", failing)
    csv = "email,name,team,role\n" + "".join(
        f"p{n}@example.com,P{n},,\n" for n in range(5)
    )
    done = world.admin.client.post(
        f"{API}/imports/people?dry_run=false",
        data=csv,
        headers={"X-CSRF-Token": world.admin.csrf, "Content-Type": "text/csv"},
    )

    assert [row["status"] for row in done.json["rows"]] == ["created"] * 5
    assert tries == ["p0@example.com"]
