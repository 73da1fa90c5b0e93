"""Routes of the revisions feature: revision items, the next draft of a document, response templates."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reviewtracker.documents import services as documents_services
from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.models import (
    Activity,
    ActivityCategory,
    DocumentVersion,
    GuidanceDocument,
    RevisionItem,
    RevisionStatus,
)
from reviewtracker.parsing import parse_version
from reviewtracker.permissions import TRIAGERS, WORKING_GROUP, role_required
from reviewtracker.revisions import forms, queries, services
from reviewtracker.revisions.services import RevisionConflictError
from reviewtracker.revisions.workflow import allowed_moves

bp = Blueprint("revisions", __name__, url_prefix="/revisions")


@bp.get("/")
@role_required(*WORKING_GROUP)
def index():
    """Revision items grouped by target section, with comment and country counts."""
    raw = request.args.get("status") or None
    status = RevisionStatus(raw) if raw in RevisionStatus.__members__ else None
    return render_template(
        "revisions/index.html",
        groups=queries.grouped_by_section(status),
        counts=queries.link_counts(current_user),
        status=status,
        statuses={s.value: s for s in RevisionStatus},
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*TRIAGERS)
def create():
    """Create a revision item (optionally pre-filled with feedback to link: ?feedback=1&feedback=2)."""
    form = forms.RevisionItemForm()
    form.load_choices()
    if form.validate_on_submit():
        item = services.create_revision_item(
            current_user,
            title=form.title.data,
            description=form.description.data,
            section_ids=form.sections.data or [],
            owner_agency_id=int(form.owner_agency.data) if form.owner_agency.data else None,
        )
        db.session.commit()
        flash(_("Revision item %(code)s created.", code=item.code), "success")
        return redirect(url_for("revisions.detail", item_id=item.id))
    return render_template("revisions/form.html", form=form, item=None), 400 if form.errors else 200


@bp.get("/<int:item_id>")
@role_required(*WORKING_GROUP)
def detail(item_id: int):
    """An item with its linked comments, countries and counts, and its history."""
    item = db.get_or_404(RevisionItem, item_id)
    rows = queries.linked_feedback(current_user, item)
    form = _edit_form(item, formdata=None)
    history = db.session.scalars(
        select(Activity)
        .where(
            Activity.category == ActivityCategory.revision,
            Activity.target_type == "RevisionItem",
            Activity.target_id == item.id,
        )
        .order_by(Activity.created_at, Activity.id)
    )
    return render_template(
        "revisions/detail.html",
        item=item,
        rows=rows,
        countries=queries.country_counts(rows),
        form=form,
        history=list(history),
    )


def _edit_form(item: RevisionItem, formdata=None) -> forms.RevisionItemForm:
    """The edit form: from the item (GET) or from the posted data."""
    if formdata is None:
        form = forms.RevisionItemForm(
            formdata=None,
            version=item.lock_version,
            title=item.title,
            description=item.description,
            sections=[s.id for s in item.sections],
            owner_agency=str(item.owner_agency_id or ""),
            status=item.status.value,
            applied_version=str(item.applied_version_id or ""),
        )
    else:
        form = forms.RevisionItemForm()
    form.load_choices([item.status, *allowed_moves(item.status)])
    return form


@bp.post("/<int:item_id>")
@role_required(*TRIAGERS)
def update(item_id: int):
    """Save an item's fields and status; a stale version shows both versions (409)."""
    item = db.get_or_404(RevisionItem, item_id)
    form = _edit_form(item, formdata=request.form)
    if not form.validate():
        return render_template("revisions/form.html", form=form, item=item), 400
    try:
        services.update_revision_item(
            current_user,
            item,
            expected_version=parse_version(form.version.data),
            title=form.title.data,
            description=form.description.data,
            section_ids=form.sections.data or [],
            owner_agency_id=form.owner_agency.data or None,
            status=form.status.data or item.status,
            applied_version_id=form.applied_version.data or None,
        )
    except RevisionConflictError:
        db.session.rollback()
        db.session.refresh(item)
        return render_template("revisions/conflict.html", item=item, form=form), 409
    db.session.commit()
    flash(_("Revision item %(code)s saved.", code=item.code), "success")
    return redirect(url_for("revisions.detail", item_id=item.id))


@bp.route("/next-version", methods=["GET", "POST"])
@role_required(*TRIAGERS)
def next_version():
    """Create the next version of a document (its section tree copied with predecessors)."""
    form = forms.NextVersionForm()
    form.load_choices(request.args.get("document"))
    if form.validate_on_submit():
        document = db.get_or_404(GuidanceDocument, int(form.document.data))
        try:
            version = documents_services.create_version(current_user, document, label=form.label.data)
        except ServiceError as error:
            db.session.rollback()
            field = form.label if isinstance(error, documents_services.LabelError) else form.document
            field.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("%(name)s created.", name=version.display_name), "success")
            return redirect(url_for("revisions.next_version", document=document.id))
    versions = db.session.scalars(select(DocumentVersion).order_by(DocumentVersion.document_id, DocumentVersion.number))
    return render_template(
        "revisions/next_version.html", form=form, versions=list(versions)
    ), 400 if form.errors else 200


from reviewtracker.revisions import response_template_views  # noqa: E402,F401 - registers the response-template routes
