"""Admin routes for importing a version's outline (preview, then confirm) and downloading it as Excel."""

from __future__ import annotations

import hashlib
import os

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.admin import outline_import
from reviewtracker.admin.forms import OutlineUploadForm
from reviewtracker.admin.uploads import discard_upload, keep_upload, kept_upload
from reviewtracker.admin.views import admin_only, attempt, bp
from reviewtracker.audit import record_activity
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, DocumentVersion
from reviewtracker.spreadsheets import safe_download_name

YAML_EXTENSIONS = (".yaml", ".yml")


def _parse(version: DocumentVersion, data: bytes, kind: str, filename: str):
    if kind == "xlsx":
        return outline_import.parse_xlsx(data, filename, current_app.config["MAX_CONTENT_LENGTH"])
    return outline_import.parse_yaml(data, version.document.code)


def _plan(version: DocumentVersion, data: bytes, kind: str, filename: str, mode: str):
    rows, problems = _parse(version, data, kind, filename)
    plan = outline_import.plan_outline(version, rows, mode, kind)
    plan.errors[:0] = problems  # reading problems first, then row rules
    return plan


@bp.route("/versions/<int:version_id>/outline/import", methods=["GET", "POST"])
@admin_only
def outline_import_page(version_id: int):
    """Upload a YAML or Excel outline and see what it would change; nothing is written yet."""
    version = db.get_or_404(DocumentVersion, version_id)
    form = OutlineUploadForm()
    if not form.validate_on_submit():
        return render_template("admin/outline_import.html", version=version, form=form)
    upload = form.file.data
    filename = upload.filename or ""
    kind = "yaml" if os.path.splitext(filename.lower())[1] in YAML_EXTENSIONS else "xlsx"
    data = upload.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    plan = _plan(version, data, kind, filename, form.mode.data)
    token = (
        None
        if plan.errors
        else keep_upload(data, version_id=version.id, mode=form.mode.data, kind=kind, filename=filename)
    )
    return render_template(
        "admin/outline_preview.html", version=version, plan=plan, token=token, filename=filename, kind=kind
    ), (200 if token else 400)


@bp.route("/versions/<int:version_id>/outline/confirm", methods=["POST"])
@admin_only
def outline_confirm(version_id: int):
    """Apply the previewed outline in one transaction, re-checked against the database as it is now."""
    version = db.get_or_404(DocumentVersion, version_id)
    kept = kept_upload(request.form.get("token", ""), version.id)
    if kept is None:
        flash(_("The preview has expired or was replaced; upload the file again."), "warning")
        return redirect(url_for("admin.outline_import_page", version_id=version.id))
    info, data = kept
    plan = _plan(version, data, info["kind"], info["filename"], info["mode"])
    if plan.errors:  # the outline changed since the preview
        return render_template(
            "admin/outline_preview.html",
            version=version,
            plan=plan,
            token=None,
            filename=info["filename"],
            kind=info["kind"],
        ), 409
    ok, counts = attempt(lambda: outline_import.apply_outline(current_user, version, plan, file_sha256=info["sha256"]))
    if ok:
        discard_upload()
        flash(
            _(
                "The outline is imported: %(added)d added, %(renamed)d renamed, %(moved)d moved, %(removed)d removed.",
                **counts,
            ),
            "success",
        )
    return redirect(url_for("admin.version", version_id=version.id))


@bp.route("/versions/<int:version_id>/outline.xlsx")
@admin_only
def outline_export(version_id: int):
    """The version's outline as an Excel file with the import columns (also the template to fill in)."""
    version = db.get_or_404(DocumentVersion, version_id)
    content = outline_import.outline_workbook(version)
    record_activity(
        current_user,
        ActivityCategory.export,
        "outline.export",
        target=version,
        after={"sha256": hashlib.sha256(content).hexdigest()},
    )
    db.session.commit()
    name = safe_download_name(f"outline-{version.document.code}-v{version.number}.xlsx")
    response = current_app.response_class(
        content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
