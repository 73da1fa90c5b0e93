"""Migrations: one head, upgrade from empty on this backend, and the models agree with the migrations."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from reviewtracker import create_app
from reviewtracker.config import PROJECT_DIR
from reviewtracker.extensions import db
from tests.scratch_db import create_scratch_database

MIGRATIONS = str(PROJECT_DIR / "migrations")


@pytest.fixture
def empty_url(tmp_path):
    """A brand-new empty database on the backend under test."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url, drop = create_scratch_database(pg, "rt_mig")
    yield url
    drop()


def test_single_head():
    """Two heads mean two people migrated in parallel: merge before release."""
    from alembic.config import Config

    config = Config(os.path.join(MIGRATIONS, "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_from_empty_matches_models_and_downgrades(empty_url):
    """`flask db upgrade` on an empty database builds exactly the models' schema, and can be undone."""
    application = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_url)
    with application.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"Models and migrations disagree: {diff}"
        assert "feedback" in inspect(db.engine).get_table_names()
        downgrade(directory=MIGRATIONS, revision="base")
        assert "feedback" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
