"""The Feedback sheet as CSV: UTF-8 with a BOM (so Excel reads accents), every cell through the formula guard."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from typing import Any

from reviewtracker.exports.consolidated_rows import FeedbackRowBuilder
from reviewtracker.exports.lookups import ExportLookups, Labels
from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.queries import exported_ids, feedback_conditions, stream_rows
from reviewtracker.extensions import db
from reviewtracker.models import ReviewRound, User
from reviewtracker.permissions import sees_unpublished_triage
from reviewtracker.spreadsheets import sanitize_cell


def csv_cell(value: Any) -> Any:
    """A CSV cell: dates as ISO text (UTC), text sanitised like every xlsx cell."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else sanitize_cell(value)


def write_csv(path: str, params: ExportParams, user: User | None, generated_at: datetime) -> int:
    """Write the Feedback sheet's rows as CSV; return the number of rows."""
    labels = Labels(params.lang)
    where = feedback_conditions(params, user)
    lookups = ExportLookups(params.lang, exported_ids(where))
    review_round = db.session.get(ReviewRound, params.round_id)
    builder = FeedbackRowBuilder(lookups, labels, review_round.name, sees_unpublished=sees_unpublished_triage(user))
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, dialect="excel")
        writer.writerow([sanitize_cell(h) for h in labels.headers(c.header for c in builder.columns)])
        for row in stream_rows(where):
            writer.writerow([csv_cell(v) for v in builder.values(row)])
            count += 1
    return count
