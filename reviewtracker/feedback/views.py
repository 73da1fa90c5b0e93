"""Routes of the country's feedback journey: "Our feedback", the round overview, an item's page, and writing it.

Writing an item (new comment, edit, submit, withdraw, acknowledge, on-behalf entry) shares this blueprint, so
its endpoints stay `feedback.<verb>`. The guiding questions and the notifications are nested blueprints of
their own modules (`feedback.answers.*`, `feedback.notifications.*`), registered on this one: they import
nothing from this module, so there is no import at the bottom of a file and no cycle.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from reviewtracker import clock
from reviewtracker.consolidation.queries import list_country_queue
from reviewtracker.errors import ServiceError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback import queries, services, views_answers, views_notifications
from reviewtracker.feedback.forms import AcknowledgeForm, FeedbackForm, OnBehalfForm, options
from reviewtracker.feedback.helpers import (
    action_label,
    fill_choices,
    fill_from_item,
    list_filters,
    load_country_round,
    load_feedback,
    round_version,
    section_tree,
)
from reviewtracker.i18n import country_in_text, label
from reviewtracker.models import (
    DocumentVersion,
    Feedback,
    FeedbackState,
    FeedbackType,
    ReviewRound,
    Section,
    TriageStatus,
    User,
)
from reviewtracker.parsing import parse_id, parse_page, parse_version
from reviewtracker.permissions import (
    COUNTRY_ROLES,
    DECIDED,
    TRIAGERS,
    can_acknowledge_response,
    can_consolidate_feedback,
    can_edit_feedback,
    can_enter_feedback_on_behalf,
    can_withdraw_feedback,
    edit_was_overtaken,
    require,
    role_required,
    triage_outcome,
)

bp = Blueprint("feedback", __name__, url_prefix="/feedback")
bp.register_blueprint(views_answers.bp)
bp.register_blueprint(views_notifications.bp)


@bp.route("/")
@role_required(*COUNTRY_ROLES)
def index():
    """ "Our feedback": the country's items with filters, search, counts per state and the open rounds."""
    filters = list_filters()
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


def _render_form(form, review_round, version, *, item=None, status=200, title=None, on_behalf=False):
    """The comment form page (also re-shown with the typed text after any error)."""
    page = render_template(
        "feedback/form.html",
        form=form,
        round=review_round,
        version=version,
        item=item,
        title=title,
        on_behalf=on_behalf,
        closes_on=review_round.closes_on_for(current_user.country_id),
    )
    return page, status if status != 200 or not form.errors else 400


def _flash_normalised(form: FeedbackForm) -> None:
    if form.removed_characters():
        flash(_("Invisible control characters were removed from your text."), "warning")


def _existing_by_token(token: str | None) -> Feedback | None:
    """After a unique-token clash (two identical POSTs at once), the item the other request created."""
    return db.session.scalar(select(Feedback).where(Feedback.client_token == token)) if token else None


@bp.route("/rounds/<int:round_id>/new", methods=["GET", "POST"])
@role_required(*COUNTRY_ROLES)
def create(round_id: int):
    """Comment on a section (?section=) or the whole document of a version (?version=) of an open round."""
    review_round = load_country_round(round_id)
    version = round_version(review_round, parse_id(request.args.get("version"), "version"))
    if not review_round.is_open_for(current_user.country_id, clock.round_today()):
        flash(_("The round is not open for your country: nothing can be created or submitted."), "warning")
        return redirect(url_for("feedback.round_overview", round_id=round_id, version=version.id))
    form = FeedbackForm()
    fill_choices(form, version)
    if request.method == "GET":
        form.client_token.data = uuid.uuid4().hex
        form.section_id.data = request.args.get("section", "")
        form.language.data = current_user.locale or "en"
    if form.validate_on_submit():
        token = (form.client_token.data or "")[:64] or None
        try:
            item = services.create_feedback(
                current_user, review_round, form.to_input(version.id), today=clock.round_today(),
                client_token=token, submit=bool(form.submit.data),
            )  # fmt: skip
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            item = _existing_by_token(token)
            if item is None:
                raise
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return _render_form(form, review_round, version, status=error.status_code)
        _flash_normalised(form)
        flash(_("Feedback %(id)s saved (%(state)s).", id=item.display_id, state=_state(item)), "success")
        return redirect(url_for("feedback.detail", feedback_id=item.id))
    return _render_form(form, review_round, version)


def _state(item: Feedback) -> str:
    return label(item.state)


@bp.route("/<int:feedback_id>/edit", methods=["GET", "POST"])
@role_required(*COUNTRY_ROLES)
def edit(feedback_id: int):
    """Edit a draft/returned item (author) or a submitted one (focal point, with a reason); stale saves get a 409."""
    item = load_feedback(feedback_id)
    if request.method == "POST" and edit_was_overtaken(current_user, item):
        form = FeedbackForm()  # what the user typed, shown back next to the item as it is now
        fill_choices(form, item.version)
        return render_template("feedback/conflict.html", form=form, item=item), 409
    require(can_edit_feedback(current_user, item))
    form = FeedbackForm()
    fill_choices(form, item.version)
    if request.method == "GET":
        fill_from_item(form, item)
    editing_for_other = item.author_id != current_user.id
    if form.validate_on_submit():
        if editing_for_other and not (form.reason.data or "").strip():
            form.reason.errors = [_("Say why you edit someone else's comment.")]
            return _render_form(form, item.round, item.version, item=item, status=400)
        expected = parse_version(form.lock_version.data)  # unreadable: the conflict page, typed text kept
        submit = bool(form.submit.data) and not editing_for_other
        try:
            services.update_feedback(
                current_user, item, form.to_input(item.version_id), expected_version=expected, reason=form.reason.data
            )
            if submit:
                services.submit_feedback(current_user, item, today=clock.round_today())
            db.session.commit()
        except (services.ConflictError, StaleDataError):
            db.session.rollback()
            return render_template("feedback/conflict.html", form=form, item=load_feedback(feedback_id)), 409
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return _render_form(form, item.round, item.version, item=item, status=error.status_code)
        _flash_normalised(form)
        flash(_("Your changes to %(id)s are saved.", id=item.display_id), "success")
        return redirect(url_for("feedback.detail", feedback_id=item.id))
    return _render_form(form, item.round, item.version, item=item)


@bp.route("/<int:feedback_id>/submit", methods=["POST"])
@role_required(*COUNTRY_ROLES)
def submit(feedback_id: int):
    """The author submits a draft or returned item."""
    item = load_feedback(feedback_id)
    require(item.author_id == current_user.id)
    if not can_edit_feedback(current_user, item):  # a second click or another tab was first: a conflict, not a denial
        raise WorkflowError(
            _(
                "%(id)s was already submitted (now: %(state)s); nothing was changed.",
                id=item.display_id,
                state=_state(item),
            )
        )
    services.submit_feedback(current_user, item, today=clock.round_today())
    db.session.commit()
    flash(_("%(id)s is submitted: %(state)s.", id=item.display_id, state=_state(item)), "success")
    return redirect(url_for("feedback.detail", feedback_id=item.id))


@bp.route("/<int:feedback_id>/withdraw", methods=["POST"])
@role_required(*COUNTRY_ROLES)
def withdraw(feedback_id: int):
    """The author withdraws an item before it reaches the working group."""
    item = load_feedback(feedback_id)
    require(can_withdraw_feedback(current_user, item))
    services.withdraw_feedback(current_user, item)
    db.session.commit()
    flash(_("%(id)s is withdrawn.", id=item.display_id), "info")
    return redirect(url_for("feedback.detail", feedback_id=item.id))


@bp.route("/<int:feedback_id>/acknowledge", methods=["POST"])
@role_required(*COUNTRY_ROLES)
def acknowledge(feedback_id: int):
    """The author or the focal point agrees or disagrees with the published response."""
    item = load_feedback(feedback_id)
    require(can_acknowledge_response(current_user, item))
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        flash(_("Choose whether you agree or disagree."), "danger")
        return redirect(url_for("feedback.detail", feedback_id=item.id))
    services.acknowledge_response(current_user, item, agree=form.agree.data == "agree", comment=form.comment.data)
    db.session.commit()
    flash(_("Thank you: your reaction to the response is recorded."), "success")
    return redirect(url_for("feedback.detail", feedback_id=item.id))


@bp.route("/rounds/<int:round_id>/on-behalf", methods=["GET", "POST"])
@role_required(*TRIAGERS)
def on_behalf(round_id: int):
    """A co-lead or admin types in feedback a participating country sent by e-mail (recorded as such)."""
    require(can_enter_feedback_on_behalf(current_user))
    review_round = db.get_or_404(ReviewRound, round_id)
    version = round_version(review_round, parse_id(request.args.get("version"), "version"))
    form = OnBehalfForm()
    fill_choices(form, version)
    form.country_id.choices = options({p.country_id: p.country.name for p in review_round.participants})
    if request.method == "GET":
        form.client_token.data = uuid.uuid4().hex
    if form.validate_on_submit():
        country = next(p.country for p in review_round.participants if p.country_id == form.country_id.data)
        try:
            item = services.create_feedback(
                current_user, review_round, form.to_input(version.id), today=clock.round_today(),
                client_token=(form.client_token.data or "")[:64] or None, country=country,
            )  # fmt: skip
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return _render_form(form, review_round, version, status=error.status_code, on_behalf=True)
        where = country_in_text(country)
        flash(_("%(id)s was entered for %(country)s and forwarded.", id=item.display_id, country=where), "success")
        return redirect(url_for("feedback.detail", feedback_id=item.id))
    return _render_form(form, review_round, version, on_behalf=True)
