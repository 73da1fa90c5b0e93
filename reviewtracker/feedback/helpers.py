"""Small helpers the feedback views share: loading items the user may see, form choices, the section tree."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.feedback.forms import FeedbackForm
from reviewtracker.i18n import current_language
from reviewtracker.models import DocumentVersion, Feedback, GuidingPrinciple, Objective, ReviewRound, Section
from reviewtracker.permissions import can_view_feedback

INDENT = "\u2003"  # an em space per level of the section tree in select boxes


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
    """The version's sections in reading order, with their depth."""
    sections = list(db.session.scalars(select(Section).where(Section.version_id == version.id)))
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    ordered: list[tuple[Section, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for section in sorted(children.get(parent_id, []), key=lambda s: (s.position, s.code)):
            ordered.append((section, depth))
            walk(section.id, depth + 1)

    walk(None, 0)
    return ordered


def fill_choices(form: FeedbackForm, version: DocumentVersion) -> list[tuple[Section, int]]:
    """Put the section, principle and objective choices on a feedback form; returns the section tree."""
    from flask_babel import gettext as _

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
