"""Failed sign-ins are limited per account and address, with the real address."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from server import create_app
from server.accounts import create_user
from server.config import ConfigError, Settings
from server.throttle import PER_ADDRESS
from tests.conftest import REDIS_URL, require_redis, socketio_channel
from tests.integration.apiclient import API, error_of
from tests.integration.conftest import PASSWORD

PROXY = "10.0.0.1"  # the one proxy the app trusts in these tests
ADDRESS_LIMIT = int(PER_ADDRESS.split()[0])


@pytest.fixture
def proxied(settings: Settings) -> Iterator[Flask]:
    """The app behind a trusted proxy, with one account (owner@example.com)."""
    app = create_app(settings.with_changes(trusted_proxies=(PROXY,)))
    with app.extensions["wolfpack"].sessions() as session:
        create_user(session, "owner@example.com", "Owner", PASSWORD)
    yield app
    app.extensions["wolfpack"].close()


def sign_in(
    app: Flask,
    email: str = "owner@example.com",
    password: str = "guess",  # noqa: S107 - a wrong one
    peer: str = PROXY,
    forwarded_for: str | None = None,
) -> TestResponse:
    """Sign in from ``peer``, saying the request was forwarded for someone."""
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    return app.test_client().post(
        f"{API}/auth/login",
        json={"email": email, "password": password},
        headers=headers,
        environ_base={"REMOTE_ADDR": peer},
    )


def test_behind_a_trusted_proxy_a_guesser_cannot_lock_the_owner_out(proxied: Flask):
    guesses = [sign_in(proxied, forwarded_for="203.0.113.9") for _ in range(10)]
    guesser_again = sign_in(proxied, password=PASSWORD, forwarded_for="203.0.113.9")

    owner = sign_in(proxied, password=PASSWORD, forwarded_for="198.51.100.7")

    assert [g.status_code for g in guesses] == [401] * 10
    assert guesser_again.status_code == 429
    assert owner.status_code == 200


def test_an_untrusted_peer_cannot_pick_its_address_with_a_header(proxied: Flask):
    guesses = [
        sign_in(proxied, peer="192.0.2.50", forwarded_for=f"198.51.100.{n}")
        for n in range(10)
    ]

    again = sign_in(proxied, peer="192.0.2.50", forwarded_for="198.51.100.99")

    assert [g.status_code for g in guesses] == [401] * 10
    assert again.status_code == 429


def test_one_address_cannot_try_a_password_against_every_account(proxied: Flask):
    sprayed = [
        sign_in(proxied, email=f"person{n}@example.com", forwarded_for="203.0.113.9")
        for n in range(ADDRESS_LIMIT)
    ]

    blocked = sign_in(proxied, password=PASSWORD, forwarded_for="203.0.113.9")
    elsewhere = sign_in(proxied, password=PASSWORD, forwarded_for="198.51.100.7")

    assert {s.status_code for s in sprayed} == {401}
    assert blocked.status_code == 429
    assert error_of(blocked)["code"] == "rate_limited"
    assert 0 < int(blocked.headers["Retry-After"]) <= 900
    assert elsewhere.status_code == 200


def test_an_ipv6_client_counts_by_its_64_not_by_each_address(proxied: Flask):
    guesses = [
        sign_in(
            proxied,
            email=f"person{n}@example.com",
            forwarded_for=f"2001:db8:1:2::{n:x}",
        )
        for n in range(ADDRESS_LIMIT)
    ]

    same_64 = sign_in(proxied, password=PASSWORD, forwarded_for="2001:db8:1:2:ffff::1")
    next_64 = sign_in(proxied, password=PASSWORD, forwarded_for="2001:db8:1:3::1")

    assert {g.status_code for g in guesses} == {401}
    assert same_64.status_code == 429
    assert next_64.status_code == 200


def test_trusted_proxies_must_be_addresses_or_ranges(tmp_path):
    settings = Settings(env="test", data_dir=tmp_path, trusted_proxies=("nginx",))

    with pytest.raises(ConfigError, match="WOLFPACK_TRUSTED_PROXIES"):
        create_app(settings)


def test_instances_sharing_redis_count_failures_together(settings: Settings):
    require_redis()
    shared = settings.with_changes(
        redis_url=REDIS_URL, socketio_channel=socketio_channel()
    )
    first, second = create_app(shared), create_app(shared)
    try:
        with first.extensions["wolfpack"].sessions() as session:
            create_user(session, "owner@example.com", "Owner", PASSWORD)
        failures = [sign_in(app, peer="192.0.2.7") for app in [first, second] * 5]

        blocked = sign_in(first, password=PASSWORD, peer="192.0.2.7")
    finally:
        for app in (first, second):
            app.extensions["wolfpack"].close()

    assert [f.status_code for f in failures] == [401] * 10
    assert blocked.status_code == 429
