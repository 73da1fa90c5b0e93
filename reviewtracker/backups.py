"""Verified, timestamped database backups and restores (SQLite backup API, pg_dump/pg_restore); see backup_commands."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404 # runs pg_dump/pg_restore with a fixed argument list, never a shell
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import MetaData, Table, func, inspect, select, text
from sqlalchemy.engine import URL, make_url

from reviewtracker.extensions import db
from reviewtracker.spreadsheets import atomic_write

log = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".sha256"


class BackupError(click.ClickException):
    """A backup or restore that could not be done or verified; the message says why."""


# ---------------------------------------------------------------------------------------------------------------
# What is in a database: row counts and per-table checksums (used to verify backups and in the tests).


def table_fingerprints(connection) -> dict[str, tuple[int, str]]:
    """Return {table: (row count, sha256 of the rows in primary-key order)} for every table of the database."""
    inspector = inspect(connection)
    result = {}
    for name in sorted(inspector.get_table_names()):
        table = Table(name, MetaData(), autoload_with=connection)
        order = list(table.primary_key.columns) or list(table.columns)
        digest, count = hashlib.sha256(), 0
        for row in connection.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
            count += 1
        result[name] = (count, digest.hexdigest())
    return result


def row_counts(connection) -> dict[str, int]:
    """Rows per table, for the summary printed after a backup."""
    counts = {}
    for name in sorted(inspect(connection).get_table_names()):
        table = Table(name, MetaData(), autoload_with=connection)
        counts[name] = connection.execute(select(func.count()).select_from(table)).scalar_one()
    return counts


# ---------------------------------------------------------------------------------------------------------------
# Files: timestamped names, sha256 sidecars.


def _backup_dir(override: str | None) -> Path:
    folder = Path(override or current_app.config["BACKUP_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)  # backups hold everything the database holds
    return folder


def _new_backup_path(folder: Path, suffix: str) -> Path:
    """reviewtracker-20261130T052851Z.sqlite3, with -2, -3... when two backups share a second."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path, n = folder / f"reviewtracker-{stamp}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"reviewtracker-{stamp}-{n}{suffix}"
    return path


def _write_sidecar(path: Path, digest: str) -> Path:
    """Write `<file>.sha256` in sha256sum's format, so `sha256sum -c` checks it too."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    sidecar.write_text(f"{digest}  {path.name}\n", encoding="ascii")
    return sidecar


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_sidecar(path: Path) -> None:
    """Refuse a backup whose sha256 sidecar is missing or does not match (a damaged or swapped file)."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        raise BackupError(f"{sidecar.name} is missing: cannot check that {path.name} is intact.")
    expected = sidecar.read_text(encoding="ascii").split()[0].lower()
    if _file_sha256(path) != expected:
        raise BackupError(f"{path.name} does not match its checksum in {sidecar.name}: the file is damaged.")


# ---------------------------------------------------------------------------------------------------------------
# SQLite: the online backup API (a file copy of a live WAL database can miss committed data).


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _sqlite_copy(source_path: Path, target_path: str) -> None:
    """Copy a live SQLite database page by page through the backup API, as one self-contained file."""
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # no -wal file next to the backup
        target.commit()
    finally:
        target.close()
        source.close()


def _sqlite_verify(path: str) -> dict[str, int]:
    """PRAGMA integrity_check on a copy, then its row counts; raise BackupError when it is damaged."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(f"The SQLite backup failed its integrity check: {'; '.join(result[:5])}")
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {}
        for name in sorted(names):
            quoted = '"' + name.replace('"', '""') + '"'
            sql = f"SELECT COUNT(*) FROM {quoted}"  # noqa: S608  # nosec B608 # a name from sqlite_master, quoted
            counts[name] = connection.execute(sql).fetchone()[0]
        return counts
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The SQLite backup cannot be read: {error}") from error
    finally:
        connection.close()


def _sqlite_backup(url: URL, path: Path) -> tuple[str, dict[str, int]]:
    source = _sqlite_path(url)
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    counts: dict[str, int] = {}

    def write(temp_path: str) -> None:
        _sqlite_copy(source, temp_path)
        counts.update(_sqlite_verify(temp_path))  # verified before it takes the final name

    digest, _size = atomic_write(path, write)
    return digest, counts


def _sqlite_restore(url: URL, path: Path) -> None:
    """Copy a backup into the live database file through the backup API (connections see it at once)."""
    _sqlite_verify(str(path))
    target_path = _sqlite_path(url)
    db.engine.dispose()  # no pooled connection of ours keeps an old snapshot or a lock
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(str(target_path), timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL: pg_dump -Fc / pg_restore, credentials through libpq's environment variables (never argv).


def _pg_env(url: URL) -> dict[str, str]:
    """libpq environment for the URL: the password stays out of the process list."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode") if isinstance(url.query.get("sslmode"), str) else None,
    }
    env.update({key: value for key, value in pairs.items() if value})
    return env


def _pg_tool(name: str) -> str:
    """Absolute path of pg_dump/pg_restore (PG_BIN_DIR first, then PATH)."""
    folder = current_app.config.get("PG_BIN_DIR") or os.environ.get("PG_BIN_DIR")
    found = shutil.which(name, path=folder) if folder else shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools or set PG_BIN_DIR.")
    return found


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # Fixed argument lists built here, no shell; the database password is only in env.
    return subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603


def _major(version: str) -> int:
    match = re.search(r"(\d+)(?:\.(\d+))?", version)
    if not match:
        raise BackupError(f"Cannot read a PostgreSQL version from {version!r}.")
    return int(match.group(1))


def check_pg_dump_version(url: URL) -> None:
    """pg_dump refuses servers newer than itself: detect it and say which versions meet."""
    tool = _run([_pg_tool("pg_dump"), "--version"], _pg_env(url)).stdout
    with db.engine.connect() as connection:
        server = connection.execute(text("SHOW server_version")).scalar_one()
    if _major(tool) < _major(server):
        raise BackupError(
            f"pg_dump {_major(tool)} cannot dump a PostgreSQL {_major(server)} server; "
            f"install the PostgreSQL {_major(server)} client tools (or set PG_BIN_DIR)."
        )


def _pg_backup(url: URL, path: Path) -> tuple[str, dict[str, int]]:
    check_pg_dump_version(url)
    env = _pg_env(url)

    def write(temp_path: str) -> None:
        done = _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", temp_path], env)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        listed = _run([_pg_tool("pg_restore"), "--list", temp_path], env)  # reads the whole table of contents
        if listed.returncode or "TABLE DATA" not in listed.stdout:
            raise BackupError(f"The dump could not be verified with pg_restore --list: {listed.stderr.strip()}")

    digest, _size = atomic_write(path, write)
    with db.engine.connect() as connection:
        counts = row_counts(connection)
    return digest, counts


def _pg_restore(url: URL, path: Path) -> None:
    env = _pg_env(url)
    listed = _run([_pg_tool("pg_restore"), "--list", str(path)], env)
    if listed.returncode:
        raise BackupError(f"{path.name} is not a readable pg_dump archive: {listed.stderr.strip()}")
    db.engine.dispose()
    done = _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # all or nothing: a failed restore leaves the database as it was
            "--exit-on-error",
            "--dbname",
            url.database or "",
            str(path),
        ],
        env,
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed; the database is unchanged: {done.stderr.strip()}")


# ---------------------------------------------------------------------------------------------------------------
# The operations the commands call (also used by the tests).


def database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def database_is_empty() -> bool:
    """A new database (no file, or no tables) has nothing to back up."""
    url = database_url()
    if url.get_backend_name() == "sqlite" and (
        not url.database or url.database == ":memory:" or not Path(url.database).exists()
    ):
        return True
    with db.engine.connect() as connection:
        return not inspect(connection).get_table_names()


def backup_database(folder: str | None = None) -> tuple[Path, dict[str, int]]:
    """Write a verified, timestamped backup with a sha256 sidecar; return its path and the row counts."""
    url = database_url()
    target = _backup_dir(folder)
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = _new_backup_path(target, ".sqlite3")
        digest, counts = _sqlite_backup(url, path)
    elif backend == "postgresql":
        path = _new_backup_path(target, ".dump")
        digest, counts = _pg_backup(url, path)
    else:
        raise BackupError(f"Backups are not supported for {backend}.")
    with contextlib.suppress(OSError):
        path.chmod(0o600)
    _write_sidecar(path, digest)
    log.info("backup written: %s (sha256 %s)", path, digest)
    return path, counts


def restore_database(path: str | os.PathLike) -> None:
    """Replace the database's content with a backup written by backup_database (checksum checked first)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    check_sidecar(path)
    url = database_url()
    backend = url.get_backend_name()
    db.session.remove()
    if backend == "sqlite":
        _sqlite_restore(url, path)
    elif backend == "postgresql":
        _pg_restore(url, path)
    else:
        raise BackupError(f"Restore is not supported for {backend}.")
    db.engine.dispose()
    log.warning("database restored from %s", path)
