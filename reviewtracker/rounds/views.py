"""Routes of the rounds feature (administrators, /admin/... URLs): dates, versions, countries, extensions, questions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reviewtracker.documents.queries import all_versions
from reviewtracker.extensions import db
from reviewtracker.i18n import of_country
from reviewtracker.models import Country, DocumentVersion, GuidingQuestion, ReviewRound, Role
from reviewtracker.pages import attempt, paginate
from reviewtracker.permissions import role_required
from reviewtracker.rounds import queries, services
from reviewtracker.rounds.forms import ExtensionForm, QuestionForm, RoundForm

bp = Blueprint("rounds", __name__, url_prefix="/admin")
admin_only = role_required(Role.admin)


def _round_form(review_round: ReviewRound | None = None) -> RoundForm:
    form = RoundForm(obj=review_round)
    form.versions.choices = {v.id: v.display_name for v in all_versions()}
    countries = db.session.scalars(select(Country).order_by(Country.code))
    form.countries.choices = {
        c.id: f"{c.code} — {c.name}" for c in countries if c.active or _takes_part(c, review_round)
    }
    if review_round is not None and request.method == "GET":
        form.versions.data = [v.id for v in review_round.versions]
        form.countries.data = [p.country_id for p in review_round.participants]
    return form


def _takes_part(country: Country, review_round: ReviewRound | None) -> bool:
    return review_round is not None and review_round.participant(country.id) is not None


def _save(form: RoundForm, review_round: ReviewRound | None):
    versions = list(db.session.scalars(select(DocumentVersion).where(DocumentVersion.id.in_(form.versions.data))))
    countries = list(db.session.scalars(select(Country).where(Country.id.in_(form.countries.data or []))))
    return attempt(
        lambda: services.save_round(
            current_user,
            review_round,
            name=form.name.data,
            description=form.description.data,
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            allow_direct_submission=form.allow_direct_submission.data,
            versions=versions,
            countries=countries,
        )
    )


@bp.route("/rounds")
@admin_only
def rounds():
    """Review rounds, the newest first."""
    return render_template("rounds/rounds.html", page=paginate(queries.list_rounds()))


@bp.route("/rounds/new", methods=["GET", "POST"])
@admin_only
def round_new():
    """Create a round."""
    form = _round_form()
    if form.validate_on_submit():
        ok, review_round = _save(form, None)
        if ok:
            flash(_("The round is created; add its guiding questions."), "success")
            return redirect(url_for("rounds.round_detail", round_id=review_round.id))
    return render_template("admin/form.html", form=form, title=_("Create a round"), back=url_for("rounds.rounds"))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@admin_only
def round_edit(round_id: int):
    """Change a round's name, dates, versions, direct submission and countries."""
    review_round = db.get_or_404(ReviewRound, round_id)
    form = _round_form(review_round)
    if form.validate_on_submit() and _save(form, review_round)[0]:
        flash(_("The round is saved."), "success")
        return redirect(url_for("rounds.round_detail", round_id=review_round.id))
    back = url_for("rounds.round_detail", round_id=review_round.id)
    return render_template("admin/form.html", form=form, title=review_round.name, back=back)


@bp.route("/rounds/<int:round_id>")
@admin_only
def round_detail(round_id: int):
    """A round: its settings, participating countries with their extensions, and its guiding questions."""
    review_round = db.get_or_404(ReviewRound, round_id)
    return render_template(
        "rounds/round.html", round=review_round, question_form=QuestionForm(formdata=None), extension_form=ExtensionForm
    )


@bp.route("/rounds/<int:round_id>/extensions/<int:country_id>", methods=["POST"])
@admin_only
def round_extend(round_id: int, country_id: int):
    """Give one participating country a later closing date, or remove its extension."""
    review_round = db.get_or_404(ReviewRound, round_id)
    country = db.get_or_404(Country, country_id)
    form = ExtensionForm()
    if not form.validate_on_submit():
        flash(_("Enter a valid date."), "danger")
    else:
        ok, _result = attempt(
            lambda: services.extend_deadline(current_user, review_round, country, form.extended_until.data)
        )
        if ok:
            flash(_("The deadline %(of_country)s is saved.", of_country=of_country(country)), "success")
    return redirect(url_for("rounds.round_detail", round_id=review_round.id, _anchor="countries"))


@bp.route("/rounds/<int:round_id>/questions", methods=["POST"])
@admin_only
def question_add(round_id: int):
    """Add a guiding question to a round."""
    review_round = db.get_or_404(ReviewRound, round_id)
    form = QuestionForm()
    if form.validate_on_submit():
        texts = {"en": form.text_en.data, "fr": form.text_fr.data, "es": form.text_es.data}
        ok, _question = attempt(lambda: services.add_question(current_user, review_round, texts))
        if ok:
            flash(_("The question is added."), "success")
            return redirect(url_for("rounds.round_detail", round_id=review_round.id, _anchor="questions"))
    return render_template(
        "rounds/round.html", round=review_round, question_form=form, extension_form=ExtensionForm
    ), 400


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@admin_only
def question_edit(question_id: int):
    """Change a guiding question's wording."""
    question = db.get_or_404(GuidingQuestion, question_id)
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        texts = {"en": form.text_en.data, "fr": form.text_fr.data, "es": form.text_es.data}
        ok, _result = attempt(lambda: services.update_question(current_user, question, texts))
        if ok:
            flash(_("The question is saved."), "success")
            return redirect(url_for("rounds.round_detail", round_id=question.round_id, _anchor="questions"))
    back = url_for("rounds.round_detail", round_id=question.round_id)
    return render_template("admin/form.html", form=form, title=_("Edit the guiding question"), back=back)


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@admin_only
def question_move(question_id: int):
    """Move a guiding question one place up or down."""
    question = db.get_or_404(GuidingQuestion, question_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    attempt(lambda: services.move_question(current_user, question, direction))
    return redirect(url_for("rounds.round_detail", round_id=question.round_id, _anchor="questions"))


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@admin_only
def question_delete(question_id: int):
    """Delete a guiding question that has no answers."""
    question = db.get_or_404(GuidingQuestion, question_id)
    round_id = question.round_id
    ok, _result = attempt(lambda: services.delete_question(current_user, question))
    if ok:
        flash(_("The question is deleted."), "success")
    return redirect(url_for("rounds.round_detail", round_id=round_id, _anchor="questions"))
