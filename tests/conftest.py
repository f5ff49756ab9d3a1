"""Fixtures shared by every layer of tests: settings per backend, the app, clients."""

from __future__ import annotations

import atexit
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server import create_app
from server.config import Settings

POSTGRES_URL = os.environ.get(
    "WOLFPACK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("WOLFPACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@cache
def postgres_problem() -> str | None:
    """Return why PostgreSQL cannot be used here, or None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}"
    return None


def require_postgres() -> None:
    """Skip without PostgreSQL, but fail in CI, where it must be there."""
    problem = postgres_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {problem}")
    pytest.skip(problem)


@cache
def redis_problem() -> str | None:
    """Return why Redis cannot be used here, or None when it can."""
    try:
        import redis
    except ImportError:
        return "redis is not installed (pip install -e '.[redis]')"
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as error:
        return f"Redis at {REDIS_URL} is not reachable: {error}"
    return None


def require_redis() -> None:
    """Skip without Redis, but fail in CI, where it must be there."""
    problem = redis_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {problem}")
    pytest.skip(problem)


def socketio_channel() -> str:
    """Return a Socket.IO channel of its own: tests running at once share Redis."""
    return f"wolfpack-test-{uuid.uuid4().hex[:12]}"


@cache
def _schema_admin_engine():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    url = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    # No pool: a pooled connection left open at exit warns (ResourceWarning).
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _postgres_execute(sql: str) -> None:
    from sqlalchemy import text

    with _schema_admin_engine().connect() as conn:
        conn.execute(text(sql))


def _new_schema() -> str:
    """Create an empty PostgreSQL schema with a name of its own; return the name."""
    schema = f"wp_test_{uuid.uuid4().hex[:12]}"
    _postgres_execute(f'CREATE SCHEMA "{schema}"')
    return schema


@contextmanager
def postgres_schema() -> Iterator[str]:
    """Create an empty PostgreSQL schema of its own; drop it and all it holds after."""
    schema = _new_schema()
    try:
        yield schema
    finally:
        _postgres_execute(f'DROP SCHEMA "{schema}" CASCADE')


@cache
def _schema_of_this_process() -> str:
    """Return a PostgreSQL schema for this test process's tests, made once.

    Making every table anew for each test cost more than most tests; emptying
    them (``_empty``) is a fraction of that. Dropped when the process exits.
    """
    schema = _new_schema()
    atexit.register(_postgres_execute, f'DROP SCHEMA "{schema}" CASCADE')
    return schema


def _empty(schema: str) -> None:
    """Empty every table in the schema but the migrations' revision; reset sequences."""
    from sqlalchemy import text

    with _schema_admin_engine().connect() as conn:
        # A connection some test left open must fail the next test, not hang it.
        conn.execute(text("SET lock_timeout = '30s'"))
        # The server tables' revision stays: the tables themselves stay too.
        names = conn.scalars(
            text(
                "SELECT tablename FROM pg_tables"
                " WHERE schemaname = :schema AND tablename != 'alembic_version'"
            ),
            {"schema": schema},
        ).all()
        if names:
            tables = ", ".join(f'"{schema}"."{name}"' for name in names)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash test passwords cheaply: scrypt's deliberate cost adds up over a suite."""
    monkeypatch.setattr("server.accounts.PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")


# For tables of refusals (bad fields, callers without the right): each is decided
# before anything is stored, so PostgreSQL would answer the same; the rules that
# reach the stores run on both.
sqlite_only = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for an empty store: SQLite files, or emptied PostgreSQL tables."""
    base = Settings(env="test", data_dir=tmp_path, projections="inline")
    if request.param == "sqlite":
        yield base
        return
    require_postgres()
    schema = _schema_of_this_process()
    _empty(schema)
    yield base.with_changes(database_url=POSTGRES_URL, database_schema=schema)


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """The app on the parametrized backend; its services are closed afterwards."""
    app = create_app(settings)
    yield app
    app.extensions["wolfpack"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An anonymous test client."""
    return app.test_client()
