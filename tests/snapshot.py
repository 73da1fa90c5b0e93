"""A fingerprint of every table, to prove that a refused request changed nothing."""

from __future__ import annotations

import hashlib

from reviewtracker.extensions import db

REFUSAL_ACTION = "access.denied"


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its rows in primary-key order, read in a fresh transaction."""
    db.session.rollback()  # read what is committed, not what this session still holds
    fingerprints: dict[str, tuple[int, str]] = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            query = table.select().order_by(*order)
            if table.name == "activities":  # the audit line of the refusal itself is the one row allowed
                query = query.where(table.c.action != REFUSAL_ACTION)
            rows = conn.execute(query).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            fingerprints[table.name] = (len(rows), digest)
    return fingerprints


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    """The names of the tables whose rows differ, with their row counts before → after."""
    return [f"{name} ({before[name][0]} → {after[name][0]} rows)" for name in before if before[name] != after[name]]
