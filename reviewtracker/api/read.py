"""Read endpoints: the token's user, documents, versions and section trees, rounds, countries, feedback,
revision items and exports — each filtered by the same visibility rules as the pages."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import Select, select

from reviewtracker.api import schemas
from reviewtracker.api.views import bp
from reviewtracker.extensions import db
from reviewtracker.models import (
    Country,
    DocumentVersion,
    Export,
    Feedback,
    GuidanceDocument,
    ReviewRound,
    RevisionItem,
    Role,
    RoundCountry,
)
from reviewtracker.parsing import parse_number
from reviewtracker.permissions import (
    can_view_triage,
    export_visibility,
    feedback_visibility,
    require,
)

MAX_PER_PAGE = 100


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    """An integer query argument within bounds, else 400 naming the argument (parsing.py)."""
    return parse_number(request.args.get(name), name, low=low, high=high, default=default)


def paginate(stmt: Select, render) -> dict:
    """Run a select page by page: {items, page, per_page, pages, total}; a page past the end is empty."""
    page = _int_arg("page", 1, 1, 100_000)
    per_page = _int_arg("per_page", current_app.config.get("PAGE_SIZE", 25), 1, MAX_PER_PAGE)
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    return {
        "items": [render(row) for row in result.items],
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
    """One item as JSON with its version as the ETag (clients send it back in If-Match)."""
    response = jsonify(schemas.feedback_json(item, current_user))
    response.status_code = status
    response.set_etag(str(item.lock_version))
    return response


def visible_rounds() -> Select:
    """Rounds the user may see: all for the working group, their country's rounds for country users."""
    stmt = select(ReviewRound).order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc())
    if current_user.role.is_working_group:
        return stmt
    return stmt.where(
        ReviewRound.id.in_(select(RoundCountry.round_id).where(RoundCountry.country_id == current_user.country_id))
    )


@bp.get("/me")
def me():
    """Who the token belongs to."""
    return jsonify(schemas.user_json(current_user))


@bp.get("/countries")
def countries():
    """Every country (reference data)."""
    rows = db.session.scalars(select(Country).order_by(Country.code))
    return jsonify({"items": [schemas.country_json(c) for c in rows]})


@bp.get("/documents")
def documents():
    """The guidance documents with their versions."""
    rows = db.session.scalars(select(GuidanceDocument).order_by(GuidanceDocument.position, GuidanceDocument.code))
    return jsonify({"items": [schemas.document_json(d) for d in rows]})


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    """One document with its versions."""
    return jsonify(schemas.document_json(db.get_or_404(GuidanceDocument, document_id)))


@bp.get("/versions/<int:version_id>")
def version(version_id: int):
    """One version with its section tree."""
    found = db.get_or_404(DocumentVersion, version_id)
    return jsonify({**schemas.version_json(found), "sections": schemas.section_tree(found)})


@bp.get("/rounds")
def rounds():
    """The review rounds the user takes part in (all of them for the working group)."""
    return jsonify({"items": [schemas.round_json(r) for r in db.session.scalars(visible_rounds())]})


@bp.get("/rounds/<int:round_id>")
def round_detail(round_id: int):
    """One round, if the user may see it."""
    found = db.session.scalar(visible_rounds().where(ReviewRound.id == round_id))
    if found is None:
        abort(404)
    return jsonify(schemas.round_json(found))


@bp.get("/feedback")
def feedback_list():
    """Feedback the user may see, with the triage queue's filters, paginated."""
    from reviewtracker.api.filters import filtered_feedback

    stmt = filtered_feedback(select(Feedback).where(feedback_visibility(current_user)))
    return jsonify(paginate(stmt, lambda item: schemas.feedback_json(item, current_user)))


@bp.get("/feedback/<int:feedback_id>")
def feedback_detail(feedback_id: int):
    """One feedback item, with its version in the ETag header."""
    return feedback_response(visible_feedback(feedback_id))


@bp.get("/revision-items")
def revision_items():
    """Revision items (working group only), paginated."""
    require(can_view_triage(current_user))
    stmt = select(RevisionItem).order_by(RevisionItem.code)
    return jsonify(paginate(stmt, schemas.revision_item_json))


@bp.get("/revision-items/<int:item_id>")
def revision_item(item_id: int):
    """One revision item (working group only)."""
    require(can_view_triage(current_user))
    return jsonify(schemas.revision_item_json(db.get_or_404(RevisionItem, item_id)))


@bp.get("/exports")
def exports():
    """Metadata of the stored exports the user may download, newest first."""
    require(current_user.role.is_working_group or current_user.role == Role.focal_point)
    stmt = select(Export).where(export_visibility(current_user)).order_by(Export.created_at.desc(), Export.id.desc())
    return jsonify(paginate(stmt, schemas.export_json))
