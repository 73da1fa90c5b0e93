"""Admin routes for guidance documents, their versions and the section tree of each version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.admin import documents_services as services
from reviewtracker.admin import queries
from reviewtracker.admin.forms import DocumentForm, MoveSectionForm, SectionForm, VersionForm
from reviewtracker.admin.options import section_options
from reviewtracker.admin.outline import tree_order
from reviewtracker.admin.views import admin_only, attempt, bp
from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.models import DocumentVersion, GuidanceDocument, Section, VersionStatus


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
        "admin/documents.html", documents=queries.list_documents(), section_counts=queries.section_counts()
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
            return redirect(url_for("admin.documents"))
    return render_template("admin/form.html", form=form, title=_("Add a document"), back=url_for("admin.documents"))


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
            return redirect(url_for("admin.version", version_id=version.id))
    title = _("Add a version of %(code)s", code=document.code)
    page = render_template("admin/form.html", form=form, title=title, back=url_for("admin.documents"))
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
            return redirect(url_for("admin.version", version_id=version.id))
    back = url_for("admin.version", version_id=version.id)
    page = render_template("admin/form.html", form=form, title=version.display_name, back=back)
    return page, 400 if form.errors else 200


def _version_page(version: DocumentVersion, add_form: SectionForm, status: int = 200):
    add_form.parent.choices = section_options(version)
    return render_template("admin/version.html", version=version, tree=tree_order(version), form=add_form), status


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
            return redirect(url_for("admin.version", version_id=version.id, _anchor=f"s{section.id}"))
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
            return redirect(url_for("admin.version", version_id=section.version_id, _anchor=f"s{section.id}"))
    return render_template("admin/section.html", section=section, form=form, move=move)


@bp.route("/sections/<int:section_id>/move", methods=["POST"])
@admin_only
def section_move(section_id: int):
    """Put a section (and its sub-sections) under another parent."""
    section = db.get_or_404(Section, section_id)
    form = MoveSectionForm()
    form.parent.choices = section_options(section.version, exclude=section)
    if not form.validate_on_submit():
        flash(_("Choose a valid parent section."), "danger")
        return redirect(url_for("admin.section_edit", section_id=section.id))
    parent = _parent(section.version, form.parent.data)
    ok, _result = attempt(lambda: services.move_section(current_user, section, parent))
    if ok:
        flash(_("The section %(code)s is moved.", code=section.code), "success")
    return redirect(url_for("admin.version", version_id=section.version_id, _anchor=f"s{section.id}"))


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
    return redirect(url_for("admin.version", version_id=section.version_id, _anchor=f"s{section.id}"))


@bp.route("/sections/<int:section_id>/delete", methods=["POST"])
@admin_only
def section_delete(section_id: int):
    """Delete a section without sub-sections, feedback or revision items."""
    section = db.get_or_404(Section, section_id)
    version_id, code = section.version_id, section.code
    ok, _result = attempt(lambda: services.delete_section(current_user, section))
    if ok:
        flash(_("The section %(code)s is deleted.", code=code), "success")
    return redirect(url_for("admin.version", version_id=version_id))
