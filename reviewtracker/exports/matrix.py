"""The comment-resolution matrix of one country: what it said, what was decided and what changed."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row

from reviewtracker.exports.lookups import ExportLookups, Labels, display_id, export_language, joined, version_name
from reviewtracker.exports.params import ExportParams, describe_filters
from reviewtracker.exports.queries import exported_ids, feedback_conditions, stream_rows
from reviewtracker.extensions import db
from reviewtracker.models import ReviewRound, User
from reviewtracker.permissions import country_may_see_triage, visible_triage
from reviewtracker.spreadsheets import Column, Formats, Table, new_xlsxwriter_workbook, sheet_name, write_row

MATRIX_COLUMNS = (
    Column(_l("ID"), 11),
    Column(_l("Section code"), 10),
    Column(_l("Section title"), 28, "wrap"),
    Column(_l("Reference"), 14),
    Column(_l("Type"), 13),
    Column(_l("Comment"), 60, "wrap"),
    Column(_l("Proposed change"), 45, "wrap"),
    Column(_l("Decision"), 18),
    Column(_l("Response"), 50, "wrap"),
    Column(_l("Action taken"), 34, "wrap"),
    Column(_l("Applied in version"), 20, "wrap"),
    Column(_l("Applied in section"), 14, "wrap"),
)


def matrix_values(row: Row, lookups: ExportLookups, labels: Labels, under_review: str | None = None) -> list[Any]:
    """One matrix row as the country may see it: the file goes back to the country, whoever made it."""
    version = lookups.versions[row.version_id]
    section = lookups.section(row.section_id)
    outcome = visible_triage(
        country_may_see_triage(row.status, row.response_published),
        status=row.status,
        response_text=row.response_text,
        revision_items=[lookups.revision_items[rid] for rid in lookups.revisions.get(row.id, ())],
    )
    items, applied = outcome.revision_items, outcome.applied_in
    return [
        display_id(row.id),
        section.code if section else f"{version.document_code} *",
        section.title if section else None,
        row.reference,
        labels(row.type),
        row.comment,
        row.proposed_change,
        labels(outcome.status) if outcome.visible else under_review,
        outcome.response_text,
        joined([f"{item.code} {item.title}" for item in items]),
        joined(sorted({version_name(lookups, item.applied_version_id) for item in applied})),
        joined(sorted({s.code for item in applied for s in item.sections})),
    ]


def write_matrix(path: str, params: ExportParams, user: User | None, generated_at: datetime) -> int:
    """Write the matrix of params.country_id; return its number of rows."""
    labels = Labels(params.lang)
    where = feedback_conditions(params, user, for_country=True)
    lookups = ExportLookups(params.lang, exported_ids(where))
    review_round = db.session.get(ReviewRound, params.round_id)
    workbook = new_xlsxwriter_workbook(path, constant_memory=True)
    try:
        fmt = Formats(workbook)
        with export_language(params.lang):
            matrix_sheet = workbook.add_worksheet(sheet_name(_("Comment resolution")))
            about = workbook.add_worksheet(sheet_name(_("About")))
            under_review = _("Under review")
        table = Table(matrix_sheet, fmt, MATRIX_COLUMNS, labels.headers(c.header for c in MATRIX_COLUMNS))
        for row in stream_rows(where):
            table.add(matrix_values(row, lookups, labels, under_review))
        table.finish()
        with export_language(params.lang):
            about.set_column(0, 0, 26)
            about.set_column(1, 1, 70)
            write_row(about, 0, [_("Comment-resolution matrix")], fmt.title)
            facts = [
                (_("Country"), lookups.country_name(params.country_id)),
                (_("Round"), review_round.name),
                *describe_filters(params)[1:],  # the country is already named above
                (_("Generated on"), generated_at),
                (_("Comments"), table.rows),
            ]
            for index, (name, value) in enumerate(facts, start=2):
                value_format = fmt.datetime if isinstance(value, datetime) else fmt.wrap
                write_row(about, index, [name, value], [fmt.bold, value_format])
    except BaseException:
        with contextlib.suppress(Exception):
            workbook.close()
        raise
    workbook.close()
    return table.rows
