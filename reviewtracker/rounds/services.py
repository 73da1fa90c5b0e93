"""Administration of review rounds: dates, versions, participating countries, extensions, guiding questions."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from reviewtracker.audit import changes, record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.i18n import country_in_text
from reviewtracker.models import (
    ActivityCategory,
    Country,
    DocumentVersion,
    Feedback,
    GuidingAnswer,
    GuidingQuestion,
    ReviewRound,
    RoundCountry,
    User,
)
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_TITLE_CHARS
from reviewtracker.ordering import swap_with_neighbour
from reviewtracker.spreadsheets import normalize_text


def _check_round(name: str, opens_on: date, closes_on: date, versions: list[DocumentVersion]) -> str:
    name = normalize_text(name)
    if not name or len(name) > MAX_TITLE_CHARS:
        raise ValidationError(_("The name is required (at most %(n)d characters).", n=MAX_TITLE_CHARS))
    if closes_on < opens_on:
        raise ValidationError(_("The round cannot close before it opens."))
    if not versions:
        raise ValidationError(_("Choose at least one version under review."))
    return name


def save_round(
    actor: User | None,
    review_round: ReviewRound | None,
    *,
    name: str,
    description: str | None,
    opens_on: date,
    closes_on: date,
    allow_direct_submission: bool,
    versions: list[DocumentVersion],
    countries: list[Country],
) -> ReviewRound:
    """Create a round (review_round None) or change one; a country with feedback in it cannot leave it."""
    name = _check_round(name, opens_on, closes_on, versions)
    creating = review_round is None
    if creating:
        review_round = ReviewRound(name=name, opens_on=opens_on, closes_on=closes_on)
        db.session.add(review_round)
    before, after = changes(
        review_round,
        name=name,
        description=normalize_text(description or "") or None,
        opens_on=opens_on,
        closes_on=closes_on,
        allow_direct_submission=allow_direct_submission,
    )
    old_versions = sorted(v.id for v in review_round.versions)
    new_versions = sorted(v.id for v in versions)
    if old_versions != new_versions:
        review_round.versions = list(versions)
        before["versions"], after["versions"] = old_versions, new_versions
    _set_participants(review_round, countries, before, after)
    for part in review_round.participants:
        if part.extended_until is not None and part.extended_until < closes_on:
            # An extension that ends before the new closing date would shorten the country's time: drop it.
            before.setdefault("extensions", {})[part.country.code] = part.extended_until
            after.setdefault("extensions", {})[part.country.code] = None
            part.extended_until = None
    db.session.flush()
    if creating or after:
        action = "round.create" if creating else "round.update"
        record_activity(
            actor, ActivityCategory.admin, action, target=review_round, before=None if creating else before, after=after
        )
    return review_round


def _set_participants(review_round: ReviewRound, countries: list[Country], before: dict, after: dict) -> None:
    wanted = {c.id: c for c in countries}
    current = {p.country_id: p for p in review_round.participants}
    leaving = [p for cid, p in current.items() if cid not in wanted]
    if leaving and review_round.id is not None:
        with_feedback = db.session.scalars(
            select(Country.code)
            .join(Feedback, Feedback.country_id == Country.id)
            .where(Feedback.round_id == review_round.id, Country.id.in_([p.country_id for p in leaving]))
            .distinct()
        ).all()
        if with_feedback:
            raise WorkflowError(
                _(
                    "These countries already have feedback in this round and must stay in it: %(codes)s.",
                    codes=", ".join(sorted(with_feedback)),
                )
            )
    for part in leaving:
        review_round.participants.remove(part)
    for cid, country in wanted.items():
        if cid not in current:
            review_round.participants.append(RoundCountry(country=country))
    if leaving or set(wanted) - set(current):
        before["countries"] = sorted(p.country.code for p in current.values())
        after["countries"] = sorted(c.code for c in wanted.values())


def extend_deadline(actor: User | None, review_round: ReviewRound, country: Country, until: date | None) -> None:
    """Give one participating country a later closing date (None removes the extension)."""
    part = review_round.participant(country.id)
    if part is None:
        raise ValidationError(_("%(country)s does not take part in this round.", country=country_in_text(country)))
    if until is not None and until < review_round.closes_on:
        raise ValidationError(_("An extension cannot end before the round closes."))
    before, after = changes(part, extended_until=until)
    if after:
        db.session.flush()
        record_activity(
            actor,
            ActivityCategory.admin,
            "round.extend",
            target=review_round,
            country_id=country.id,
            before={"country": country.code, **before},
            after={"country": country.code, **after},
        )


def _question_texts(texts: dict[str, str | None]) -> dict[str, str | None]:
    values = {f"text_{lang}": normalize_text(texts.get(lang) or "") or None for lang in ("en", "fr", "es")}
    if not values["text_en"]:
        raise ValidationError(_("The English text is required."))
    if any(v and len(v) > MAX_COMMENT_CHARS for v in values.values()):
        raise ValidationError(_("A text is longer than %(n)d characters.", n=MAX_COMMENT_CHARS))
    return values


def add_question(actor: User | None, review_round: ReviewRound, texts: dict[str, str | None]) -> GuidingQuestion:
    """Add a guiding question at the end of the round's list."""
    values = _question_texts(texts)
    position = (
        db.session.scalar(select(func.max(GuidingQuestion.position)).where(GuidingQuestion.round_id == review_round.id))
        or 0
    ) + 1
    question = GuidingQuestion(round=review_round, position=position, **values)
    db.session.add(question)
    db.session.flush()
    record_activity(actor, ActivityCategory.admin, "question.create", target=question, after=values)
    return question


def update_question(actor: User | None, question: GuidingQuestion, texts: dict[str, str | None]) -> None:
    """Change a question's wording."""
    before, after = changes(question, **_question_texts(texts))
    if after:
        db.session.flush()
        record_activity(actor, ActivityCategory.admin, "question.update", target=question, before=before, after=after)


def move_question(actor: User | None, question: GuidingQuestion, direction: str) -> bool:
    """Move a question one place up or down; False when it is already first or last."""
    questions = sorted(question.round.questions, key=lambda q: (q.position, q.id))
    neighbour = swap_with_neighbour(questions, question, direction)
    if neighbour is None:
        return False
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "question.reorder",
        target=question,
        before={"position": neighbour.position},
        after={"position": question.position},
    )
    return True


def delete_question(actor: User | None, question: GuidingQuestion) -> None:
    """Delete a question nobody has answered yet."""
    if db.session.scalar(select(func.count(GuidingAnswer.id)).where(GuidingAnswer.question_id == question.id)):
        raise WorkflowError(_("Countries have answered this question; it cannot be deleted."))
    record_activity(
        actor,
        ActivityCategory.admin,
        "question.delete",
        target=question,
        before={"round": question.round_id, "text_en": question.text_en},
    )
    question.round.questions.remove(question)
    db.session.flush()
