"""Item actions of the triage page: each view loads, checks, calls one service, commits and redirects."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.i18n import label
from reviewtracker.models import Feedback, LeadAgency, RevisionItem, TriageNote, TriageStatus, User
from reviewtracker.parsing import parse_version, to_int, whole_number_message
from reviewtracker.permissions import TRIAGERS, role_required
from reviewtracker.revisions.services import link_revision_item, unlink_revision_item
from reviewtracker.triage import forms, services
from reviewtracker.triage.services import ConflictError
from reviewtracker.triage.views import bp, detail_context, load_item
from reviewtracker.triage.workflow import allowed_moves


def _back(feedback: Feedback, anchor: str = ""):
    return redirect(url_for("triage.detail", feedback_id=feedback.id) + (f"#{anchor}" if anchor else ""))


def _invalid(feedback: Feedback, **forms_with_errors):
    """Re-show the item page with the form's errors and the typed text (400)."""
    db.session.rollback()
    return render_template(
        "triage/detail.html", feedback=feedback, **detail_context(feedback, **forms_with_errors)
    ), 400


def _guarded(feedback: Feedback, call: Callable[[], object], message: str, anchor: str, *, field=None, **invalid):
    """Run the service; a stale version shows the conflict page with both versions, nothing overwritten.

    With `field` (and the form as `<name>_form=form`), a rule the service refuses is shown on that field of the
    item page, like a validation error, instead of a bare error page.
    """
    try:
        call()
    except ConflictError:
        db.session.rollback()
        db.session.refresh(feedback)
        return conflict_page(feedback)
    except ServiceError as error:
        if field is None:
            raise
        field.errors = [*field.errors, error.message]
        return _invalid(feedback, **invalid)
    db.session.commit()
    flash(message, "success")
    return _back(feedback, anchor)


def conflict_page(feedback: Feedback):
    """409: what the user sent next to the item as it is now, with a form to save the typed values again."""
    yours = {k: v for k, v in request.form.items(multi=True) if k not in ("csrf_token", "version", "submit")}
    current = {
        "status": label(feedback.status),
        "assignee": feedback.assignee.name if feedback.assignee else "",
        "lead_agency": feedback.lead_agency.code if feedback.lead_agency else "",
        "tags": ", ".join(t.name for t in feedback.tags),
        "text": feedback.response.text if feedback.response else "",
        "language": feedback.response.language.value if feedback.response else "",
    }
    fields = list(request.form.items(multi=True))
    return (
        render_template(
            "triage/conflict.html", feedback=feedback, yours=yours, current=current, fields=fields, action=request.path
        ),
        409,
    )


def _item_and_form(feedback_id: int, form_class: type, name: str):
    """The item the user may change, its posted form with choices loaded, and the page again if the form is invalid."""
    feedback = load_item(feedback_id)
    form = form_class()
    form.load_choices()
    return feedback, form, (None if form.validate() else _invalid(feedback, **{name: form}))


@bp.post("/<int:feedback_id>/status")
@role_required(*TRIAGERS)
def change_status(feedback_id: int):
    """Move the item along the workflow table."""
    feedback = load_item(feedback_id)
    form = forms.StatusForm()
    form.set_moves(allowed_moves(feedback.status, current_user.role))
    if not form.validate():
        return _invalid(feedback, status_form=form)
    if form.duplicate_of.data is not None and to_int(form.duplicate_of.data, low=1) is None:  # no item has it
        form.duplicate_of.errors = [whole_number_message(str(form.duplicate_of.label.text))]
        return _invalid(feedback, status_form=form)
    original = db.session.get(Feedback, form.duplicate_of.data) if form.duplicate_of.data else None
    return _guarded(
        feedback,
        lambda: services.change_status(
            current_user,
            feedback,
            form.status.data,
            expected_version=parse_version(form.version.data),
            duplicate_of=original,
        ),
        _("Status changed."),
        "decision",
        field=form.duplicate_of if form.status.data == TriageStatus.duplicate.value else form.status,
        status_form=form,
    )


@bp.post("/<int:feedback_id>/assign")
@role_required(*TRIAGERS)
def assign(feedback_id: int):
    """Assign to a co-lead and a lead agency."""
    feedback, form, invalid = _item_and_form(feedback_id, forms.AssignForm, "assign_form")
    if invalid is not None:
        return invalid
    assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
    agency = db.session.get(LeadAgency, int(form.lead_agency.data)) if form.lead_agency.data else None
    return _guarded(
        feedback,
        lambda: services.assign_feedback(
            current_user,
            feedback,
            assignee=assignee,
            lead_agency=agency,
            expected_version=parse_version(form.version.data),
        ),
        _("Assignment saved."),
        "assignment",
    )


@bp.post("/<int:feedback_id>/tags")
@role_required(*TRIAGERS)
def tags(feedback_id: int):
    """Replace the working group's free tags, principles and objectives (never the submitter's)."""
    feedback, form, invalid = _item_and_form(feedback_id, forms.TagsForm, "tags_form")
    if invalid is not None:
        return invalid
    return _guarded(
        feedback,
        lambda: services.set_tags(
            current_user,
            feedback,
            tag_names=(form.tags.data or "").split(","),
            principle_ids=form.principles.data or [],
            objective_ids=form.objectives.data or [],
            expected_version=parse_version(form.version.data),
        ),
        _("Tags saved."),
        "tags-section",  # not "tags": that is the id of the tags field inside the section
    )


@bp.post("/<int:feedback_id>/notes")
@role_required(*TRIAGERS)
def add_note(feedback_id: int):
    """Add a private note or a reply."""
    feedback = load_item(feedback_id)
    form = forms.NoteForm()
    if not form.validate():
        return _invalid(feedback, note_form=form)
    parent_id = to_int(form.parent_id.data, low=1)
    if form.parent_id.data and parent_id is None:  # a hidden field: re-show the page with the note kept
        form.body.errors = [whole_number_message("parent_id")]
        return _invalid(feedback, note_form=form)
    parent = db.session.get(TriageNote, parent_id) if parent_id is not None else None
    services.add_note(current_user, feedback, form.body.data, parent=parent)
    db.session.commit()
    flash(_("Note added."), "success")
    return _back(feedback, "notes")


@bp.post("/<int:feedback_id>/response")
@role_required(*TRIAGERS)
def save_response(feedback_id: int):
    """Save the response draft, or publish it."""
    feedback, form, invalid = _item_and_form(feedback_id, forms.ResponseForm, "response_form")
    if invalid is not None:
        return invalid
    publish = bool(form.publish.data)
    return _guarded(
        feedback,
        lambda: services.save_response(
            current_user,
            feedback,
            text=form.text.data,
            language=form.language.data,
            publish=publish,
            expected_version=parse_version(form.version.data),
        ),
        _("Response published.") if publish else _("Response draft saved."),
        "response",
    )


@bp.post("/<int:feedback_id>/publish")
@role_required(*TRIAGERS)
def publish(feedback_id: int):
    """Publish the drafted response as it is."""
    feedback = load_item(feedback_id)
    version = parse_version(request.form.get("version"))
    return _guarded(
        feedback,
        lambda: (
            services.check_version(feedback, version),
            services.publish_response(current_user, feedback),
        ),
        _("Response published."),
        "response",
    )


@bp.post("/<int:feedback_id>/link")
@role_required(*TRIAGERS)
def link(feedback_id: int):
    """Link the item to a revision item."""
    feedback, form, invalid = _item_and_form(feedback_id, forms.LinkForm, "link_form")
    if invalid is not None:
        return invalid
    item = db.get_or_404(RevisionItem, int(form.revision_item.data))
    link_revision_item(current_user, item, feedback)
    db.session.commit()
    flash(_("Linked to %(code)s.", code=item.code), "success")
    return _back(feedback, "revisions")


@bp.post("/<int:feedback_id>/unlink/<int:item_id>")
@role_required(*TRIAGERS)
def unlink(feedback_id: int, item_id: int):
    """Remove the link to a revision item (the timeline keeps it)."""
    feedback = load_item(feedback_id)
    item = db.get_or_404(RevisionItem, item_id)
    if not any(link.revision_item_id == item.id for link in feedback.revision_links):
        abort(404)
    unlink_revision_item(current_user, item, feedback)
    db.session.commit()
    flash(_("Link to %(code)s removed.", code=item.code), "success")
    return _back(feedback, "revisions")
