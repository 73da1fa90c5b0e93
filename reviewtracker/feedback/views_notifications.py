"""The notifications page: newest first, unread highlighted, mark as read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker import notifications
from reviewtracker.extensions import db
from reviewtracker.feedback import queries
from reviewtracker.models import Notification
from reviewtracker.parsing import parse_page
from reviewtracker.permissions import require, role_required

# Nested in the feedback blueprint (feedback.views): endpoints feedback.notifications.*, URLs /feedback/notifications.
bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("")
@role_required()
def index():
    """The user's notifications, rendered in the reader's language."""
    page = db.paginate(
        queries.list_notifications(current_user),
        page=parse_page(request.args.get("page")),
        per_page=30,
        error_out=False,
    )
    return render_template("feedback/notifications.html", page=page, render=notifications.render_message)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@role_required()
def read(notification_id: int):
    """Mark one notification as read."""
    note = db.get_or_404(Notification, notification_id)
    require(note.user_id == current_user.id)
    notifications.mark_read(current_user, [note.id])
    db.session.commit()
    return redirect(url_for("feedback.notifications.index"))


@bp.route("/read-all", methods=["POST"])
@role_required()
def read_all():
    """Mark every notification as read."""
    count = notifications.mark_read(current_user)
    db.session.commit()
    flash(_("%(num)d notifications marked as read.", num=count), "info")
    return redirect(url_for("feedback.notifications.index"))
