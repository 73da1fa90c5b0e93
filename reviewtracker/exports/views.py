"""Routes of the exports feature: the Exports page, creating an export, downloads, the printable revision summary."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reviewtracker.errors import ServiceError
from reviewtracker.exports import services
from reviewtracker.exports.forms import ExportForm
from reviewtracker.exports.params import LANGUAGES, ExportParams, describe
from reviewtracker.exports.queries import list_exports
from reviewtracker.exports.revision_summary import revision_entries
from reviewtracker.extensions import db
from reviewtracker.feedback.defaults import default_round
from reviewtracker.i18n import current_language
from reviewtracker.models import Export, ExportKind, ReviewRound, Role
from reviewtracker.parsing import parse_id, parse_page
from reviewtracker.permissions import WORKING_GROUP, can_create_export, can_download_export, require, role_required
from reviewtracker.spreadsheets import safe_download_name

bp = Blueprint("exports", __name__, url_prefix="/exports")
EXPORT_ROLES = (*WORKING_GROUP, Role.focal_point)


def _page(form: ExportForm, status: int = 200):
    page = db.paginate(
        list_exports(current_user),
        page=parse_page(request.args.get("page")),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    summaries = {e.id: describe(ExportParams.from_json(e.params)) for e in page.items}
    return render_template("exports/index.html", form=form, page=page, summaries=summaries), status


@bp.route("/")
@role_required(*EXPORT_ROLES)
def index():
    """Stored exports the user may see, newest first, and the form to create one."""
    return _page(ExportForm.for_user(current_user, formdata=None))


@bp.route("/new", methods=["POST"])
@role_required(*EXPORT_ROLES)
def create():
    """Create an export; the rule is checked on the submitted kind and country before anything else."""
    try:
        kind = ExportKind(request.form.get("kind", ""))
    except ValueError:
        abort(400)
    require(can_create_export(current_user, kind, parse_id(request.form.get("country_id"), "country_id")))
    form = ExportForm.for_user(current_user)
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        export = services.run_export(current_user, kind, form.params())
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _page(form, error.status_code)
    except OSError:
        db.session.rollback()
        current_app.logger.exception("export failed")
        flash(_("The export could not be written (the disk may be full). Earlier exports are intact."), "danger")
        return _page(form, 503)
    flash(_("The export is ready: %(rows)d rows.", rows=export.rows), "success")
    return redirect(url_for("exports.index"))


@bp.route("/<int:export_id>/download")
@role_required(*EXPORT_ROLES)
def download(export_id: int):
    """Serve a stored file by its record; another country's matrix is 404, as if it did not exist."""
    export = db.get_or_404(Export, export_id)
    if not can_download_export(current_user, export):
        abort(404)
    path = services.export_path(export)
    if not path.is_file():
        abort(404)
    services.record_download(current_user, export)
    db.session.commit()
    extension = services.WRITERS[export.kind][1]
    response = send_file(
        path,
        mimetype=services.MIME_TYPES[extension],
        as_attachment=True,
        download_name=safe_download_name(export.filename, fallback=f"export.{extension}"),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/revisions")
@role_required(*WORKING_GROUP)
def revisions():
    """The revision summary as a printable page, in the interface language unless another is chosen."""
    rounds = list(db.session.scalars(select(ReviewRound).order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc())))
    fallback = default_round(current_user, rounds)  # the newest round with feedback
    round_id = parse_id(request.args.get("round_id"), "round_id") or (fallback.id if fallback else None)
    review_round = db.session.get(ReviewRound, round_id) if round_id else None
    if round_id and review_round is None:
        abort(404)
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_language()
    entries = revision_entries(ExportParams(round_id=round_id, lang=lang), current_user) if review_round else []
    return render_template(
        "exports/revisions.html", entries=entries, rounds=rounds, review_round=review_round, lang=lang
    )
