"""The server's own tables are migrated, never remade: upgrades keep every row."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import Engine, func, select, text

from server import create_app, migrate
from server.admin_records import publish_pending
from server.config import Settings
from server.services import build_services
from tests.conftest import POSTGRES_URL, postgres_schema, require_postgres

FIXTURES = Path(__file__).parent / "fixtures"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
# Rows in each table of the fixtures, made by the code of 2026-12-07.
FIXTURE_ROWS = {
    "users": 2,
    "login_sessions": 1,
    "api_tokens": 1,
    "screen_tokens": 1,
    "idempotency_records": 2,
    "live_sockets": 1,
}


def fixture_sql(backend: str) -> str:
    """Return the SQL that makes the server tables as they were before migrations."""
    return (FIXTURES / f"server_tables_2026-12-07.{backend}.sql").read_text()


def fixture_secret(sql: str, label: str) -> str:
    """Return a secret the fixture's header names (the token, the password…)."""
    found = re.search(rf"^-- {label}: (\S+)$", sql, re.MULTILINE)
    assert found is not None, label
    return found.group(1)


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a database whose server tables were made before migrations."""
    base = Settings(env="test", data_dir=tmp_path, projections="inline")
    sql = fixture_sql(request.param)
    if request.param == "sqlite":
        with sqlite3.connect(tmp_path / "wolfpack.db") as conn:
            conn.executescript(sql)
        yield base
        return
    require_postgres()
    import psycopg

    with postgres_schema() as schema:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            conn.execute(sql.encode())
        yield base.with_changes(database_url=POSTGRES_URL, database_schema=schema)


def count_rows(engine: Engine, table: str) -> int:
    """Return how many rows a table holds."""
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(text(table))) or 0


def test_a_database_made_before_migrations_is_upgraded_with_every_row_kept(
    old_database: Settings,
):
    backend = "postgres" if old_database.uses_postgres else "sqlite"
    sql = fixture_sql(backend)

    app = create_app(old_database)

    try:
        engine = app.extensions["wolfpack"].engine
        assert migrate.current(engine) == migrate.head()
        for table, rows in FIXTURE_ROWS.items():
            assert count_rows(engine, table) == rows, table
        with engine.connect() as conn:
            nonces = conn.execute(
                text('SELECT "key", nonce FROM idempotency_records ORDER BY "key"')
            ).all()
        # The claims of generations 0 and 3 keep their request ids.
        assert [tuple(row) for row in nonces] == [("retry-1", "0"), ("retry-2", "3")]
        client = app.test_client()
        signed_in = client.post(
            "/api/v1/auth/login",
            json={
                "email": "ravi@fixture.test",
                "password": fixture_secret(sql, "password ravi@fixture.test"),
            },
        )
        assert signed_in.status_code == 200, signed_in.json
        token = fixture_secret(sql, "token")
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.json
        assert me.json["user"]["email"] == "ravi@fixture.test"
        _the_accounts_are_on_record_and_their_changes_follow(app, token)
    finally:
        app.extensions["wolfpack"].close()


def _the_accounts_are_on_record_and_their_changes_follow(
    app: Flask, token: str
) -> None:
    """The accounts and tokens that were there get their opening records."""
    services = app.extensions["wolfpack"]
    assert count_rows(services.engine, "pending_records") == 4  # 2 users, 2 tokens
    with services.sessions() as session:
        assert publish_pending(session, services.events) == 4
    bearer = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    me = client.get("/api/v1/me", headers=bearer).json["user"]
    if me["is_admin"]:  # the fixture's token is an admin's: revoke it, on record
        tokens = client.get("/api/v1/tokens", headers=bearer).json
        revoked = client.delete(f"/api/v1/tokens/{tokens[0]['id']}", headers=bearer)
        assert revoked.status_code == 204
        assert count_rows(services.engine, "pending_records") == 0
    account = services.events.repository.get(UUID(me["id"]))
    assert account.email == me["email"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migrations_make_exactly_the_tables_the_models_declare(
    backend: str, settings: Settings
):
    services = build_services(settings)
    try:
        with services.engine.connect() as conn:
            differences = compare_metadata(
                MigrationContext.configure(
                    conn, opts={"include_name": _server_tables_only}
                ),
                migrate.server_metadata(),
            )
    finally:
        services.close()

    assert differences == []


def _server_tables_only(name: str | None, type_: str, _parent: object) -> bool:
    return type_ != "table" or name in migrate.server_tables()


@pytest.fixture(params=BACKENDS)
def empty_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Settings]:
    """Settings for a database with no tables at all."""
    base = Settings(env="test", data_dir=tmp_path, projections="off")
    if request.param == "sqlite":
        yield base
        return
    require_postgres()
    with postgres_schema() as schema:
        yield base.with_changes(database_url=POSTGRES_URL, database_schema=schema)


def test_processes_starting_at_once_set_the_tables_up_one_after_the_other(
    empty_database: Settings,
):
    settings = empty_database
    errors: list[BaseException] = []

    def start() -> None:
        try:
            build_services(settings).close()
        except BaseException as error:  # reported below
            errors.append(error)

    starters = [threading.Thread(target=start) for _ in range(4)]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join()

    assert errors == []


def test_the_cli_says_which_revision_the_tables_are_at(app: Flask):
    runner = app.test_cli_runner()

    upgraded = runner.invoke(args=["db", "upgrade"])
    current = runner.invoke(args=["db", "current"])

    assert upgraded.exit_code == 0, upgraded.output
    assert f"revision {migrate.head()}" in upgraded.output
    assert current.output.strip() == migrate.head()
