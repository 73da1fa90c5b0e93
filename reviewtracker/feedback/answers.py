"""Services for a country's answers to a round's guiding questions (drafted by anyone, submitted by the focal point)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker import clock, permissions
from reviewtracker.audit import record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback.records import ConflictError
from reviewtracker.models import ActivityCategory, AnswerState, GuidingAnswer, GuidingQuestion, ReviewRound, User
from reviewtracker.models._base import MAX_COMMENT_CHARS, utcnow
from reviewtracker.spreadsheets import normalize_text


def find_answer(question: GuidingQuestion, country_id: int) -> GuidingAnswer | None:
    """The country's answer to a question, if any."""
    stmt = select(GuidingAnswer).where(GuidingAnswer.question_id == question.id, GuidingAnswer.country_id == country_id)
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class AnswerDraft:
    """One box of the questions page: the text sent, the version loaded and the digest of the text shown then."""

    question: GuidingQuestion
    text: str
    expected_version: int | None
    seen: str | None = None


class MissingAnswers(ValidationError):
    """Submitting was refused because some questions have no answer (`positions` are their numbers)."""

    def __init__(self, positions: list[int]) -> None:
        super().__init__(
            _(
                "Answer every question before submitting (missing: %(numbers)s).",
                numbers=", ".join(str(n) for n in positions),
            )
        )
        self.positions = positions


def text_digest(text: str | None) -> str:
    """A short fingerprint of an answer as shown on the page, to tell a box left untouched from one typed in."""
    return hashlib.sha256(normalize_text(text or "").encode()).hexdigest()[:16]


def _check_drafting(actor: User, review_round: ReviewRound, question: GuidingQuestion, today: date | None) -> None:
    if not permissions.can_draft_guiding_answer(actor, review_round) or question.round_id != review_round.id:
        raise WorkflowError(_("Your country does not answer this round's questions."))
    if not review_round.is_open_for(actor.country_id, today or clock.round_today()):
        raise WorkflowError(_("The round is closed: answers can no longer be changed."))


def _checked_text(text: str | None) -> str:
    text = normalize_text(text or "")
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(_("The answer is longer than %(n)d characters.", n=MAX_COMMENT_CHARS))
    return text


def _is_stale(answer: GuidingAnswer | None, expected_version: int | None) -> bool:
    """Whether someone saved the answer after the user loaded it (None: the user saw no answer yet)."""
    if answer is None:
        return False
    return bool(answer.text) if expected_version is None else expected_version != answer.lock_version


def _write(actor: User, question: GuidingQuestion, answer: GuidingAnswer | None, text: str) -> GuidingAnswer:
    """Store the draft text (the version column makes a parallel save of the same answer fail at flush)."""
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


def _left_alone(draft: AnswerDraft, answer: GuidingAnswer | None, text: str) -> bool:
    """The box holds the stored text, or still the text the page showed: there is nothing to save."""
    return text == (answer.text if answer is not None else "") or draft.seen == text_digest(text)


def conflicting(drafts: Sequence[AnswerDraft], answers: dict[int, GuidingAnswer]) -> set[int]:
    """Questions whose box was changed on top of an answer saved after the page was loaded (read-only)."""
    return {
        d.question.id
        for d in drafts
        if not _left_alone(d, answers.get(d.question.id), normalize_text(d.text or ""))
        and _is_stale(answers.get(d.question.id), d.expected_version)
    }


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
    _check_drafting(actor, review_round, question, today)
    text = _checked_text(text)
    answer = find_answer(question, actor.country_id)
    if answer is not None and answer.state == AnswerState.submitted:
        raise WorkflowError(_("Your country's answers were already submitted."))
    if _is_stale(answer, expected_version):
        raise ConflictError(
            _("Someone else saved this answer after you opened the page. Nothing was overwritten."), answer
        )
    return _write(actor, question, answer, text)


def save_guiding_answers(
    actor: User,
    review_round: ReviewRound,
    drafts: Sequence[AnswerDraft],
    *,
    submit: bool = False,
    today: date | None = None,
) -> list[GuidingAnswer]:
    """Save every box of the questions page as the country's draft, all or nothing, then submit if asked.

    A box whose text is unchanged, or still the text the page showed (its digest), is left alone, so that an
    answer someone else saved meanwhile is neither overwritten nor reported as a conflict. Any box changed on
    top of a newer answer raises ConflictError with the list of those answers, and nothing is saved.
    """
    changes, stale = [], []
    for draft in drafts:
        _check_drafting(actor, review_round, draft.question, today)
        text = _checked_text(draft.text)
        answer = find_answer(draft.question, actor.country_id)
        if _left_alone(draft, answer, text):
            continue
        if answer is not None and answer.state == AnswerState.submitted:
            raise WorkflowError(_("Your country's answers were already submitted."))
        if _is_stale(answer, draft.expected_version):
            stale.append(answer)
        else:
            changes.append((draft.question, answer, text))
    if stale:
        raise ConflictError(
            _("Someone else saved an answer after you opened the page. Nothing was overwritten."), stale
        )
    saved = [_write(actor, question, answer, text) for question, answer, text in changes]
    if submit:
        submit_guiding_answers(actor, review_round, today=today)
    return saved


def submit_guiding_answers(actor: User, review_round: ReviewRound, *, today: date | None = None) -> list[GuidingAnswer]:
    """The focal point submits the country's answers; every question needs an answer."""
    if not permissions.can_submit_guiding_answer(actor, review_round):
        raise WorkflowError(_("Only the focal point submits the country's answers."))
    if not review_round.is_open_for(actor.country_id, today or clock.round_today()):
        raise WorkflowError(_("The round is closed: answers can no longer be submitted."))
    answers = [find_answer(q, actor.country_id) for q in review_round.questions]
    missing = [q.position for q, a in zip(review_round.questions, answers, strict=True) if a is None or not a.text]
    if missing:
        raise MissingAnswers(missing)
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
