"""The round's guiding questions: one answer per question per country, saved by anyone, submitted by the focal point."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.feedback import queries, services
from reviewtracker.feedback.answers import find_answer
from reviewtracker.feedback.forms import AnswerForm
from reviewtracker.feedback.helpers import load_country_round
from reviewtracker.feedback.views import bp
from reviewtracker.models import Role
from reviewtracker.permissions import (
    COUNTRY_ROLES,
    can_draft_guiding_answer,
    can_submit_guiding_answer,
    require,
    role_required,
)


def _page(review_round, *, typed=None, status=200):
    questions = review_round.questions
    answers = {
        a.question_id: a
        for a in db.session.scalars(queries.list_answers(current_user.country_id, [q.id for q in questions]))
    }
    return render_template(
        "feedback/questions.html", round=review_round, questions=questions, answers=answers, typed=typed or {}
    ), status


@bp.route("/rounds/<int:round_id>/questions", methods=["GET", "POST"])
@role_required(*COUNTRY_ROLES)
def questions(round_id: int):
    """Show the questions with the country's answers; POST saves one answer (optimistic locking)."""
    review_round = load_country_round(round_id)
    require(can_draft_guiding_answer(current_user, review_round))
    form = AnswerForm()
    if not form.is_submitted():
        return _page(review_round)
    question = next((q for q in review_round.questions if q.id == form.question_id.data), None)
    if question is None or not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors) or _("Unknown question."), "danger")
        return _page(review_round, typed={form.question_id.data: form.text.data}, status=400)
    expected = int(form.lock_version.data) if (form.lock_version.data or "").isdigit() else None
    try:
        services.save_guiding_answer(current_user, review_round, question, form.text.data, expected_version=expected)
        db.session.commit()
    except (services.ConflictError, StaleDataError, IntegrityError):
        db.session.rollback()
        current = find_answer(question, current_user.country_id)
        return render_template(
            "feedback/answer_conflict.html",
            round=review_round,
            question=question,
            current=current,
            typed=form.text.data,
        ), 409
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _page(review_round, typed={question.id: form.text.data}, status=error.status_code)
    flash(_("Answer to question %(n)d saved.", n=question.position), "success")
    return redirect(url_for("feedback.questions", round_id=round_id) + f"#q{question.id}")


@bp.route("/rounds/<int:round_id>/questions/submit", methods=["POST"])
@role_required(Role.focal_point)
def submit_answers(round_id: int):
    """The focal point submits the country's answers to the working group."""
    review_round = load_country_round(round_id)
    require(can_submit_guiding_answer(current_user, review_round))
    services.submit_guiding_answers(current_user, review_round)
    db.session.commit()
    flash(_("Your country's answers are submitted."), "success")
    return redirect(url_for("feedback.questions", round_id=round_id))
