"""Small helpers of the feedback views: loading items the user may see, list filters, form choices, the section tree."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from reviewtracker.documents.outline import tree_order
from reviewtracker.extensions import db
from reviewtracker.feedback import queries
from reviewtracker.feedback.forms import FeedbackForm
from reviewtracker.i18n import current_language
from reviewtracker.models import (
    DocumentVersion,
    Feedback,
    FeedbackState,
    FeedbackType,
    GuidingPrinciple,
    Objective,
    ReviewRound,
    Section,
    TriageStatus,
)
from reviewtracker.parsing import parse_id
from reviewtracker.permissions import can_view_feedback

INDENT = "\u2003"  # an em space per level of the section tree in select boxes
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


def list_filters() -> queries.FeedbackFilters:
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


def load_feedback(feedback_id: int) -> Feedback:
    """The item, or 404 when it does not exist or is not shared with the user (other countries' items)."""
    item = db.session.get(Feedback, feedback_id)
    if item is None or not can_view_feedback(current_user, item):
        abort(404)
    return item


def load_country_round(round_id: int) -> ReviewRound:
    """A round the user's country takes part in, or 404."""
    review_round = db.get_or_404(ReviewRound, round_id)
    if review_round.participant(current_user.country_id) is None:
        abort(404)
    return review_round


def round_version(review_round: ReviewRound, version_id: int | None) -> DocumentVersion:
    """A version under review in the round (the first one when none is asked), or 404."""
    versions = sorted(review_round.versions, key=lambda v: (v.document.position, v.document_id))
    if not versions:
        abort(404)
    if version_id is None:
        return versions[0]
    match = next((v for v in versions if v.id == version_id), None)
    if match is None:
        abort(404)
    return match


def section_tree(version: DocumentVersion) -> list[tuple[Section, int]]:
    """The version's sections in reading order, with their depth (the documents feature's one tree walk)."""
    return tree_order(version)


def fill_choices(form: FeedbackForm, version: DocumentVersion) -> list[tuple[Section, int]]:
    """Put the section, principle and objective choices on a feedback form; returns the section tree."""

    tree = section_tree(version)
    lang = current_language()
    sections = {"": _("The whole document (%(doc)s)", doc=version.document.code)}
    sections.update({str(s.id): f"{INDENT * depth}{s.code} {s.title_in(lang)}" for s, depth in tree})
    principles = {p.id: p.label for p in db.session.scalars(select(GuidingPrinciple).order_by(GuidingPrinciple.letter))}
    objectives = {o.id: o.label for o in db.session.scalars(select(Objective).order_by(Objective.number))}
    form.set_choices(sections, principles, objectives)
    return tree


def fill_from_item(form: FeedbackForm, item: Feedback) -> None:
    """Pre-fill a form from an item (GET of the edit page)."""
    form.section_id.data = str(item.section_id) if item.section_id else ""
    form.reference.data = item.reference or ""
    form.type.data = item.type.value
    form.priority.data = item.priority.value
    form.comment.data = item.comment
    form.proposed_change.data = item.proposed_change or ""
    form.language.data = item.language.value
    form.covid.data = item.covid
    form.principles.data = [p.id for p in item.principles]
    form.objectives.data = [o.id for o in item.objectives]
    form.usefulness_rating.data = str(item.usefulness_rating or "")
    form.clarity_rating.data = str(item.clarity_rating or "")
    form.lock_version.data = str(item.lock_version)
