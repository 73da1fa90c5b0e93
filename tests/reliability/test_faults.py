"""RELIABILITY.md, "Faults": database down, PostgreSQL restarted, SQLite locked, disk full, unhandled errors."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import subprocess
import sys
import threading

import pytest
from flask import has_request_context
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from reviewtracker import create_app
from reviewtracker.extensions import db
from reviewtracker.models import Activity, Tag, User
from reviewtracker.spreadsheets import atomic_write
from tests.factories import PASSWORD

TYPED = "Mon commentaire très important — 重要 <b>not bold</b>"


@pytest.fixture
def database_fails_at_commit(monkeypatch):
    """Every commit made while serving a request raises OperationalError, as when the server goes away."""
    real_commit = Session.commit

    def commit(self):
        if has_request_context():
            raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", commit)


def test_database_down_mid_request_gives_503_keeps_the_text_and_writes_nothing(
    client, login_as, database_fails_at_commit, caplog
):
    """The profile save hits a dead database: 503 page with the typed text, the old name still stored."""
    user = login_as("member", name="Old Name")
    response = client.post("/profile", data={"name": TYPED, "locale": "fr"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The database could not be reached" in page
    assert "Mon commentaire très important — 重要 &lt;b&gt;not bold&lt;/b&gt;" in page  # shown back, as text
    assert "Traceback" not in page and "server closed" not in page
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Old Name"
    assert any("database error on POST /profile" in r.getMessage() for r in caplog.records)


def test_a_failed_login_commit_leaves_no_half_written_activity(client, make_user, database_fails_at_commit):
    """The login writes the user and an activity row in one transaction: after a failed commit, neither."""
    user = make_user("member")
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 503
    assert PASSWORD not in response.get_data(as_text=True)  # typed text is shown back, never a password
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Activity.id))) == 0
    assert db.session.get(User, user.id).last_login_at is None


@pytest.mark.parametrize(
    "dead_url",
    ["sqlite:////nonexistent-folder/reviewtracker.sqlite3", "postgresql://postgres@127.0.0.1:1/reviewtracker"],
    ids=["sqlite-missing-file", "postgresql-refused"],
)
def test_an_unreachable_database_gives_503_not_a_trace(dead_url, tmp_path):
    """A database that cannot be reached at all: the login answers 503 with the typed e-mail, no trace."""
    application = create_app("testing", SQLALCHEMY_DATABASE_URI=dead_url, BACKUP_DIR=str(tmp_path))
    client = application.test_client()
    response = client.post("/login", data={"email": "me@example.org", "password": "secret-typed-password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "me@example.org" in page and "secret-typed-password" not in page
    assert "Traceback" not in page and "OperationalError" not in page
    with application.app_context():
        db.engine.dispose()


def test_postgresql_restarted_between_requests(client, login_as, postgres_only):
    """Every connection of this test database is killed (as by a restart); the next request still works.

    Only this test process's own database is touched: the shared server is never stopped.
    """
    login_as("member")
    assert client.get("/profile").status_code == 200
    killer = create_engine(db.engine.url, poolclass=NullPool)
    with killer.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    killer.dispose()
    assert killed >= 1
    assert client.get("/profile").status_code == 200  # pool_pre_ping replaced the dead connection


def test_sqlite_locked_by_another_writer_waits_instead_of_failing(app, client, login_as, sqlite_only):
    """While another process holds the write lock, a save waits (busy timeout) and then succeeds."""
    user = login_as("member", name="Before")
    db.session.commit()
    path = db.engine.url.database
    blocker = sqlite3.connect(path, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("INSERT INTO tags (name) VALUES ('written by the other process')")

    # Without a busy timeout the same write fails at once: the trap.
    impatient = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        impatient.execute("INSERT INTO tags (name) VALUES ('impatient')")
    impatient.close()

    release = threading.Timer(0.5, blocker.commit)
    release.start()
    try:
        response = client.post("/profile", data={"name": "After", "locale": "en"})
    finally:
        release.join()
        blocker.close()
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "After"
    assert db.session.scalar(select(Tag.name)) == "written by the other process"


def _previous_export(tmp_path):
    final = tmp_path / "export.xlsx"
    final.write_bytes(b"the previous, complete export")
    return final


def test_disk_full_during_an_export_keeps_the_previous_export(tmp_path):
    """ENOSPC half-way through: the error reaches the caller, the old file is intact, no temp file remains."""
    final = _previous_export(tmp_path)

    def write(temp_path):
        with open(temp_path, "wb") as handle:
            handle.write(b"half of the new exp")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write(final, write)
    assert final.read_bytes() == b"the previous, complete export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.xlsx"]


def test_a_process_killed_mid_export_leaves_the_previous_export(tmp_path):
    """The exporting process dies (os._exit, like kill -9) while writing: the final file is the old one."""
    final = _previous_export(tmp_path)
    script = (
        "import os, sys\n"
        "from reviewtracker.spreadsheets import atomic_write\n"
        "def write(path):\n"
        "    with open(path, 'wb') as h:\n"
        "        h.write(b'PK partial'); h.flush()\n"
        "        os._exit(9)\n"
        "atomic_write(sys.argv[1], write)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(final)], capture_output=True, cwd=os.getcwd())
    assert done.returncode == 9
    assert final.read_bytes() == b"the previous, complete export"


def test_an_unhandled_error_shows_a_generic_page_with_the_logged_incident_id(
    app, client, login_as, monkeypatch, caplog
):
    """A bug shows "Something went wrong" and an incident number that is in the log; never a trace."""

    def broken_view():
        raise ZeroDivisionError("secret internal detail: balance / 0")

    monkeypatch.setitem(app.view_functions, "auth.profile", broken_view)
    login_as("member")
    with caplog.at_level(logging.ERROR, logger="reviewtracker.errors"):
        response = client.post("/profile", data={"name": TYPED, "password": "hunter2-typed"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    incident = page.split("<code>", 1)[1].split("</code>", 1)[0]
    assert len(incident) == 12
    logged = [r for r in caplog.records if incident in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the trace is in the log, with the id
    assert "Traceback" not in page and "ZeroDivisionError" not in page and "secret internal detail" not in page
    assert "Mon commentaire très important" in page and "hunter2-typed" not in page


def test_an_unhandled_api_error_is_json_with_the_incident_id(app, client, monkeypatch, caplog):
    """Under /api/ the same failure answers JSON with the incident id."""
    from reviewtracker.errors import error_response

    with app.test_request_context("/api/v1/anything"):
        body, status = error_response(500, incident="abc123def456")
        assert status == 500 and body.get_json()["incident"] == "abc123def456"


def test_a_crash_mid_import_leaves_zero_rows_from_that_file(runner, client, login_as, monkeypatch, tmp_path):
    """The import dies after its first row (as if the process were killed): nothing of that file is kept."""
    from reviewtracker.feedback_import import services as import_services
    from reviewtracker.models import Feedback, FeedbackImport
    from tests.feedback_import.conftest import download, fill
    from tests.world import build_world

    world = build_world()
    login_as(world.users["contributor"])
    path = tmp_path / "comments.xlsx"
    path.write_bytes(fill(download(client, world.round.id), [_ROW, {**_ROW, "Section code": "B.07.2"}, _ROW]))
    before = db.session.scalar(select(db.func.count(Feedback.id)))
    real_create, created = import_services.create_feedback, []

    def create_then_die(*args, **kwargs):
        if created:
            raise SystemExit(137)  # what the process sees is irrelevant: it never reaches the commit
        created.append(real_create(*args, **kwargs))
        return created[-1]

    monkeypatch.setattr(import_services, "create_feedback", create_then_die)
    email = world.users["contributor"].email
    result = runner.invoke(args=["feedback", "import", str(path), "--round", str(world.round.id), "--user", email])
    assert result.exit_code != 0 and len(created) == 1
    db.session.rollback()
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Feedback.id))) == before
    assert db.session.scalar(select(db.func.count(FeedbackImport.id))) == 0


_ROW = {"Section code": "G.2.1", "Type": "General", "Comment": "Offline comment"}
