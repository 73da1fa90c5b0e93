"""Shared fixtures: the app on SQLite (or PostgreSQL when TEST_DATABASE_URL is set), clients, factories."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from reviewtracker import create_app
from reviewtracker.extensions import db
from tests import factories
from tests.browser_support import browser, live_server, page  # noqa: F401 - one session-wide browser for all folders
from tests.races import live  # noqa: F401 - the app on a loopback port, for races
from tests.scratch_db import create_scratch_database
from tests.world import World, build_world

PG_URL = os.environ.get("TEST_DATABASE_URL")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A private database for this test process: a SQLite file, or a new PostgreSQL database."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    url, drop = create_scratch_database(PG_URL, f"rt_test_{_worker()}")
    yield url
    drop()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production (own `g`, own database session).

    The test's pending rows are committed first so the request sees them, and the test's session is
    expired afterwards so it sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """One application for the session; the schema is created once, rows are reset after each test."""
    exports_dir = tmp_path_factory.mktemp("exports")
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        EXPORTS_DIR=str(exports_dir),
        BACKUP_DIR=str(tmp_path_factory.mktemp("backups")),
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.create_all()
        from reviewtracker.seed.reference import seed_reference

        seed_reference()
        db.session.commit()
        _snapshot_reference()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


REFERENCE_TABLES = (
    "countries",
    "stakeholder_types",
    "lead_agencies",
    "objectives",
    "guiding_principles",
    "guidance_documents",
    "document_versions",
    "sections",
)
_reference_rows: dict[str, list[dict]] = {}


def _snapshot_reference() -> None:
    """Remember the seeded reference rows so that each test starts from them without re-reading YAML."""
    for name in REFERENCE_TABLES:
        table = db.metadata.tables[name]
        _reference_rows[name] = [dict(row._mapping) for row in db.session.execute(table.select().order_by(table.c.id))]


def reset_database() -> None:
    """Delete every row and restore the reference snapshot (fast on both backends)."""
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA defer_foreign_keys=ON"))  # self-references (sections): check at commit
            for table in tables:
                conn.execute(table.delete())
        for name in REFERENCE_TABLES:
            table = db.metadata.tables[name]
            rows = _reference_rows[name]
            if name == "sections":  # parents first: insert in id order without the self-reference, then link
                conn.execute(table.insert(), [{**r, "parent_id": None, "predecessor_id": None} for r in rows])
                for r in rows:
                    if r["parent_id"] or r["predecessor_id"]:
                        conn.execute(
                            table.update()
                            .where(table.c.id == r["id"])
                            .values(parent_id=r["parent_id"], predecessor_id=r["predecessor_id"])
                        )
            elif rows:
                conn.execute(table.insert(), rows)
        if conn.dialect.name == "postgresql":
            for name in REFERENCE_TABLES:
                # Table names come from the fixed REFERENCE_TABLES tuple above, not from input.
                sql = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"  # noqa: S608, E501
                conn.execute(text(sql))


@pytest.fixture(autouse=True)
def _clean_database(request) -> Iterator[None]:
    """Every test that uses the app starts from the reference data only."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        yield
        reset_database()


@pytest.fixture
def client(app):
    """A test client (CSRF is off in TestingConfig; a dedicated test turns it on)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Factory: make_user('focal_point', country='KE', email=...)."""
    return factories.create_user


@pytest.fixture
def login_as(client):
    """Sign the test client in as a new or given user: login_as('co_lead') or login_as(user)."""

    def _login(role_or_user, **kwargs):
        user = role_or_user if not isinstance(role_or_user, str) else factories.create_user(role_or_user, **kwargs)
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
            session["login_at"] = session["seen_at"] = int(time.time())
        return user

    return _login


@pytest.fixture
def world(app) -> World:
    """Two countries with users of every role, an open round and feedback in the main states."""
    return build_world()
