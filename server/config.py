"""Settings from environment variables, with defaults that run from ``var/``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from server.proxies import networks

DEFAULT_SECRET_KEY = "wolfpack-development-only-key"  # noqa: S105
PROJECTION_MODES = ("thread", "inline", "off")
SMTP_SCHEMES = ("smtp", "smtps")
# libpq waits at least 2 s for a connection, whatever it is told.
MIN_DB_TIMEOUT = 2
# Seconds to wait for Redis to connect or answer a command (not for a message:
# redis-py waits for those without a limit).
REDIS_TIMEOUT = 2


class ConfigError(RuntimeError):
    """Raised when the settings would make the app unsafe or unable to start."""


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about where it runs."""

    env: str = "development"
    data_dir: Path = Path("var")
    database_url: str | None = None
    database_schema: str | None = None
    secret_key: str = DEFAULT_SECRET_KEY
    redis_url: str | None = None
    socketio_channel: str = "wolfpack"
    projections: str = "thread"
    projection_batch_size: int = 500
    max_request_bytes: int = 1_000_000
    # Proxies (addresses or CIDR ranges) whose X-Forwarded-For the app believes.
    trusted_proxies: tuple[str, ...] = ()
    # Live sockets one person (or screen token) and one address may hold at once.
    sockets_per_user: int = 10
    sockets_per_address: int = 50
    # Seconds any wait on the database may last in a request: connecting, a
    # free connection, a lock, a statement (then 503 with Retry-After).
    db_timeout: int = 5
    # The same bound for the projection runner, whose batches may take longer.
    projection_timeout: int = 60
    # How the app's connections show in PostgreSQL's pg_stat_activity.
    database_application_name: str = "wolfpack"
    # Outgoing email: smtp://[user:password@]host[:port][?starttls=true] or
    # smtps://… (TLS from the start); unset, links are only shown to copy.
    smtp_url: str | None = None
    mail_from: str = "Wolfpack <wolfpack@localhost>"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read ``WOLFPACK_*`` variables, falling back to the embedded defaults."""

        def get(name: str, default: str | None = None) -> str | None:
            return environ.get(f"WOLFPACK_{name}") or default

        return cls(
            env=get("ENV", "development") or "development",
            data_dir=Path(get("DATA_DIR", "var") or "var"),
            database_url=get("DATABASE_URL"),
            database_schema=get("DATABASE_SCHEMA"),
            secret_key=get("SECRET_KEY", DEFAULT_SECRET_KEY) or DEFAULT_SECRET_KEY,
            redis_url=get("REDIS_URL"),
            socketio_channel=get("SOCKETIO_CHANNEL", "wolfpack") or "wolfpack",
            projections=get("PROJECTIONS", "thread") or "thread",
            projection_batch_size=int(get("PROJECTION_BATCH", "500") or 500),
            max_request_bytes=int(get("MAX_REQUEST_BYTES", "1000000") or 1000000),
            sockets_per_user=int(get("SOCKETS_PER_USER", "10") or 10),
            sockets_per_address=int(get("SOCKETS_PER_ADDRESS", "50") or 50),
            trusted_proxies=tuple(
                entry.strip()
                for entry in (get("TRUSTED_PROXIES") or "").split(",")
                if entry.strip()
            ),
            db_timeout=int(get("DB_TIMEOUT", "5") or 5),
            projection_timeout=int(get("PROJECTION_TIMEOUT", "60") or 60),
            database_application_name=get("DATABASE_APPLICATION_NAME", "wolfpack")
            or "wolfpack",
            smtp_url=get("SMTP_URL"),
            mail_from=get("MAIL_FROM") or cls.mail_from,
        )

    def with_changes(self, **changes: object) -> Settings:
        """Return a copy with some settings changed (for tests and tools)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def check(self) -> None:
        """Refuse settings that are unsafe or unusable."""
        if self.env == "production" and self.secret_key == DEFAULT_SECRET_KEY:
            raise ConfigError(
                "WOLFPACK_SECRET_KEY must be set to a secret value in production."
            )
        if self.projections not in PROJECTION_MODES:
            raise ConfigError(
                f"WOLFPACK_PROJECTIONS must be one of {', '.join(PROJECTION_MODES)}."
            )
        try:
            networks(self.trusted_proxies)
        except ValueError as error:
            raise ConfigError(f"WOLFPACK_TRUSTED_PROXIES: {error}") from None
        if self.database_url and not self.uses_postgres:
            raise ConfigError("WOLFPACK_DATABASE_URL must be a postgresql:// URL.")
        if self.smtp_url and urlsplit(self.smtp_url).scheme not in SMTP_SCHEMES:
            raise ConfigError("WOLFPACK_SMTP_URL must be an smtp:// or smtps:// URL.")
        if min(self.db_timeout, self.projection_timeout) < MIN_DB_TIMEOUT:
            raise ConfigError(
                "WOLFPACK_DB_TIMEOUT and WOLFPACK_PROJECTION_TIMEOUT must be at "
                f"least {MIN_DB_TIMEOUT} seconds."
            )

    @property
    def uses_postgres(self) -> bool:
        """Tell whether events and tables live in PostgreSQL rather than SQLite."""
        return bool(self.database_url) and urlsplit(
            self.database_url or ""
        ).scheme.startswith("postgres")

    @property
    def is_production(self) -> bool:
        """Tell whether the app runs for real users (secure cookies and so on)."""
        return self.env == "production"

    def sqlalchemy_url(self) -> str:
        """Return the SQLAlchemy URL for accounts and read models."""
        if self.uses_postgres:
            parts = urlsplit(self.database_url or "")
            return parts._replace(scheme="postgresql+psycopg").geturl()
        return f"sqlite:///{(self.data_dir / 'wolfpack.db').resolve()}"

    def bounded_redis_url(self) -> str | None:
        """Return the Redis URL with its waits bounded (Socket.IO's queue, limits).

        A Redis that accepts connections but never answers would otherwise hold
        the thread that publishes (pushes, or an HTTP request closing a socket
        of another instance), or a sign-in, until the connection died.
        """
        if not self.redis_url:
            return None
        parts = urlsplit(self.redis_url)
        query = dict(parse_qsl(parts.query))
        for name in ("socket_timeout", "socket_connect_timeout"):
            query.setdefault(name, str(REDIS_TIMEOUT))
        return parts._replace(query=urlencode(query)).geturl()

    def event_store_env(self) -> dict[str, str]:
        """Return the eventsourcing settings for the event store.

        Every wait is bounded by ``db_timeout``: through the library's own settings
        where it has them, the rest through our factories (``server/*_store.py``).
        """
        bound = str(self.db_timeout)
        if not self.uses_postgres:
            return {
                "PERSISTENCE_MODULE": "server.sqlite_store:BoundedSQLiteFactory",
                "SQLITE_DBNAME": str((self.data_dir / "events.db").resolve()),
                "SQLITE_LOCK_TIMEOUT": bound,
                "SQLITE_POOL_TIMEOUT": bound,
            }
        parts = urlsplit(self.database_url or "")
        env = {
            "PERSISTENCE_MODULE": "server.postgres_store:BoundedPostgresFactory",
            "POSTGRES_DBNAME": parts.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            # The library waits this long for a connection from its pool.
            "POSTGRES_CONNECT_TIMEOUT": bound,
            "POSTGRES_LOCK_TIMEOUT": bound,
            "POSTGRES_STATEMENT_TIMEOUT": bound,
            "POSTGRES_APPLICATION_NAME": self.database_application_name,
        }
        if self.database_schema:
            env["POSTGRES_SCHEMA"] = self.database_schema
        return env
