"""Routes of the offline Excel template: download, upload, preview, confirm, history and undo.

The URLs stay under /feedback/, where the country's journey is: the template is a way of writing feedback.
"""

from __future__ import annotations

import time
from io import BytesIO

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reviewtracker import clock
from reviewtracker.errors import ServiceError, error_response
from reviewtracker.extensions import db
from reviewtracker.feedback_import import uploads
from reviewtracker.feedback_import.changes import plan_changes
from reviewtracker.feedback_import.columns import DEFAULT_MAX_ROWS, TEMPLATE_LANGUAGES
from reviewtracker.feedback_import.forms import ConfirmForm, UploadForm
from reviewtracker.feedback_import.importer import PREVIEW_ROWS, read_plan, translate_spreadsheet_error
from reviewtracker.feedback_import.services import (
    apply_import,
    can_be_undone,
    display_filename,
    duplicate_message,
    is_duplicate_import,
    race_message,
    undo_import,
)
from reviewtracker.feedback_import.template_builder import XLSX_MIMETYPE, build_template_bytes, load_template_data
from reviewtracker.i18n import current_language
from reviewtracker.models import FeedbackImport, ReviewRound, RoundCountry
from reviewtracker.parsing import parse_page
from reviewtracker.permissions import (
    COUNTRY_ROLES,
    can_create_feedback,
    can_undo_feedback_import,
    can_view_country_queue,
    require,
    role_required,
)
from reviewtracker.spreadsheets import SpreadsheetError, check_xlsx_upload, safe_download_name

bp = Blueprint("feedback_import", __name__, url_prefix="/feedback")

PENDING = "feedback_import"  # session key: {token, round_id, user_id, filename, sha256, at}
MAX_PROBLEMS_SHOWN = 500


def max_rows() -> int:
    """IMPORT_MAX_ROWS, or 5,000 rows per file."""
    return int(current_app.config.get("IMPORT_MAX_ROWS") or DEFAULT_MAX_ROWS)


def human_size(size: int) -> str:
    """5.0 MB, or 20 KB below a megabyte."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def _participating_round(round_id: int) -> ReviewRound:
    """The round, if the user's country takes part in it (else 404 or 403)."""
    review_round = db.get_or_404(ReviewRound, round_id)
    require(review_round.participant(current_user.country_id) is not None)
    return review_round


def _download(round_id: int, with_items: bool, stem: str):
    review_round = _participating_round(round_id)
    lang = request.args.get("lang") or current_language()
    lang = lang if lang in TEMPLATE_LANGUAGES else "en"
    data = load_template_data(
        review_round, current_user, lang=lang, today=clock.round_today(), max_rows=max_rows(), with_items=with_items
    )
    name = safe_download_name(f"{stem}-{current_user.country.code}-{review_round.id}-{lang}.xlsx")
    return send_file(
        BytesIO(build_template_bytes(data)), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name
    )


@bp.get("/rounds/<int:round_id>/template.xlsx")
@role_required(*COUNTRY_ROLES)
def template(round_id: int):
    """The empty offline template of a round, in ?lang=en|fr|es."""
    return _download(round_id, with_items=False, stem="feedback-template")


@bp.get("/rounds/<int:round_id>/our-feedback.xlsx")
@role_required(*COUNTRY_ROLES)
def roundtrip(round_id: int):
    """The country's feedback of a round in the template's format, with IDs, to edit offline."""
    return _download(round_id, with_items=True, stem="our-feedback")


def _start_page(review_round: ReviewRound, form: UploadForm, error: str | None = None, status: int = 200):
    return (
        render_template(
            "feedback_import/start.html",
            review_round=review_round,
            form=form,
            error=error,
            languages=TEMPLATE_LANGUAGES,
            max_rows=max_rows(),
            max_size=human_size(current_app.config["MAX_CONTENT_LENGTH"]),
            can_upload=can_create_feedback(current_user, review_round, clock.round_today()),
        ),
        status,
    )


@bp.get("/rounds/<int:round_id>/import")
@role_required(*COUNTRY_ROLES)
def start(round_id: int):
    """Download links and the upload form."""
    return _start_page(_participating_round(round_id), UploadForm())


@bp.post("/rounds/<int:round_id>/import")
@role_required(*COUNTRY_ROLES)
def upload(round_id: int):
    """Check the uploaded file, keep it under a generated name and show the preview."""
    review_round = _participating_round(round_id)
    require(can_create_feedback(current_user, review_round, clock.round_today()))
    form = UploadForm()
    if not form.validate_on_submit():
        return _start_page(review_round, form, status=400)
    sent = form.file.data
    try:
        data = check_xlsx_upload(
            sent.stream, filename=sent.filename, max_bytes=current_app.config["MAX_CONTENT_LENGTH"]
        )
    except SpreadsheetError as problem:
        return _start_page(review_round, form, error=translate_spreadsheet_error(problem), status=400)
    previous = session.get(PENDING) or {}
    uploads.discard_upload(previous.get("token"))
    token, sha256 = uploads.store_upload(data)
    session[PENDING] = {
        "token": token,
        "round_id": review_round.id,
        "user_id": current_user.id,
        "filename": display_filename(sent.filename),
        "sha256": sha256,
        "at": int(time.time()),
    }
    return redirect(url_for("feedback_import.preview"))


def _pending():
    """(pending dict, round, bytes) of this user's waiting upload, or None."""
    pending = session.get(PENDING)
    if not pending or pending.get("user_id") != current_user.id:
        return None
    data = uploads.load_upload(pending.get("token"))
    review_round = db.session.get(ReviewRound, pending.get("round_id"))
    if data is None or review_round is None or review_round.participant(current_user.country_id) is None:
        session.pop(PENDING, None)
        return None
    return pending, review_round, data


def _no_pending():
    flash(_("There is no uploaded file waiting, or it has expired. Upload it again."), "warning")
    return redirect(url_for("feedback_import.history"))


@bp.get("/imports/preview")
@role_required(*COUNTRY_ROLES)
def preview():
    """What confirming would create and update, and every problem, with nothing written yet."""
    found = _pending()
    if found is None:
        return _no_pending()
    pending, review_round, data = found
    plan = read_plan(data, review_round, current_user, max_rows=max_rows(), sha256=pending["sha256"])
    form = ConfirmForm()
    form.skip_rows.data = ",".join(str(planned.row) for planned in plan.locked)  # what "import the others" skips
    return render_template(
        "feedback_import/preview.html",
        pending=pending,
        review_round=review_round,
        plan=plan,
        problems=plan.problems[:MAX_PROBLEMS_SHOWN],
        first_rows=plan.new[:PREVIEW_ROWS],
        changes=plan_changes(plan),
        duplicate=duplicate_message(plan.duplicate_of) if plan.duplicate_of else None,
        form=form,
    )


@bp.post("/imports/confirm")
@role_required(*COUNTRY_ROLES)
def confirm():
    """Check the file again, then create and update everything in one transaction."""
    found = _pending()
    if found is None:
        return _no_pending()
    pending, review_round, data = found
    form = ConfirmForm()
    plan = read_plan(data, review_round, current_user, max_rows=max_rows(), sha256=pending["sha256"])
    try:
        record = apply_import(
            current_user,
            review_round,
            plan,
            filename=pending["filename"],
            sha256=pending["sha256"],
            submit=form.mode.data == "submit",
            today=clock.round_today(),
            skip_rows=form.skipped_rows(),
        )
        db.session.commit()
    except ServiceError as problem:
        db.session.rollback()
        flash(problem.message, "danger")
        return redirect(url_for("feedback_import.preview"))
    except IntegrityError as error:
        db.session.rollback()  # first: the session can load nothing until then
        if not is_duplicate_import(error):
            raise
        flash(race_message(), "warning")
        return redirect(url_for("feedback_import.preview"))  # which now names the import that won
    uploads.discard_upload(pending["token"])
    session.pop(PENDING, None)
    flash(
        _(
            "Imported: %(created)d items created, %(updated)d updated, %(conflicts)d conflicts left unchanged.",
            created=record.rows_created,
            updated=record.rows_updated,
            conflicts=len(plan.conflicts),
        ),
        "success",
    )
    if plan.locked:
        flash(
            ngettext(
                "%(num)d row that can no longer be changed was left out.",
                "%(num)d rows that can no longer be changed were left out.",
                len(plan.locked),
            ),
            "info",
        )
    return redirect(url_for("feedback_import.history"))


@bp.post("/imports/cancel")
@role_required(*COUNTRY_ROLES)
def cancel():
    """Forget the uploaded file without importing anything."""
    pending = session.pop(PENDING, None) or {}
    uploads.discard_upload(pending.get("token"))
    flash(_("The upload was cancelled; nothing was imported."), "info")
    return redirect(url_for("feedback_import.history"))


@bp.get("/imports")
@role_required(*COUNTRY_ROLES)
def history():
    """Uploads of the country (focal point) or of the user (contributor), and the rounds to import into."""
    stmt = select(FeedbackImport).where(FeedbackImport.country_id == current_user.country_id)
    if not can_view_country_queue(current_user):
        stmt = stmt.where(FeedbackImport.user_id == current_user.id)
    page = db.paginate(
        stmt.order_by(FeedbackImport.created_at.desc(), FeedbackImport.id.desc()),
        page=parse_page(request.args.get("page")),
        per_page=25,
    )
    rounds = db.session.scalars(
        select(ReviewRound)
        .join(RoundCountry)
        .where(RoundCountry.country_id == current_user.country_id)
        .order_by(ReviewRound.opens_on.desc())
    ).all()
    undoable = {r.id for r in page.items if can_undo_feedback_import(current_user, r) and can_be_undone(r)}
    return render_template("feedback_import/history.html", page=page, rounds=rounds, undoable=undoable)


@bp.post("/imports/<int:import_id>/undo")
@role_required(*COUNTRY_ROLES)
def undo(import_id: int):
    """Soft-delete the items an import created, while they are all still drafts."""
    record = db.get_or_404(FeedbackImport, import_id)
    if record.country_id != current_user.country_id:
        return error_response(404)
    require(can_undo_feedback_import(current_user, record))
    try:
        count = undo_import(current_user, record)
        db.session.commit()
    except ServiceError as problem:
        db.session.rollback()
        flash(problem.message, "danger")
        return redirect(url_for("feedback_import.history"))
    flash(_("The import was undone: %(n)d draft items were deleted.", n=count), "success")
    return redirect(url_for("feedback_import.history"))


def _too_large(error):
    """A file over the limit on the upload form: the form again, with the limit in words."""
    if request.endpoint == "feedback_import.upload" and current_user.is_authenticated:
        review_round = db.session.get(ReviewRound, (request.view_args or {}).get("round_id"))
        if review_round is not None and review_round.participant(current_user.country_id) is not None:
            size = human_size(current_app.config["MAX_CONTENT_LENGTH"])
            message = _("The file is larger than the limit of %(size)s; nothing was imported.", size=size)
            return _start_page(review_round, UploadForm(formdata=None), error=message, status=413)
    return error_response(413)


bp.register_error_handler(413, _too_large)
