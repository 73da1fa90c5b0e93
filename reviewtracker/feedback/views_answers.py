"""The round's guiding questions: one form with every answer, drafted by anyone, submitted by the focal point."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.feedback import queries, services
from reviewtracker.feedback.answers import AnswerDraft, MissingAnswers, conflicting, text_digest
from reviewtracker.feedback.forms import AnswersForm
from reviewtracker.feedback.helpers import load_country_round
from reviewtracker.models import AnswerState, GuidingAnswer, ReviewRound, Role
from reviewtracker.parsing import to_int
from reviewtracker.permissions import (
    COUNTRY_ROLES,
    can_draft_guiding_answer,
    can_submit_guiding_answer,
    require,
    role_required,
)

# Nested in the feedback blueprint (feedback.views): endpoints feedback.answers.*, URLs under /feedback/.
bp = Blueprint("answers", __name__)


def _answers(review_round: ReviewRound) -> dict[int, GuidingAnswer]:
    ids = [q.id for q in review_round.questions]
    return {a.question_id: a for a in db.session.scalars(queries.list_answers(current_user.country_id, ids))}


def _entry_data(question_id: int, answer: GuidingAnswer | None) -> dict:
    text = answer.text if answer is not None else ""
    version = answer.lock_version if answer is not None else ""
    return {"question_id": question_id, "lock_version": version, "seen": text_digest(text), "text": text}


def _entries(review_round: ReviewRound, form: AnswersForm, answers: dict[int, GuidingAnswer]) -> dict:
    """The box of every open question: as posted when it was, else as stored."""
    entries = {entry.form.question_id.data: entry.form for entry in form.answers.entries}
    for question in review_round.questions:
        answer = answers.get(question.id)
        open_ = answer is None or answer.state != AnswerState.submitted
        if open_ and question.id not in entries:
            entries[question.id] = form.answers.append_entry(_entry_data(question.id, answer)).form
    return entries


def _page(review_round: ReviewRound, form: AnswersForm, *, status: int = 200, message: str = "", drafts=()):
    """The questions page; after a conflict, `drafts` are what the user sent, compared with the answers now."""
    answers = _answers(review_round)
    entries = _entries(review_round, form, answers)
    conflicts = conflicting(drafts, answers) if drafts else set()
    for question_id in conflicts:
        # Saving again is then a choice made with the other text in view: it replaces that text.
        entries[question_id].lock_version.data = answers[question_id].lock_version
        entries[question_id].seen.data = text_digest(answers[question_id].text)
    page = render_template(
        "feedback/questions.html",
        round=review_round,
        questions=review_round.questions,
        answers=answers,
        form=form,
        entries=entries,
        conflicts=conflicts,
        message=message,
    )
    return page, status


def _drafts(review_round: ReviewRound, form: AnswersForm) -> list[AnswerDraft]:
    """The posted boxes of this round's questions (boxes of other questions are ignored)."""
    questions = {q.id: q for q in review_round.questions}
    drafts = []
    for entry in (e.form for e in form.answers.entries):
        question = questions.get(entry.question_id.data)
        if question is None:
            continue
        version = to_int(entry.lock_version.data, low=0)  # unreadable: "saw no answer", a conflict if there is one
        drafts.append(AnswerDraft(question, entry.text.data or "", version, entry.seen.data or None))
    return drafts


@bp.route("/rounds/<int:round_id>/questions", methods=["GET", "POST"])
@role_required(*COUNTRY_ROLES)
def questions(round_id: int):
    """Show the questions with the country's answers in one form; POST saves every box as a draft."""
    review_round = load_country_round(round_id)
    require(can_draft_guiding_answer(current_user, review_round))
    form = AnswersForm()
    if not form.is_submitted():
        answers = _answers(review_round)
        data = [_entry_data(q.id, answers.get(q.id)) for q in review_round.questions]
        return _page(review_round, AnswersForm(formdata=None, answers=data))
    return _save(review_round, form, submit=False)


@bp.route("/rounds/<int:round_id>/questions/submit", methods=["POST"])
@role_required(Role.focal_point)
def submit(round_id: int):
    """The focal point saves the boxes as they are and submits the country's answers to the working group."""
    review_round = load_country_round(round_id)
    require(can_submit_guiding_answer(current_user, review_round))
    return _save(review_round, AnswersForm(), submit=True)


def _save(review_round: ReviewRound, form: AnswersForm, *, submit: bool):
    """Save all boxes (and submit); every refusal shows the same page again with all the typed text."""
    if not form.validate():
        return _page(review_round, form, status=400)
    drafts = _drafts(review_round, form)
    try:
        saved = services.save_guiding_answers(current_user, review_round, drafts, submit=submit)
        db.session.commit()
    except (services.ConflictError, StaleDataError, IntegrityError):
        # Nothing is read before the rollback; the page then compares the boxes with the answers as they are now.
        db.session.rollback()
        return _page(review_round, form, status=409, drafts=drafts)
    except MissingAnswers as error:
        db.session.rollback()
        positions = set(error.positions)
        for draft in drafts:
            if draft.question.position in positions:
                entry = next(e.form for e in form.answers.entries if e.form.question_id.data == draft.question.id)
                entry.text.errors = [*entry.text.errors, _("Answer this question before submitting.")]
        return _page(review_round, form, status=error.status_code, message=error.message)
    except ServiceError as error:
        db.session.rollback()
        return _page(review_round, form, status=error.status_code, message=error.message)
    if submit:
        flash(_("Your country's answers are submitted."), "success")
    elif saved:
        flash(ngettext("%(num)d answer saved as a draft.", "%(num)d answers saved as a draft.", len(saved)), "success")
    else:
        flash(_("No answer was changed."), "info")
    return redirect(url_for("feedback.answers.questions", round_id=review_round.id))
