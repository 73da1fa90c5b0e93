"""Benchmark: the consolidated export of 100,000 forwarded items against a plain XlsxWriter floor.

Both run in child processes (one each) so that peak memory (ru_maxrss) is the export's own. The floor
streams the SAME query and writes the same number of cells per row with plain XlsxWriter constant-memory
calls: no lookups, no translation, no sanitising. Aim: within 1.5x the floor's time and under 400 MB.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ITEMS = int(os.environ.get("BENCH_EXPORT_ITEMS", "100000"))
CHUNK = 10_000
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
    "diaspora",
    "vulnerability",
    "consular",
    "access",
    "evidence",
    "policy",
    "coherence",
    "partnership",
    "regular",
    "pathways",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def populate(url: str) -> int:
    """Create the schema, reference data, a round and ITEMS forwarded items with bulk Core inserts."""
    from sqlalchemy import insert, select

    from reviewtracker import create_app
    from reviewtracker.extensions import db
    from reviewtracker.models import Feedback, Response, Section, TriageStatus
    from reviewtracker.models.feedback import feedback_principles
    from reviewtracker.seed.reference import seed_reference
    from tests import factories

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        seed_reference()
        review_round = factories.create_round(("KE", "MA"))
        authors = [factories.create_user("contributor", code) for code in ("KE", "MA", "KE")]
        co_lead = factories.create_user("co_lead", None)
        db.session.commit()
        sections = [(s.id, s.version_id) for s in db.session.scalars(select(Section))]
        round_id, co_lead_id = review_round.id, co_lead.id
        people = [(a.id, a.country_id, a.organisation_id) for a in authors]
        rng = random.Random(7)
        now = datetime.now(UTC)
        statuses = list(TriageStatus)
        next_id = 1
        with db.engine.begin() as conn:
            for start in range(0, ITEMS, CHUNK):
                items, responses, principles = [], [], []
                for fid in range(next_id, next_id + min(CHUNK, ITEMS - start)):
                    section_id, version_id = rng.choice(sections)
                    author_id, country_id, org_id = rng.choice(people)
                    when = now - timedelta(minutes=fid)
                    items.append(
                        {
                            "id": fid,
                            "round_id": round_id,
                            "version_id": version_id,
                            "section_id": section_id,
                            "reference": f"p. {fid % 90}",
                            "type": rng.choice(["general", "substantive", "editorial"]),
                            "priority": "medium",
                            "comment": ("=" if fid % 97 == 0 else "") + _text(rng, rng.randint(20, 80)),
                            "proposed_change": _text(rng, 25) if fid % 3 else None,
                            "language": "en",
                            "covid": fid % 11 == 0,
                            "usefulness_rating": rng.randint(1, 5),
                            "clarity_rating": rng.randint(1, 5),
                            "author_id": author_id,
                            "country_id": country_id,
                            "organisation_id": org_id,
                            "state": "forwarded",
                            "submitted_at": when,
                            "forwarded_at": when,
                            "status": rng.choice(statuses).value,
                            "assignee_id": co_lead_id if fid % 2 else None,
                            "last_changed_at": when,
                            "created_at": when,
                            "updated_at": when,
                            "lock_version": 1,
                        }
                    )
                    if fid % 3 == 0:
                        responses.append(
                            {
                                "feedback_id": fid,
                                "text": _text(rng, 30),
                                "language": "en",
                                "published": True,
                                "published_at": when,
                                "created_at": when,
                                "updated_at": when,
                                "lock_version": 1,
                            }
                        )
                    if fid % 4 == 0:
                        principles.append({"feedback_id": fid, "principle_id": 1 + fid % 10})
                next_id += len(items)
                conn.execute(insert(Feedback.__table__), items)
                if responses:
                    conn.execute(insert(Response.__table__), responses)
                if principles:
                    conn.execute(insert(feedback_principles), principles)
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('feedback', 'id'), (SELECT MAX(id) FROM feedback))"
                )
        db.engine.dispose()
    return round_id


def child(mode: str, url: str, round_id: int, folder: str) -> None:
    """Run one measured export in this (child) process and print its figures as JSON."""
    from reviewtracker import create_app
    from reviewtracker.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, EXPORTS_DIR=folder)
    with app.app_context():
        started = time.perf_counter()
        rows = consolidated(round_id) if mode == "consolidated" else floor(round_id, folder)
        seconds = time.perf_counter() - started
        db.session.commit()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb), "rows": rows}))


def consolidated(round_id: int) -> int:
    """The real thing: run_export as the CLI does."""
    from reviewtracker.exports.params import ExportParams
    from reviewtracker.exports.services import run_export
    from reviewtracker.models import ExportKind

    return run_export(None, ExportKind.consolidated, ExportParams(round_id=round_id)).rows


def floor(round_id: int, folder: str) -> int:
    """Same query, same number of cells per row, plain XlsxWriter calls."""
    import xlsxwriter

    from reviewtracker.exports.consolidated_rows import FEEDBACK_SHEET
    from reviewtracker.exports.params import ExportParams
    from reviewtracker.exports.queries import STREAM_BATCH, exported_rows, feedback_conditions
    from reviewtracker.extensions import db

    where = feedback_conditions(ExportParams(round_id=round_id), None)
    stmt = exported_rows(where).execution_options(yield_per=STREAM_BATCH, stream_results=True)
    workbook = xlsxwriter.Workbook(
        os.path.join(folder, "floor.xlsx"),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    sheet = workbook.add_worksheet("Feedback")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    extra = len(FEEDBACK_SHEET) - len(stmt.selected_columns)
    count = 0
    for count, row in enumerate(db.session.execute(stmt), start=1):
        col = 0
        for value in row:
            if value is None:
                pass
            elif isinstance(value, bool | int | float):
                sheet.write_number(count, col, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(count, col, value.replace(tzinfo=None), date_format)
            else:
                sheet.write_string(count, col, str(value))
            col += 1
        for index in range(extra):  # the cells the real export derives (display id, names, link)
            sheet.write_string(count, col + index, f"FB-{row.id:06d}")
    workbook.close()
    return count


def _run_child(mode: str, url: str, round_id: int, folder: str) -> dict:
    command = [sys.executable, "-m", "tests.bench.bench_export", "--child", mode, url, str(round_id), folder]
    started = time.perf_counter()
    output = subprocess.run(command, check=False, capture_output=True, text=True, cwd=Path(__file__).parents[2])
    if output.returncode != 0:  # show why the measured process failed instead of a bare exit status
        raise RuntimeError(f"{mode} export failed:\n{output.stderr[-4000:]}")
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = round(time.perf_counter() - started, 2)
    return figures


def run(report) -> None:
    """Measure the consolidated export and its floor on each backend."""
    from tests.bench.__main__ import database_urls
    from tests.scratch_db import create_scratch_database

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend, url in database_urls(Path(tmp)):
            drop = None
            if backend == "postgresql":
                url, drop = create_scratch_database(url, "rt_bench_exports")
            try:
                started = time.perf_counter()
                round_id = populate(url)
                insert_seconds = round(time.perf_counter() - started, 1)
                folder = os.path.join(tmp, backend)
                os.makedirs(folder, exist_ok=True)
                base = _run_child("floor", url, round_id, folder)
                real = _run_child("consolidated", url, round_id, folder)
                rows.append(
                    {
                        "backend": backend,
                        "items": real["rows"],
                        "insert s": insert_seconds,
                        "consolidated s": real["seconds"],
                        "floor s": base["seconds"],
                        "ratio": round(real["seconds"] / max(base["seconds"], 0.001), 2),
                        "consolidated peak MB": real["peak_mb"],
                        "floor peak MB": base["peak_mb"],
                        "aim": "ratio <= 1.5, peak < 400 MB",
                    }
                )
            finally:
                if drop:
                    drop()
    report.add(f"Consolidated export of {ITEMS:,} items vs plain XlsxWriter floor", rows)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        from tests.bench.__main__ import Report

        report = Report()
        run(report)
