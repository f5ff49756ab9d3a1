"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.config import DEFAULT_SECRET_KEY, ConfigError, Settings


def test_with_nothing_set_everything_lives_in_var():
    settings = Settings.from_env({})
    assert settings.data_dir == Path("var")
    assert settings.sqlalchemy_url().endswith("/var/wolfpack.db")
    assert settings.event_store_env()["PERSISTENCE_MODULE"].endswith("SQLiteFactory")
    assert settings.event_store_env()["SQLITE_DBNAME"].endswith("/var/events.db")
    settings.check()


def test_production_refuses_the_default_secret_key():
    with pytest.raises(ConfigError, match="WOLFPACK_SECRET_KEY"):
        Settings.from_env({"WOLFPACK_ENV": "production"}).check()
    Settings.from_env(
        {"WOLFPACK_ENV": "production", "WOLFPACK_SECRET_KEY": "s3cret"}
    ).check()
    assert Settings.from_env({}).secret_key == DEFAULT_SECRET_KEY


def test_a_postgres_url_configures_both_stores():
    settings = Settings.from_env(
        {
            "WOLFPACK_DATABASE_URL": "postgresql://wolf:p%40ss@db.internal:6543/pack",
            "WOLFPACK_DATABASE_SCHEMA": "north",
        }
    )
    env = settings.event_store_env()
    assert (
        settings.sqlalchemy_url()
        == "postgresql+psycopg://wolf:p%40ss@db.internal:6543/pack"
    )
    assert env["PERSISTENCE_MODULE"].endswith("PostgresFactory")
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("db.internal", "6543")
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("wolf", "p@ss")
    assert (env["POSTGRES_DBNAME"], env["POSTGRES_SCHEMA"]) == ("pack", "north")


@pytest.mark.parametrize(
    "environ",
    [{"WOLFPACK_PROJECTIONS": "sometimes"}, {"WOLFPACK_DATABASE_URL": "mysql://x/y"}],
)
def test_unusable_settings_are_refused(environ: dict[str, str]):
    with pytest.raises(ConfigError):
        Settings.from_env(environ).check()


def test_the_socketio_channel_can_be_set_per_deployment():
    assert Settings.from_env({}).socketio_channel == "wolfpack"
    chosen = Settings.from_env({"WOLFPACK_SOCKETIO_CHANNEL": "wolfpack-staging"})
    assert chosen.socketio_channel == "wolfpack-staging"


def test_every_wait_on_the_database_is_bounded_by_one_setting():
    default = Settings.from_env({"WOLFPACK_DATABASE_URL": "postgresql://db/pack"})
    chosen = Settings.from_env(
        {"WOLFPACK_DATABASE_URL": "postgresql://db/pack", "WOLFPACK_DB_TIMEOUT": "3"}
    )

    assert (default.db_timeout, default.projection_timeout) == (5, 60)
    env = chosen.event_store_env()
    for key in (
        "POSTGRES_CONNECT_TIMEOUT",
        "POSTGRES_LOCK_TIMEOUT",
        "POSTGRES_STATEMENT_TIMEOUT",
    ):
        assert env[key] == "3", key
    sqlite = Settings.from_env({"WOLFPACK_DB_TIMEOUT": "3"}).event_store_env()
    assert (sqlite["SQLITE_LOCK_TIMEOUT"], sqlite["SQLITE_POOL_TIMEOUT"]) == ("3", "3")


@pytest.mark.parametrize("name", ["WOLFPACK_DB_TIMEOUT", "WOLFPACK_PROJECTION_TIMEOUT"])
def test_a_bound_shorter_than_libpq_allows_is_refused(name: str):
    with pytest.raises(ConfigError, match="at least 2 seconds"):
        Settings.from_env({name: "1"}).check()


def test_email_is_set_by_an_smtp_url():
    settings = Settings.from_env(
        {
            "WOLFPACK_SMTP_URL": "smtps://u:p@mail.example.com",
            "WOLFPACK_MAIL_FROM": "x@y",
        }
    )
    settings.check()
    assert (settings.smtp_url, settings.mail_from) == (
        "smtps://u:p@mail.example.com",
        "x@y",
    )
    with pytest.raises(ConfigError, match="WOLFPACK_SMTP_URL"):
        Settings.from_env({"WOLFPACK_SMTP_URL": "mail.example.com:25"}).check()
