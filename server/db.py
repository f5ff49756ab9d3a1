"""The SQLAlchemy engine for accounts and read models, one session per request."""

from __future__ import annotations

from typing import Any, cast

from flask import current_app, g
from sqlalchemy import CursorResult, Delete, Engine, Update, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from server.config import Settings

# libpq's TCP keepalives: an idle connection whose server vanished without a word
# (a half-open LISTEN connection, say) fails within about a minute, and is replaced.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


class Base(DeclarativeBase):
    """Base of the server's own tables (accounts, idempotency records)."""


def make_engine(settings: Settings, timeout: int | None = None) -> Engine:
    """Create the engine: SQLite in WAL mode by default, PostgreSQL when set.

    No wait lasts longer than ``timeout`` seconds (``settings.db_timeout`` unless
    told): connecting, a free connection from the pool, a lock, a statement.
    """
    bound = timeout or settings.db_timeout
    url = settings.sqlalchemy_url()
    if not settings.uses_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": bound}, pool_timeout=bound)
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    options = [f"-c statement_timeout={bound}s", f"-c lock_timeout={bound}s"]
    if settings.database_schema:
        options.append(f"-csearch_path={settings.database_schema}")
    connect_args: dict[str, Any] = {
        # Connecting (libpq's connect_timeout covers the whole handshake).
        "connect_timeout": settings.db_timeout,
        "application_name": settings.database_application_name,
        "options": " ".join(options),
        **KEEPALIVES,
    }
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_timeout=settings.db_timeout,
        connect_args=connect_args,
    )


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers carry on while the projection thread writes; the default
    # synchronous=FULL keeps every committed account change through a power cut.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the factory of ORM sessions bound to ``engine``."""
    return sessionmaker(engine, expire_on_commit=False)


def db() -> Session:
    """Return this request's ORM session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["wolfpack"].sessions()
    session: Session = g.db_session
    return session


def close_db(_exc: BaseException | None = None) -> None:
    """Close this request's ORM session, if one was opened."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def delete_rows(session: Session, statement: Delete) -> int:
    """Run a DELETE in the session; return how many rows it deleted."""
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount


def rows_changed(session: Session, statement: Update, **values: Any) -> int:
    """Run an UPDATE setting ``values`` in the session; return how many rows it hit."""
    result = cast(CursorResult[Any], session.execute(statement.values(**values)))
    return result.rowcount
