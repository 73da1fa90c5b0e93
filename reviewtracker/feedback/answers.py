"""Services for a country's answers to a round's guiding questions (drafted by anyone, submitted by the focal point)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker import permissions
from reviewtracker.audit import record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, AnswerState, GuidingAnswer, GuidingQuestion, ReviewRound, User
from reviewtracker.models._base import MAX_COMMENT_CHARS, utcnow
from reviewtracker.spreadsheets import normalize_text


def find_answer(question: GuidingQuestion, country_id: int) -> GuidingAnswer | None:
    """The country's answer to a question, if any."""
    stmt = select(GuidingAnswer).where(GuidingAnswer.question_id == question.id, GuidingAnswer.country_id == country_id)
    return db.session.scalar(stmt)


def save_guiding_answer(
    actor: User,
    review_round: ReviewRound,
    question: GuidingQuestion,
    text: str,
    *,
    expected_version: int | None,
    today: date | None = None,
) -> GuidingAnswer:
    """Save the draft answer of the actor's country; `expected_version` None means "I saw no answer yet"."""
    from reviewtracker.feedback.services import ConflictError

    if not permissions.can_draft_guiding_answer(actor, review_round) or question.round_id != review_round.id:
        raise WorkflowError(_("Your country does not answer this round's questions."))
    if not review_round.is_open_for(actor.country_id, today or date.today()):
        raise WorkflowError(_("The round is closed: answers can no longer be changed."))
    text = normalize_text(text or "")
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(_("The answer is longer than %(n)d characters.", n=MAX_COMMENT_CHARS))
    answer = find_answer(question, actor.country_id)
    if answer is not None and answer.state == AnswerState.submitted:
        raise WorkflowError(_("Your country's answers were already submitted."))
    stale = (answer is not None and answer.text) if expected_version is None else None
    if answer is not None and expected_version is not None:
        stale = expected_version != answer.lock_version
    if stale:
        raise ConflictError(
            _("Someone else saved this answer after you opened the page. Nothing was overwritten."), answer
        )
    before = {"text_chars": len(answer.text)} if answer is not None else None
    if answer is None:
        answer = GuidingAnswer(question_id=question.id, country_id=actor.country_id, text=text)
        db.session.add(answer)
    answer.text = text
    answer.updated_by_id = actor.id
    answer.updated_at = utcnow()
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.feedback,
        "guiding_answer.save",
        target=answer,
        country_id=actor.country_id,
        before=before,
        after={"question": question.position, "text_chars": len(text)},
    )
    return answer


def submit_guiding_answers(actor: User, review_round: ReviewRound, *, today: date | None = None) -> list[GuidingAnswer]:
    """The focal point submits the country's answers; every question needs an answer."""
    if not permissions.can_submit_guiding_answer(actor, review_round):
        raise WorkflowError(_("Only the focal point submits the country's answers."))
    if not review_round.is_open_for(actor.country_id, today or date.today()):
        raise WorkflowError(_("The round is closed: answers can no longer be submitted."))
    answers = [find_answer(q, actor.country_id) for q in review_round.questions]
    missing = [str(q.position) for q, a in zip(review_round.questions, answers, strict=True) if a is None or not a.text]
    if missing:
        raise ValidationError(
            _("Answer every question before submitting (missing: %(numbers)s).", numbers=", ".join(missing))
        )
    if all(a.state == AnswerState.submitted for a in answers):
        raise WorkflowError(_("Your country's answers were already submitted."))
    now = utcnow()
    for answer in answers:
        answer.state, answer.submitted_by_id, answer.submitted_at = AnswerState.submitted, actor.id, now
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.feedback,
        "guiding_answer.submit",
        target=review_round,
        country_id=actor.country_id,
        after={"answers": len(answers)},
    )
    return answers
