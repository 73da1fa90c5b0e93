"""Scratch databases for tests and benchmarks: a new PostgreSQL database (or a SQLite file) and its removal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text


def create_scratch_database(base_url: str, prefix: str = "rt_scratch") -> tuple[str, Callable[[], None]]:
    """Create a uniquely named database next to `base_url`; return its URL and a function that drops it.

    For a SQLite URL the file itself is the scratch database and the cleanup deletes it.
    """
    if base_url.startswith("sqlite"):
        return base_url, lambda: Path(base_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{base_url.rsplit('/', 1)[0]}/{name}", drop
