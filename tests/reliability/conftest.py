"""Helpers for the reliability tests: which backend runs, skip markers for backend-specific traps."""

from __future__ import annotations

import logging

import pytest

from reviewtracker.extensions import db


def backend() -> str:
    """The dialect of the database under test: "sqlite" or "postgresql"."""
    return db.engine.dialect.name


@pytest.fixture
def sqlite_only(app):
    """Skip on PostgreSQL: the trap is SQLite's."""
    if backend() != "sqlite":
        pytest.skip("SQLite-only behaviour; this run uses PostgreSQL")


@pytest.fixture
def postgres_only(app):
    """Skip on SQLite: the behaviour needs PostgreSQL (run with TEST_DATABASE_URL)."""
    if backend() != "postgresql":
        pytest.skip("PostgreSQL-only behaviour; set TEST_DATABASE_URL to run it")


@pytest.fixture(autouse=True)
def _app_loggers_enabled(monkeypatch):
    """Alembic's env.py runs logging.fileConfig, which disables loggers created before it (a migration test
    earlier in the same process would hide the incident lines these tests look for)."""
    for name in ("reviewtracker", "reviewtracker.errors", "reviewtracker.backups"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)
