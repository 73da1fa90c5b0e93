"""Triage queue at scale: median time of a filtered, sorted queue page at 1,000 and at 100,000 forwarded items."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from reviewtracker import create_app
from reviewtracker.extensions import db
from reviewtracker.models import Country, Feedback, Role, Section, TriageStatus, User
from tests.bench.__main__ import database_urls
from tests.scratch_db import create_scratch_database

SIZES = (1_000, 100_000)
REPEATS = 15
BATCH = 5_000
# A typical co-lead view: one country's substantive comments still to decide, highest priority first.
QUERY = "/triage/?country={country}&status=new&type=substantive&sort=-received&page=2"


def _setup(app) -> tuple[User, dict]:
    from reviewtracker.seed.reference import seed_reference
    from tests import factories

    db.create_all()
    seed_reference()
    co_lead = factories.create_user("co_lead", None, email="bench.colead@example.org")
    authors = [factories.create_user("contributor", code) for code in ("KE", "MA")]
    review_round = factories.create_round(("KE", "MA"))
    db.session.commit()
    sections = [(s.id, s.version_id) for s in db.session.scalars(select(Section))]
    return co_lead, {"authors": authors, "round": review_round.id, "sections": sections}


def _insert(count: int, start: int, ctx: dict) -> None:
    """Bulk-insert forwarded feedback with a realistic spread of sections, statuses, priorities and types."""
    rng = random.Random(start)
    statuses = list(TriageStatus)
    weights = [40, 15, 12, 8, 10, 6, 4, 5]
    now = datetime.now(UTC)
    table = Feedback.__table__
    for offset in range(0, count, BATCH):
        rows = []
        for n in range(offset, min(count, offset + BATCH)):
            author = ctx["authors"][n % len(ctx["authors"])]
            section_id, version_id = ctx["sections"][rng.randrange(len(ctx["sections"]))]
            when = now - timedelta(minutes=start + n)
            rows.append(
                {
                    "round_id": ctx["round"],
                    "version_id": version_id,
                    "section_id": section_id,
                    "type": rng.choice(["general", "substantive", "substantive", "editorial"]),
                    "priority": rng.choice(["high", "medium", "medium", "low"]),
                    "comment": f"Comment {start + n} on the guidance about data and coordination",
                    "language": "en",
                    "covid": n % 17 == 0,
                    "author_id": author.id,
                    "country_id": author.country_id,
                    "organisation_id": author.organisation_id,
                    "state": "forwarded",
                    "submitted_at": when,
                    "forwarded_at": when,
                    "status": rng.choices(statuses, weights)[0].value,
                    "last_changed_at": when,
                    "lock_version": 1,
                    "created_at": when,
                    "updated_at": when,
                }
            )
        db.session.execute(insert(table), rows)
    db.session.commit()
    # What autovacuum / a nightly ANALYZE does in production: fresh statistics (and, on PostgreSQL, a visibility map
    # so that counts are index-only scans).
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE feedback"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _median_ms(app, co_lead: User, country_id: int) -> float:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = co_lead.session_token
        session["_fresh"] = True
        session["login_at"] = session["seen_at"] = int(time.time())
    url = QUERY.format(country=country_id)
    assert client.get(url).status_code == 200  # warm-up (and a check that the page works)
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(timings)


def run(report) -> None:
    """Measure on each backend and report the ratio between 100,000 and 1,000 items."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in database_urls(Path(tmp)):
            database_url, cleanup = create_scratch_database(url, "rt_bench")
            app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
            try:
                with app.app_context():
                    co_lead, ctx = _setup(app)
                    country_id = db.session.scalar(select(Country.id).where(Country.code == "KE"))
                    co_lead = db.session.scalar(select(User).where(User.role == Role.co_lead))
                    medians, inserted = {}, 0
                    for size in SIZES:
                        started = time.perf_counter()
                        _insert(size - inserted, inserted, ctx)
                        seeded = time.perf_counter() - started
                        inserted = size
                        medians[size] = _median_ms(app, co_lead, country_id)
                        rows.append(
                            {
                                "database": name,
                                "items": f"{size:,}",
                                "seed_s": f"{seeded:.1f}",
                                "median_ms": f"{medians[size]:.1f}",
                                "ratio_to_1000": f"{medians[size] / medians[SIZES[0]]:.2f}",
                            }
                        )
                    db.session.remove()
                    db.engine.dispose()
            finally:
                cleanup()
    report.add(f"Triage queue page (filtered, sorted, page 2) — median of {REPEATS} requests", rows)
