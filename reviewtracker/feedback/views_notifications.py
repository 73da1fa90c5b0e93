"""The notifications page: newest first, unread highlighted, mark as read."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reviewtracker import notifications
from reviewtracker.extensions import db
from reviewtracker.feedback import queries
from reviewtracker.feedback.views import bp
from reviewtracker.models import Notification
from reviewtracker.parsing import parse_page
from reviewtracker.permissions import require, role_required


@bp.route("/notifications", endpoint="notifications")
@role_required()
def notifications_page():
    """The user's notifications, rendered in the reader's language."""
    page = db.paginate(
        queries.list_notifications(current_user),
        page=parse_page(request.args.get("page")),
        per_page=30,
        error_out=False,
    )
    return render_template("feedback/notifications.html", page=page, render=notifications.render_message)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@role_required()
def mark_notification_read(notification_id: int):
    """Mark one notification as read."""
    note = db.get_or_404(Notification, notification_id)
    require(note.user_id == current_user.id)
    notifications.mark_read(current_user, [note.id])
    db.session.commit()
    return redirect(url_for("feedback.notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@role_required()
def mark_all_notifications_read():
    """Mark every notification as read."""
    count = notifications.mark_read(current_user)
    db.session.commit()
    flash(_("%(num)d notifications marked as read.", num=count), "info")
    return redirect(url_for("feedback.notifications"))
