"""Routes of the triage feature: the queue, bulk actions and the item page (item actions are in actions.py)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, FeedbackLanguage, LeadAgency, RevisionItem, TriageStatus, User
from reviewtracker.models._base import utcnow
from reviewtracker.parsing import parse_id, parse_id_list, parse_page, parse_version
from reviewtracker.permissions import TRIAGERS, WORKING_GROUP, can_triage_feedback, require, role_required
from reviewtracker.triage import bulk, forms, options, queries
from reviewtracker.triage.filters import QueueFilters
from reviewtracker.triage.workflow import allowed_moves

bp = Blueprint("triage", __name__, url_prefix="/triage")
PER_PAGE = 50


@bp.get("/")
@role_required(*WORKING_GROUP)
def queue():
    """The triage queue: filters, sorting, counts per status, bulk actions."""
    filters = QueueFilters.from_args(request.args, current_user)
    page_number = parse_page(request.args.get("page"))
    page = queries.paginate_queue(current_user, filters, page=page_number, per_page=PER_PAGE, max_per_page=200)
    page.total, counts = queries.queue_counts(current_user, filters)  # one index-only grouped count for both
    return render_template(
        "triage/queue.html",
        page=page,
        filters=filters,
        counts=counts,
        choices=options.filter_choices(),
        bulk_choices=options.bulk_choices() if can_triage_feedback(current_user) else None,
        loaded_at=utcnow().isoformat(),
    )


@bp.post("/bulk")
@role_required(*TRIAGERS)
def bulk_action():
    """Apply one action to the selected items, or to everything matching the filter in the URL."""
    filters = QueueFilters.from_args(request.args, current_user)
    targets, loaded_at = _bulk_targets(filters)
    result = bulk.run_bulk(current_user, targets, request.form.get("action", ""), loaded_at=loaded_at, **_bulk_params())
    db.session.commit()
    _flash_result(result)
    return redirect(url_for("triage.queue", **filters.to_args()))


def _bulk_targets(filters: QueueFilters) -> tuple[list[bulk.BulkTarget], datetime | None]:
    if request.form.get("scope") == "all":
        try:
            loaded_at = datetime.fromisoformat(request.form.get("loaded_at", ""))
        except ValueError:
            abort(400)
        stmt = queries.list_queue(current_user, filters).limit(bulk.MAX_BULK_ITEMS)
        return [bulk.BulkTarget(item, None) for item in db.session.scalars(stmt)], loaded_at
    ids = parse_id_list(request.form.getlist("ids"), "ids")
    if not ids:
        flash(_("Select at least one item, or choose “everything matching the filter”."), "warning")
        return [], None
    found = {f.id: f for f in db.session.scalars(queries.base_query(current_user).where(Feedback.id.in_(ids)))}
    # An unreadable version is a stale one: the item is skipped as "changed since loaded", never overwritten.
    versions = {i: parse_version(request.form.get(f"version_{i}")) for i in ids}
    return [bulk.BulkTarget(found[i], versions[i]) for i in ids if i in found], None


def _bulk_params() -> dict:
    form = request.form

    def _get(model, key):
        value = parse_id(form.get(key), key)
        return db.session.get(model, value) if value is not None else None

    status = form.get("status") or None
    return {
        "status": TriageStatus(status) if status in TriageStatus.__members__ else None,
        "assignee": _get(User, "assignee"),
        "lead_agency": _get(LeadAgency, "lead_agency"),
        "tag_names": [t for t in form.get("tags", "").split(",") if t.strip()],
        "revision_item": _get(RevisionItem, "revision_item"),
    }


def _flash_result(result: bulk.BulkResult) -> None:
    if result.changed:
        n = len(result.changed)
        flash(ngettext("%(count)s item changed.", "%(count)s items changed.", n, count=format_decimal(n)), "success")
    elif not result.skipped:
        flash(_("Nothing to change."), "info")
    for reason, ids in result.reasons().items():
        shown = ", ".join(ids[:20]) + (" …" if len(ids) > 20 else "")
        flash(_("%(n)d skipped (%(reason)s): %(ids)s", n=len(ids), reason=reason, ids=shown), "warning")


@bp.get("/<int:feedback_id>")
@role_required(*WORKING_GROUP)
def detail(feedback_id: int):
    """Everything needed to decide on one item."""
    feedback = queries.get_visible(current_user, feedback_id) or abort(404)
    return render_template("triage/detail.html", feedback=feedback, **detail_context(feedback))


def detail_context(feedback: Feedback, **overrides) -> dict:
    """What the item page shows; `overrides` replaces forms (e.g. re-shown with errors)."""
    version = feedback.lock_version
    response = feedback.response
    status_form = forms.StatusForm(formdata=None, version=version)
    status_form.set_moves(allowed_moves(feedback.status, current_user.role))
    assign_form = forms.AssignForm(
        formdata=None,
        version=version,
        assignee=str(feedback.assignee_id or ""),
        lead_agency=str(feedback.lead_agency_id or ""),
    )
    assign_form.load_choices()
    tags_form = forms.TagsForm(
        formdata=None,
        version=version,
        tags=", ".join(t.name for t in feedback.tags),
        principles=[p.id for p in feedback.triage_principles],
        objectives=[o.id for o in feedback.triage_objectives],
    )
    tags_form.load_choices()
    response_form = forms.ResponseForm(formdata=None, version=version, **_response_defaults(feedback, response))
    response_form.load_choices()
    link_form = forms.LinkForm(formdata=None)
    link_form.load_choices()
    context = {
        "status_form": status_form,
        "assign_form": assign_form,
        "tags_form": tags_form,
        "note_form": forms.NoteForm(formdata=None),
        "response_form": response_form,
        "link_form": link_form,
        "templates": forms.template_choices(),
        "notes": queries.list_notes(feedback),
        "same_section": queries.same_section(current_user, feedback),
        "duplicates": queries.likely_duplicates(current_user, feedback),
        "timeline": queries.timeline(feedback),
        "response": response,
        "revision_links": sorted(feedback.revision_links, key=lambda link: link.revision_item.code),
    }
    context.update(overrides)
    return context


def _response_defaults(feedback: Feedback, response) -> dict:
    """The saved draft, or a template's wording when the user picked one (GET ?template=&lang=)."""
    language = request.args.get("lang") or (response.language.value if response else feedback.language.value)
    if language not in FeedbackLanguage.__members__:
        language = "en"
    template_id = parse_id(request.args.get("template"), "template")
    if template_id is not None:
        template = db.session.get(forms.ResponseTemplate, template_id)
        if template is not None and template.active:
            return {"text": template.text_in(language), "language": language}
    return {"text": response.text if response else "", "language": language}


def load_item(feedback_id: int) -> Feedback:
    """Load an item the current user may change, or 404/403."""
    feedback = queries.get_visible(current_user, feedback_id) or abort(404)
    require(can_triage_feedback(current_user, feedback))
    return feedback


def lead_agencies() -> list[LeadAgency]:
    """All lead agencies (for templates)."""
    return list(db.session.scalars(select(LeadAgency).order_by(LeadAgency.code)))


from reviewtracker.triage import actions  # noqa: E402,F401 - registers the item actions on bp
