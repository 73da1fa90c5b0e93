"""Database engine settings per backend: SQLite pragmas (foreign keys, WAL, busy timeout), pool options."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(uri: str) -> bool:
    """Whether a database URI points at SQLite."""
    return uri.startswith("sqlite")


def configure_engine_options(app: Flask) -> None:
    """Adapt the engine options to the backend before Flask-SQLAlchemy creates the engine."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("postgres://"):  # Heroku-style URLs
        uri = "postgresql://" + uri.removeprefix("postgres://")
    if uri.startswith("postgresql://"):  # psycopg 3, not psycopg2
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    if is_sqlite(uri):
        options.setdefault("connect_args", {})["timeout"] = SQLITE_BUSY_TIMEOUT_MS / 1000
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # SQLAlchemy's listener signature
    """Turn on foreign keys, WAL and a busy timeout on every SQLite connection (a no-op for others)."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # answers "memory" for an in-memory database: harmless
    cursor.close()
