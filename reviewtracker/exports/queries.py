"""Read-only statements of the exports feature: the exported feedback, streamed in id order, and the export list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement, Row, Select, and_, select

from reviewtracker.exports.params import ExportParams
from reviewtracker.extensions import db
from reviewtracker.models import DocumentVersion, Export, Feedback, FeedbackState, Response, User
from reviewtracker.permissions import (
    export_visibility,
    feedback_visibility,
    published_decision,
    sees_unpublished_triage,
)

STREAM_BATCH = 2_000  # rows fetched per round trip; bounds memory whatever the export's size

# The columns one exported row needs; the response is one-to-one, so it is joined rather than looked up.
FEEDBACK_COLUMNS = (
    Feedback.id,
    Feedback.round_id,
    Feedback.version_id,
    Feedback.section_id,
    Feedback.reference,
    Feedback.type,
    Feedback.priority,
    Feedback.covid,
    Feedback.comment,
    Feedback.proposed_change,
    Feedback.language,
    Feedback.usefulness_rating,
    Feedback.clarity_rating,
    Feedback.author_id,
    Feedback.country_id,
    Feedback.organisation_id,
    Feedback.submitted_at,
    Feedback.forwarded_at,
    Feedback.status,
    Feedback.assignee_id,
    Feedback.lead_agency_id,
    Feedback.last_changed_at,
    Response.text.label("response_text"),
    Response.published.label("response_published"),
    Response.published_at.label("response_published_at"),
    Response.acknowledgement.label("acknowledgement"),
)


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def export_scope(user: User | None) -> ColumnElement[bool]:
    """Only forwarded, non-deleted items, within what the user may see; user None is the CLI (working group)."""
    forwarded = and_(Feedback.deleted_at.is_(None), Feedback.state == FeedbackState.forwarded)
    return forwarded if user is None else and_(forwarded, feedback_visibility(user))


def feedback_conditions(
    params: ExportParams, user: User | None, *, for_country: bool = False
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of an export: scope, round, and every filter of params.

    `for_country`: the file goes to a country (the matrix, whoever makes it), so it is filtered like one.
    """
    where = [export_scope(user), Feedback.round_id == params.round_id]
    if params.country_id is not None:
        where.append(Feedback.country_id == params.country_id)
    if params.country_ids:
        where.append(Feedback.country_id.in_(params.country_ids))
    if params.document_ids:
        versions = select(DocumentVersion.id).where(DocumentVersion.document_id.in_(params.document_ids))
        where.append(Feedback.version_id.in_(versions))
    if params.statuses:
        where.append(Feedback.status.in_(params.statuses))
        if for_country or not sees_unpublished_triage(user):
            # A country filters on the decisions it was told of, or the filter would reveal the others.
            where.append(published_decision())
    if params.date_from:
        where.append(Feedback.forwarded_at >= _start_of(params.date_from))
    if params.date_to:  # inclusive: everything before the next midnight
        where.append(Feedback.forwarded_at < _start_of(params.date_to + timedelta(days=1)))
    return where


def exported_ids(where: list[ColumnElement[bool]]) -> Select:
    """The ids of the exported items, as a subquery for bulk lookups."""
    return select(Feedback.id).where(*where)


def exported_rows(where: list[ColumnElement[bool]]) -> Select:
    """One row per exported item with its response, in id order, for streaming."""
    return (
        select(*FEEDBACK_COLUMNS)
        .outerjoin(Response, Response.feedback_id == Feedback.id)
        .where(*where)
        .order_by(Feedback.id)
    )


def stream_rows(where: list[ColumnElement[bool]]) -> Iterator[Row]:
    """The exported items in id order, fetched in batches (a server-side cursor on PostgreSQL)."""
    stmt = exported_rows(where).execution_options(yield_per=STREAM_BATCH, stream_results=True)
    yield from db.session.execute(stmt)


def list_exports(user: User) -> Select:
    """The stored exports a user may see, newest first."""
    return select(Export).where(export_visibility(user)).order_by(Export.created_at.desc(), Export.id.desc())
