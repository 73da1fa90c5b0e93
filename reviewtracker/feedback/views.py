"""Routes of the feedback feature: "Our feedback", the round overview and an item's page.

The other routes are in views_entry.py (create/edit), views_queue.py (focal point), views_answers.py
(guiding questions) and views_notifications.py; they register on this blueprint when imported below.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from reviewtracker import clock
from reviewtracker.consolidation.queries import list_country_queue
from reviewtracker.extensions import db
from reviewtracker.feedback import queries
from reviewtracker.feedback.forms import AcknowledgeForm
from reviewtracker.feedback.helpers import load_country_round, load_feedback, round_version, section_tree
from reviewtracker.models import DocumentVersion, FeedbackState, FeedbackType, Section, TriageStatus, User
from reviewtracker.parsing import parse_id, parse_page
from reviewtracker.permissions import COUNTRY_ROLES, DECIDED, can_consolidate_feedback, role_required, triage_outcome

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

FILTER_INTS = ("round", "version", "section", "author")
ACTION_LABELS = {
    "feedback.create": _l("created the draft"),
    "feedback.enter_on_behalf": _l("entered it on behalf of the country"),
    "feedback.submit": _l("submitted it to the focal point"),
    "feedback.forward": _l("forwarded it to the working group"),
    "feedback.return": _l("returned it to the author"),
    "feedback.edit": _l("edited it"),
    "feedback.merge": _l("merged another comment into it"),
    "feedback.merged": _l("merged it into another comment"),
    "feedback.withdraw": _l("withdrew it"),
    "feedback.acknowledge": _l("reacted to the response"),
}


def action_label(action: str) -> str:
    """A timeline entry's verb in the interface language."""
    return str(ACTION_LABELS.get(action, action))


def _filters() -> queries.FeedbackFilters:
    """Read the list filters from the query string; malformed values and unknown sort keys are a 400."""
    args = request.args
    sort = args.get("sort") or queries.DEFAULT_SORT
    if not queries.valid_sort(sort):
        abort(400, description="Unknown sort key.")
    values = {name: parse_id(args.get(name), name) for name in FILTER_INTS}
    enums = {"state": FeedbackState, "type": FeedbackType, "status": TriageStatus}
    for name, enum_class in enums.items():
        raw = args.get(name)
        if raw and raw not in enum_class.__members__:
            abort(400)
        values[name] = enum_class(raw) if raw else None
    return queries.FeedbackFilters(
        round_id=values.get("round"),
        version_id=values.get("version"),
        section_id=values.get("section"),
        author_id=values.get("author"),
        state=values["state"],
        type=values["type"],
        status=values["status"],
        q=(args.get("q") or "").strip()[:200] or None,
        sort=sort,
    )


@bp.route("/")
@role_required(*COUNTRY_ROLES)
def index():
    """ "Our feedback": the country's items with filters, search, counts per state and the open rounds."""
    filters = _filters()
    page = db.paginate(
        queries.list_country_feedback(current_user, filters),
        page=parse_page(request.args.get("page")),
        per_page=25,
        error_out=False,
    )
    counts = dict(db.session.execute(queries.count_by_state(current_user, filters)).all())
    rounds = list(db.session.scalars(queries.list_rounds_for_country(current_user.country_id)))
    authors = db.session.scalars(
        select(User).where(User.country_id == current_user.country_id).order_by(User.name)
    ).all()
    versions = sorted({v for r in rounds for v in r.versions}, key=lambda v: (v.document.position, v.number))
    sections = []
    if filters.version_id:
        version = db.session.get(DocumentVersion, filters.version_id)
        sections = section_tree(version) if version else []
    return render_template(
        "feedback/index.html",
        page=page,
        counts=counts,
        rounds=rounds,
        today=clock.round_today(),
        filters=filters,
        authors=authors,
        versions=versions,
        sections=sections,
        states=list(FeedbackState),
        types=list(FeedbackType),
        statuses=[s for s in TriageStatus if s in DECIDED],  # a country only ever sees a decision
    )


@bp.route("/rounds/<int:round_id>")
@role_required(*COUNTRY_ROLES)
def round_overview(round_id: int):
    """A round for the user's country: deadline, the versions under review and their section trees with counts."""
    review_round = load_country_round(round_id)
    version = round_version(review_round, parse_id(request.args.get("version"), "version"))
    counts = dict(db.session.execute(queries.count_by_section(current_user, version.id)).all())
    return render_template(
        "feedback/round.html",
        round=review_round,
        version=version,
        tree=section_tree(version),
        counts=counts,
        today=clock.round_today(),
        closes_on=review_round.closes_on_for(current_user.country_id),
        is_open=review_round.is_open_for(current_user.country_id, clock.round_today()),
    )


@bp.route("/<int:feedback_id>")
@role_required()
def detail(feedback_id: int):
    """An item: text, edits, timeline, and once published the response and the revision items it fed."""
    item = load_feedback(feedback_id)
    timeline = db.session.scalars(queries.list_timeline(item)).all()
    outcome = triage_outcome(current_user, item)
    # The page shows what the country sees: a published decision (also to a working-group reader).
    response = item.response if outcome.visible and item.response is not None and item.response.published else None
    queue = []
    if can_consolidate_feedback(current_user, item):
        queue = [f for f in db.session.scalars(list_country_queue(current_user)) if f.id != item.id]
    return render_template(
        "feedback/detail.html",
        item=item,
        timeline=timeline,
        response=response,
        outcome=outcome,
        ack_form=AcknowledgeForm(),
        merge_targets=queue,
        action_label=action_label,
        section_of=lambda sid: db.session.get(Section, sid) if sid else None,
    )


from reviewtracker.feedback import (  # noqa: E402, F401
    views_answers,
    views_entry,
    views_notifications,
)
