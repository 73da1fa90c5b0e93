"""The focal point's country queue: forward (one or several), return with a note, merge two items."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker.consolidation import queries, services
from reviewtracker.consolidation.forms import ReturnForm
from reviewtracker.errors import ValidationError
from reviewtracker.extensions import db
from reviewtracker.feedback.helpers import load_feedback
from reviewtracker.models import Feedback, Role
from reviewtracker.parsing import parse_id, parse_id_list
from reviewtracker.permissions import can_consolidate_feedback, require, role_required

# Under /feedback/ like the items it lists: the queue is the focal point's view of the country's feedback.
bp = Blueprint("consolidation", __name__, url_prefix="/feedback")

QUEUE_VIEWS = ("", "returned")  # ?show=: the items waiting (default), or those sent back to their authors


@bp.route("/queue")
@role_required(Role.focal_point)
def queue():
    """Items of the country waiting with the focal point (or those she returned), and items sent directly."""
    show = request.args.get("show", "")
    if show not in QUEUE_VIEWS:
        abort(400)
    return _queue_page(show)


def _queue_page(show: str = "", *, refused: tuple[int, ReturnForm] | None = None, status: int = 200):
    """The queue; `refused` is (item id, its return form) when a note was refused, shown on that item's form."""
    items = db.session.scalars(queries.list_country_queue(current_user)).all()
    returned = db.session.scalars(queries.list_returned_items(current_user)).all()
    direct = db.session.scalars(queries.list_direct_items(current_user)).all()
    page = render_template(
        "consolidation/queue.html", items=items, returned=returned, direct=direct, show=show, refused=refused
    )
    return page, status


def _back(item: Feedback):
    """Back to the item's page when the action came from there, else to the queue."""
    if request.form.get("next") == "detail":
        return redirect(url_for("feedback.detail", feedback_id=item.id))
    return redirect(url_for("consolidation.queue"))


@bp.route("/<int:feedback_id>/forward", methods=["POST"])
@role_required(Role.focal_point)
def forward(feedback_id: int):
    """Forward one item to the working group."""
    item = load_feedback(feedback_id)
    require(can_consolidate_feedback(current_user, item))
    services.forward_feedback(current_user, item)
    db.session.commit()
    flash(_("%(id)s was forwarded to the working group.", id=item.display_id), "success")
    return _back(item)


@bp.route("/forward-selected", methods=["POST"])
@role_required(Role.focal_point)
def forward_selected():
    """Forward every selected item of the queue (all or nothing)."""
    items = [load_feedback(i) for i in parse_id_list(request.form.getlist("ids"), "ids")]
    if not items:
        flash(_("Select at least one item to forward."), "warning")
        return redirect(url_for("consolidation.queue"))
    for item in items:
        require(can_consolidate_feedback(current_user, item))
        services.forward_feedback(current_user, item)
    db.session.commit()
    n, count = len(items), format_decimal(len(items))
    flash(ngettext("%(count)s item was forwarded.", "%(count)s items were forwarded.", n, count=count), "success")
    return redirect(url_for("consolidation.queue"))


@bp.route("/<int:feedback_id>/return", methods=["POST"])
@role_required(Role.focal_point)
def return_item(feedback_id: int):
    """Send an item back to its author with a note (required)."""
    item = load_feedback(feedback_id)
    require(can_consolidate_feedback(current_user, item))
    form = ReturnForm()
    if not form.validate_on_submit():
        return _queue_page(refused=(item.id, form), status=400)
    services.return_feedback(current_user, item, form.note.data)
    db.session.commit()
    flash(_("%(id)s was returned to its author.", id=item.display_id), "info")
    # Not back to the item's page: a returned item is its author's again, and that page is a 404 for her.
    return redirect(url_for("consolidation.queue"))


@bp.route("/<int:feedback_id>/merge", methods=["POST"])
@role_required(Role.focal_point)
def merge(feedback_id: int):
    """Merge this item (the source) into another item of the queue (the target)."""
    source = load_feedback(feedback_id)
    target_id = parse_id(request.form.get("target_id"), "target_id")
    if target_id is None:
        raise ValidationError(_("Choose the item to merge into."))
    target = load_feedback(target_id)
    require(can_consolidate_feedback(current_user, source) and can_consolidate_feedback(current_user, target))
    services.merge_feedback(current_user, target, source)
    db.session.commit()
    flash(_("%(source)s was merged into %(target)s.", source=source.display_id, target=target.display_id), "success")
    return redirect(url_for("feedback.detail", feedback_id=target.id))
