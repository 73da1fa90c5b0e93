"""Routes of the documents feature: documents, versions, each version's section tree and its outline import.

Every page is for administrators and keeps its /admin/... URL.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.audit import record_activity
from reviewtracker.documents import outline_import, queries, services
from reviewtracker.documents.forms import (
    DocumentForm,
    MoveSectionForm,
    OutlineUploadForm,
    SectionForm,
    VersionForm,
    section_options,
)
from reviewtracker.documents.outline import tree_order
from reviewtracker.documents.uploads import discard_upload, keep_upload, kept_upload
from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, DocumentVersion, GuidanceDocument, Role, Section, VersionStatus
from reviewtracker.pages import attempt
from reviewtracker.permissions import role_required
from reviewtracker.spreadsheets import safe_download_name

bp = Blueprint("documents", __name__, url_prefix="/admin")
admin_only = role_required(Role.admin)

YAML_EXTENSIONS = (".yaml", ".yml")


def _titles(form) -> dict[str, str | None]:
    return {"en": form.title_en.data, "fr": form.title_fr.data, "es": form.title_es.data}


def _parent(version: DocumentVersion, parent_id: int | None) -> Section | None:
    parent = db.session.get(Section, parent_id) if parent_id else None
    if parent_id and (parent is None or parent.version_id != version.id):
        abort(400)
    return parent


def _attempt_labelled(form: VersionForm, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Like attempt(), but a refused label is shown on the label field (the typed text kept) rather than flashed."""
    try:
        result = action()
    except services.LabelError as error:
        db.session.rollback()
        form.label.errors.append(error.message)
        return False, None
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return False, None
    db.session.commit()
    return True, result


@bp.route("/documents")
@admin_only
def documents():
    """Documents with their versions and number of sections."""
    return render_template(
        "documents/documents.html", documents=queries.list_documents(), section_counts=queries.section_counts()
    )


@bp.route("/documents/new", methods=["GET", "POST"])
@admin_only
def document_new():
    """Add a guidance document."""
    form = DocumentForm()
    if form.validate_on_submit():
        ok, _doc = attempt(lambda: services.create_document(current_user, code=form.code.data, titles=_titles(form)))
        if ok:
            flash(_("The document is added; add its first version."), "success")
            return redirect(url_for("documents.documents"))
    return render_template("admin/form.html", form=form, title=_("Add a document"), back=url_for("documents.documents"))


@bp.route("/documents/<int:document_id>/versions/new", methods=["GET", "POST"])
@admin_only
def version_new(document_id: int):
    """Add the next version of a document: an empty tree or a copy of the previous version's tree."""
    document = db.get_or_404(GuidanceDocument, document_id)
    form = VersionForm(status=VersionStatus.draft.value, label=services.next_free_label(document))
    if not document.versions:
        del form.start
    if form.validate_on_submit():
        copy = form.start is not None and form.start.data == "copy"
        ok, version = _attempt_labelled(
            form,
            lambda: services.create_version(
                current_user,
                document,
                label=form.label.data,
                status=VersionStatus(form.status.data),
                copy_previous=copy,
            ),
        )
        if ok:
            flash(_("The version is added."), "success")
            return redirect(url_for("documents.version", version_id=version.id))
    title = _("Add a version of %(code)s", code=document.code)
    page = render_template("admin/form.html", form=form, title=title, back=url_for("documents.documents"))
    return page, 400 if form.errors else 200


@bp.route("/versions/<int:version_id>/edit", methods=["GET", "POST"])
@admin_only
def version_edit(version_id: int):
    """Rename a version or change its status."""
    version = db.get_or_404(DocumentVersion, version_id)
    form = VersionForm(obj=version)
    del form.start
    if form.validate_on_submit():
        ok, _result = _attempt_labelled(
            form,
            lambda: services.update_version(
                current_user, version, label=form.label.data, status=VersionStatus(form.status.data)
            ),
        )
        if ok:
            flash(_("The version is saved."), "success")
            return redirect(url_for("documents.version", version_id=version.id))
    back = url_for("documents.version", version_id=version.id)
    page = render_template("admin/form.html", form=form, title=version.display_name, back=back)
    return page, 400 if form.errors else 200


def _version_page(version: DocumentVersion, add_form: SectionForm, status: int = 200):
    add_form.parent.choices = section_options(version)
    return render_template("documents/version.html", version=version, tree=tree_order(version), form=add_form), status


@bp.route("/versions/<int:version_id>")
@admin_only
def version(version_id: int):
    """A version's section tree, with forms to add, rename, move, reorder and delete sections."""
    version = db.get_or_404(DocumentVersion, version_id)
    return _version_page(version, SectionForm(formdata=None))


@bp.route("/versions/<int:version_id>/sections", methods=["POST"])
@admin_only
def section_add(version_id: int):
    """Add a section under a parent (or at the top) of a version."""
    version = db.get_or_404(DocumentVersion, version_id)
    form = SectionForm()
    form.parent.choices = section_options(version)
    if form.validate_on_submit():
        parent = _parent(version, form.parent.data)
        ok, section = attempt(
            lambda: services.add_section(
                current_user, version, parent=parent, code=form.code.data, titles=_titles(form)
            )
        )
        if ok:
            flash(_("The section %(code)s is added.", code=section.code), "success")
            return redirect(url_for("documents.version", version_id=version.id, _anchor=f"s{section.id}"))
    return _version_page(version, form, 400 if form.errors else 200)


@bp.route("/sections/<int:section_id>", methods=["GET", "POST"])
@admin_only
def section_edit(section_id: int):
    """Rename a section (code and titles); the page also offers moving it under another parent."""
    section = db.get_or_404(Section, section_id)
    form = SectionForm(obj=section)
    del form.parent
    move = MoveSectionForm(formdata=None, parent=section.parent_id)
    move.parent.choices = section_options(section.version, exclude=section)
    if form.validate_on_submit():
        ok, _result = attempt(
            lambda: services.update_section(current_user, section, code=form.code.data, titles=_titles(form))
        )
        if ok:
            flash(_("The section %(code)s is saved.", code=section.code), "success")
            return redirect(url_for("documents.version", version_id=section.version_id, _anchor=f"s{section.id}"))
    return render_template("documents/section.html", section=section, form=form, move=move)


@bp.route("/sections/<int:section_id>/move", methods=["POST"])
@admin_only
def section_move(section_id: int):
    """Put a section (and its sub-sections) under another parent."""
    section = db.get_or_404(Section, section_id)
    form = MoveSectionForm()
    form.parent.choices = section_options(section.version, exclude=section)
    if not form.validate_on_submit():
        flash(_("Choose a valid parent section."), "danger")
        return redirect(url_for("documents.section_edit", section_id=section.id))
    parent = _parent(section.version, form.parent.data)
    ok, _result = attempt(lambda: services.move_section(current_user, section, parent))
    if ok:
        flash(_("The section %(code)s is moved.", code=section.code), "success")
    return redirect(url_for("documents.version", version_id=section.version_id, _anchor=f"s{section.id}"))


@bp.route("/sections/<int:section_id>/reorder", methods=["POST"])
@admin_only
def section_reorder(section_id: int):
    """Move a section one place up or down among its siblings."""
    section = db.get_or_404(Section, section_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    ok, moved = attempt(lambda: services.reorder_section(current_user, section, direction))
    if ok and not moved:
        flash(_("The section is already first or last at its level."), "info")
    return redirect(url_for("documents.version", version_id=section.version_id, _anchor=f"s{section.id}"))


@bp.route("/sections/<int:section_id>/delete", methods=["POST"])
@admin_only
def section_delete(section_id: int):
    """Delete a section without sub-sections, feedback or revision items."""
    section = db.get_or_404(Section, section_id)
    version_id, code = section.version_id, section.code
    ok, _result = attempt(lambda: services.delete_section(current_user, section))
    if ok:
        flash(_("The section %(code)s is deleted.", code=code), "success")
    return redirect(url_for("documents.version", version_id=version_id))


# --- The outline import: preview, then confirm; and the outline as Excel ---------------------------


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
        return render_template("documents/outline_import.html", version=version, form=form)
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
        "documents/outline_preview.html", version=version, plan=plan, token=token, filename=filename, kind=kind
    ), (200 if token else 400)


@bp.route("/versions/<int:version_id>/outline/confirm", methods=["POST"])
@admin_only
def outline_confirm(version_id: int):
    """Apply the previewed outline in one transaction, re-checked against the database as it is now."""
    version = db.get_or_404(DocumentVersion, version_id)
    kept = kept_upload(request.form.get("token", ""), version.id)
    if kept is None:
        flash(_("The preview has expired or was replaced; upload the file again."), "warning")
        return redirect(url_for("documents.outline_import_page", version_id=version.id))
    info, data = kept
    plan = _plan(version, data, info["kind"], info["filename"], info["mode"])
    if plan.errors:  # the outline changed since the preview
        return render_template(
            "documents/outline_preview.html",
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
    return redirect(url_for("documents.version", version_id=version.id))


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
