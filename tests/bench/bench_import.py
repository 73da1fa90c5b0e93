"""Offline-template import of 10,000 filled rows, next to a plain openpyxl read-only pass over the same file.

The import is measured in its three steps on a fresh database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set): upload checks, parse + validate (read_plan), apply (one transaction
through the web form's create_feedback service, then commit).
"""

from __future__ import annotations

import io
import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from reviewtracker import create_app
from reviewtracker.extensions import db
from tests.bench.__main__ import database_urls
from tests.scratch_db import create_scratch_database

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
WORDS = [
    "migration",
    "data",
    "rights",
    "return",
    "labour",
    "skills",
    "border",
    "health",
    "children",
    "integration",
    "remittances",
    "policy",
]


def _filled_template(user, review_round, codes: list[str]) -> bytes:
    """Download-equivalent template, filled with ROWS rows by openpyxl as a user's Excel would save it."""
    from reviewtracker.feedback_import.template_builder import build_template_bytes, load_template_data

    data = load_template_data(review_round, user, lang="en", today=date.today(), max_rows=ROWS)
    workbook = openpyxl.load_workbook(io.BytesIO(build_template_bytes(data)))
    sheet = workbook.worksheets[0]
    rng = random.Random(4)
    types, priorities = ["General", "Substantive", "Editorial"], ["High", "Medium", "Low"]
    for row in range(2, ROWS + 2):
        comment = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80))).capitalize() + "."
        values = [None, rng.choice(codes), f"para {rng.randint(1, 40)}", rng.choice(types), rng.choice(priorities)]
        values += [comment, "Replace the paragraph." if row % 3 else None, "English", "No", "a, f", "7, 15"]
        for col, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=row, column=col, value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _openpyxl_floor(data: bytes) -> float:
    """A plain read-only pass: every value of every row, nothing else."""
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert count >= ROWS
    return time.perf_counter() - started


def _measure(name: str, url: str) -> dict:
    from reviewtracker.feedback_import.importer import read_plan
    from reviewtracker.feedback_import.services import apply_import
    from reviewtracker.models import Feedback, Section
    from reviewtracker.seed.reference import seed_reference
    from reviewtracker.spreadsheets import check_xlsx_upload
    from tests import factories

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, IMPORT_MAX_ROWS=ROWS + 1000)
    with app.app_context(), app.test_request_context():
        db.create_all()
        seed_reference()
        review_round = factories.create_round(("KE",))
        user = factories.create_user("contributor", "KE")
        db.session.commit()
        codes = [
            s.code
            for s in db.session.scalars(
                select(Section).where(Section.version_id.in_([v.id for v in review_round.versions]))
            )
        ]
        data = _filled_template(user, review_round, codes)
        floor = _openpyxl_floor(data)
        started = time.perf_counter()
        checked = check_xlsx_upload(data, filename="bench.xlsx", max_bytes=50 * 1024 * 1024)
        checks = time.perf_counter() - started
        started = time.perf_counter()
        plan = read_plan(checked, review_round, user, max_rows=ROWS + 1000, sha256="0" * 64)
        parse = time.perf_counter() - started
        assert not plan.problems and len(plan.new) == ROWS, plan.problems[:3]
        started = time.perf_counter()
        apply_import(user, review_round, plan, filename="bench.xlsx", sha256="0" * 64, submit=False, today=date.today())
        db.session.commit()
        apply = time.perf_counter() - started
        created = db.session.scalar(select(func.count(Feedback.id)))
        assert created == ROWS
        db.session.remove()
        db.engine.dispose()
    total = checks + parse + apply
    return {
        "database": name,
        "rows": ROWS,
        "file MB": round(len(data) / 1024 / 1024, 2),
        "openpyxl read-only pass s": round(floor, 2),
        "upload checks s": round(checks, 2),
        "parse + validate s": round(parse, 2),
        "parse / openpyxl": round(parse / floor, 2),
        "apply (create + commit) s": round(apply, 2),
        "import total s": round(total, 2),
        "rows per s": round(ROWS / total),
    }


def run(report) -> None:
    """Measure on every available backend and add one table."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="rt-bench-import-") as folder:
        for name, url in database_urls(Path(folder)):
            private_url, cleanup = create_scratch_database(url, "rt_bench")
            try:
                rows.append(_measure(name, private_url))
            finally:
                cleanup()
    report.add(f"Offline template import ({ROWS:,} rows) vs a plain openpyxl read-only pass", rows)
