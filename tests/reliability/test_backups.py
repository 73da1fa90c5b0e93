"""`flask db backup` / `flask db restore`: verified files, checksums, round trips on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from reviewtracker import backups
from reviewtracker.extensions import db
from reviewtracker.models import Activity, Feedback, User
from tests import factories
from tests.world import build_world


def _fingerprints() -> dict[str, tuple[int, str]]:
    db.session.remove()
    with db.engine.connect() as connection:
        return backups.table_fingerprints(connection)


def _backup(runner, folder: Path) -> Path:
    result = runner.invoke(args=["db", "backup", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Backup written and verified" in result.output
    (path,) = [p for p in folder.iterdir() if not p.name.endswith(".sha256")]
    return path


def test_backup_then_restore_gives_back_every_row(app, runner, tmp_path):
    """Rows changed after a backup come back exactly (row counts and per-table checksums) after a restore."""
    build_world()
    before = _fingerprints()
    assert before["feedback"][0] == 4 and before["users"][0] == 7

    path = _backup(runner, tmp_path)
    assert path.name.startswith("reviewtracker-")
    sidecar = path.with_name(path.name + ".sha256")
    assert sidecar.read_text().split() == [hashlib.sha256(path.read_bytes()).hexdigest(), path.name]

    # Damage after the backup: a deleted comment, a new account, a new activity row.
    db.session.execute(delete(Feedback).where(Feedback.state == "draft"))
    factories.create_user("admin")
    db.session.commit()
    assert _fingerprints() != before

    result = runner.invoke(args=["db", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "backed up first" in result.output  # the state being replaced is kept too
    assert _fingerprints() == before
    assert db.session.scalar(select(User).where(User.role == "contributor")) is not None


def test_restore_asks_before_replacing_everything(app, runner, tmp_path):
    """Without --yes the restore asks; answering no changes nothing."""
    build_world()
    path = _backup(runner, tmp_path)
    factories.create_user("member")
    db.session.commit()
    before = _fingerprints()
    result = runner.invoke(args=["db", "restore", str(path)], input="n\n")
    assert result.exit_code != 0 and "Continue?" in result.output
    assert _fingerprints() == before


def test_a_damaged_backup_is_refused_and_nothing_changes(app, runner, tmp_path):
    """A backup that no longer matches its checksum is not restored."""
    build_world()
    path = _backup(runner, tmp_path)
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    db.session.execute(delete(Activity))
    db.session.commit()
    before = _fingerprints()
    result = runner.invoke(args=["db", "restore", str(path), "--yes"])
    assert result.exit_code != 0 and "does not match its checksum" in result.output
    assert _fingerprints() == before


def test_a_backup_without_its_checksum_is_refused(app, runner, tmp_path):
    """The sidecar is what proves the file is the one that was verified."""
    path = _backup(runner, tmp_path)
    path.with_name(path.name + ".sha256").unlink()
    result = runner.invoke(args=["db", "restore", str(path), "--yes"])
    assert result.exit_code != 0 and ".sha256 is missing" in result.output


def test_sqlite_backup_is_a_checked_self_contained_file(app, runner, tmp_path, sqlite_only):
    """The SQLite backup passes integrity_check and has no -wal file beside it."""
    build_world()
    path = _backup(runner, tmp_path)
    assert not Path(str(path) + "-wal").exists()
    copy = sqlite3.connect(path)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 4
    finally:
        copy.close()


def test_wal_file_copy_misses_committed_rows_but_the_backup_api_does_not(tmp_path):
    """RELIABILITY trap: copying a live WAL database can miss committed data; backups use the backup API."""
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # as between two automatic checkpoints of a busy app
    writer.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY, comment TEXT)")
    writer.commit()
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.executemany("INSERT INTO feedback (comment) VALUES (?)", [(f"comment {i}",) for i in range(50)])
    writer.commit()  # committed, but only in live.sqlite3-wal so far
    try:
        naive = tmp_path / "copied.sqlite3"
        shutil.copyfile(live, naive)
        assert sqlite3.connect(naive).execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0

        safe = tmp_path / "backup.sqlite3"
        backups._sqlite_copy(live, str(safe))
        assert sqlite3.connect(safe).execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 50
    finally:
        writer.close()


def test_upgrade_backs_up_a_sqlite_database_first(tmp_path):
    """`flask db upgrade` on an existing SQLite database writes a backup first; a new database gets none."""
    from reviewtracker import create_app

    folder = tmp_path / "backups"
    application = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'app.sqlite3'}", BACKUP_DIR=str(folder)
    )
    runner = application.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert not folder.exists() or not list(folder.iterdir())  # nothing to protect in a new database

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Backup before upgrading" in result.output
    assert len(list(folder.glob("*.sqlite3"))) == 1 and len(list(folder.glob("*.sha256"))) == 1
    with application.app_context():
        db.engine.dispose()


def test_pg_dump_gets_the_password_through_the_environment(app, runner, tmp_path, postgres_only, monkeypatch):
    """pg_dump runs with credentials in PG* variables, never on its command line (visible in `ps`)."""
    calls = []
    real_run = backups._run

    def spy(args, env):
        calls.append((args, env))
        return real_run(args, env)

    monkeypatch.setattr(backups, "_run", spy)
    _backup(runner, tmp_path)
    url = db.engine.url
    assert any("--format=custom" in args for args, _env in calls)
    for args, env in calls:
        assert env["PGDATABASE"] == url.database
        assert not any("postgresql://" in arg or (url.password and url.password in arg) for arg in args)


def test_an_old_pg_dump_is_reported_clearly(app, postgres_only, monkeypatch):
    """pg_dump older than the server cannot dump it: the message names both versions."""
    import subprocess

    monkeypatch.setattr(
        backups,
        "_run",
        lambda args, env: subprocess.CompletedProcess(args, 0, stdout="pg_dump (PostgreSQL) 9.6.24\n", stderr=""),
    )
    with pytest.raises(backups.BackupError, match=r"pg_dump 9 cannot dump a PostgreSQL \d+ server"):
        backups.check_pg_dump_version(db.engine.url)


def test_pg_environment_carries_every_part_of_the_url():
    """Host, port, user, password and database go to libpq's variables."""
    from sqlalchemy.engine import make_url

    env = backups._pg_env(make_url("postgresql+psycopg://rt:s3cret@db.internal:6543/reviews?sslmode=require"))
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"], env["PGSSLMODE"]) == (
        "db.internal",
        "6543",
        "rt",
        "s3cret",
        "reviews",
        "require",
    )
