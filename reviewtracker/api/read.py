"""Read endpoints: the token's user, documents, versions and section trees, rounds, countries, feedback,
revision items and exports — each filtered by the same visibility rules as the pages."""

from __future__ import annotations

from flask import abort, current_app, request
from sqlalchemy import Select, select

from reviewtracker.api import shapes
from reviewtracker.api.document import ETAG, errors
from reviewtracker.api.inputs import FeedbackQuery, PagingQuery
from reviewtracker.api.security import current_user
from reviewtracker.api.views import bp, described
from reviewtracker.extensions import db
from reviewtracker.models import (
    Country,
    DocumentVersion,
    Export,
    Feedback,
    GuidanceDocument,
    ReviewRound,
    RevisionItem,
    RoundCountry,
)
from reviewtracker.parsing import parse_number
from reviewtracker.permissions import (
    can_view_exports,
    can_view_triage,
    export_visibility,
    feedback_visibility,
    require,
)

MAX_PER_PAGE = 100


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    """An integer query argument within bounds, else 400 naming the argument (parsing.py)."""
    return parse_number(request.args.get(name), name, low=low, high=high, default=default)


def paginate(stmt: Select) -> dict:
    """Run a select page by page: {items, page, per_page, pages, total}; a page past the end is empty."""
    page = _int_arg("page", 1, 1, 100_000)
    per_page = _int_arg("per_page", current_app.config.get("PAGE_SIZE", 25), 1, MAX_PER_PAGE)
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    return {
        "items": result.items,
        "page": page,
        "per_page": per_page,
        "pages": result.pages,
        "total": result.total or 0,
    }


def visible_feedback(feedback_id: int) -> Feedback:
    """A feedback item the token's user may see, else 404 (another country's item does not exist for them)."""
    item = db.session.scalar(select(Feedback).where(Feedback.id == feedback_id, feedback_visibility(current_user)))
    if item is None:
        abort(404)
    return item


def feedback_response(item: Feedback, status: int = 200):
    """One item (shaped by the view's output schema) with its version as the ETag, sent back in If-Match."""
    return item, status, {"ETag": f'"{item.lock_version}"'}


def visible_rounds() -> Select:
    """Rounds the user may see: all for the working group, their country's rounds for country users."""
    stmt = select(ReviewRound).order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc())
    if current_user.role.is_working_group:
        return stmt
    return stmt.where(
        ReviewRound.id.in_(select(RoundCountry.round_id).where(RoundCountry.country_id == current_user.country_id))
    )


# Query strings are documented by their schema but read by parsing.py and the queue filters (validation=False),
# so a malformed number keeps the one message and the 400/404 rules every page follows.


@bp.get("/me")
@bp.output(shapes.UserSchema, description="The user")
@bp.doc(summary="The token's user", responses=errors())
def me():
    """Who the token belongs to."""
    return current_user


@bp.get("/countries")
@bp.output(shapes.CountryListSchema, description="Every country")
@bp.doc(summary="Countries", responses=errors())
def countries():
    """Every country (reference data)."""
    return {"items": db.session.scalars(select(Country).order_by(Country.code))}


@bp.get("/documents")
@bp.output(shapes.DocumentListSchema, description="Documents and versions")
@bp.doc(summary="Guidance documents", responses=errors())
def documents():
    """The guidance documents with their versions."""
    stmt = select(GuidanceDocument).order_by(GuidanceDocument.position, GuidanceDocument.code)
    return {"items": db.session.scalars(stmt)}


@bp.get("/documents/<int:document_id>")
@bp.output(shapes.DocumentSchema, description="The document")
@bp.doc(summary="One document", responses=errors(404))
def document(document_id: int):
    """One document with its versions."""
    return db.get_or_404(GuidanceDocument, document_id)


@bp.get("/versions/<int:version_id>")
@bp.output(shapes.VersionDetailSchema, description="The version")
@bp.doc(summary="One version with its section tree", responses=errors(404))
def version(version_id: int):
    """One version with its section tree."""
    return db.get_or_404(DocumentVersion, version_id)


@bp.get("/rounds")
@bp.output(shapes.RoundListSchema, description="Rounds")
@bp.doc(summary="Review rounds the user takes part in", responses=errors())
def rounds():
    """The review rounds the user takes part in (all of them for the working group)."""
    return {"items": db.session.scalars(visible_rounds())}


@bp.get("/rounds/<int:round_id>")
@bp.output(shapes.RoundSchema, description="The round")
@bp.doc(summary="One round", responses=errors(404))
def round_detail(round_id: int):
    """One round, if the user may see it."""
    found = db.session.scalar(visible_rounds().where(ReviewRound.id == round_id))
    if found is None:
        abort(404)
    return found


@bp.get("/feedback")
@described(FeedbackQuery, "query")
@bp.output(shapes.FeedbackPageSchema, description="One page of feedback")
@bp.doc(summary="Feedback the user may see, filtered like the triage queue", responses=errors())
def feedback_list():
    """Feedback the user may see, with the triage queue's filters, paginated."""
    from reviewtracker.api.filters import filtered_feedback

    return paginate(filtered_feedback(select(Feedback).where(feedback_visibility(current_user))))


@bp.get("/feedback/<int:feedback_id>")
@bp.output(shapes.FeedbackSchema, description="The item", headers=ETAG)
@bp.doc(summary="One feedback item", responses=errors(404))
def feedback_detail(feedback_id: int):
    """One feedback item, with its version in the ETag header."""
    return feedback_response(visible_feedback(feedback_id))


@bp.get("/revision-items")
@described(PagingQuery, "query")
@bp.output(shapes.RevisionItemPageSchema, description="One page of revision items")
@bp.doc(summary="Revision items (working group)", responses=errors(403))
def revision_items():
    """Revision items (working group only), paginated."""
    require(can_view_triage(current_user))
    return paginate(select(RevisionItem).order_by(RevisionItem.code))


@bp.get("/revision-items/<int:item_id>")
@bp.output(shapes.RevisionItemSchema, description="The revision item")
@bp.doc(summary="One revision item (working group)", responses=errors(403, 404))
def revision_item(item_id: int):
    """One revision item (working group only)."""
    require(can_view_triage(current_user))
    return db.get_or_404(RevisionItem, item_id)


@bp.get("/exports")
@described(PagingQuery, "query")
@bp.output(shapes.ExportPageSchema, description="One page of exports")
@bp.doc(summary="Stored exports the user may download (metadata)", responses=errors(403))
def exports():
    """Metadata of the stored exports the user may download, newest first."""
    require(can_view_exports(current_user))
    stmt = select(Export).where(export_visibility(current_user)).order_by(Export.created_at.desc(), Export.id.desc())
    return paginate(stmt)
