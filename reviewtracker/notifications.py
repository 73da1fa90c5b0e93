"""In-app notifications (and e-mail when SMTP is configured) about feedback being returned, forwarded, answered.

Only the kind and its parameters are stored; the text is rendered in the reader's language when shown.
E-mails are queued on the database session and sent only after the transaction commits, so a rolled-back
action never sends a message about something that did not happen.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, Notification, User
from reviewtracker.models._base import utcnow

log = logging.getLogger(__name__)
PENDING_MAIL_KEY = "reviewtracker_pending_mail"


def notify(recipients: Iterable[User | None], kind: str, *, feedback: Feedback | None = None, **params: Any) -> int:
    """Add one notification per distinct active recipient; returns how many were added.

    `kind` names the message ("feedback.returned", "feedback.forwarded", "feedback.answered", ...); the
    text is rendered in the reader's language when shown, so only the kind and parameters are stored.
    When SMTP_HOST is set, an e-mail per recipient is queued and sent after the commit.
    """
    seen: set[int] = set()
    for user in recipients:
        if user is None or not user.active or user.id in seen:
            continue
        seen.add(user.id)
        note = Notification(user_id=user.id, kind=kind, feedback_id=feedback.id if feedback else None, params=params)
        db.session.add(note)
        if has_app_context() and current_app.config.get("SMTP_HOST") and user.email:
            _queue_mail(user, note)
    db.session.flush()
    return len(seen)


def item_label(notification: Notification) -> str:
    """FB-000123 for the notification's feedback ('' when none)."""
    return f"FB-{notification.feedback_id:06d}" if notification.feedback_id else ""


def render_message(notification: Notification) -> str:
    """The notification's text in the current interface language."""
    p = dict(notification.params or {})
    item = item_label(notification)
    by = str(p.get("by") or _("Someone"))
    kind = notification.kind
    if kind == "feedback.returned":
        return _("%(by)s returned %(item)s to you with this note: %(note)s", by=by, item=item, note=p.get("note", ""))
    if kind == "feedback.forwarded":
        return _("%(by)s forwarded %(item)s to the working group.", by=by, item=item)
    if kind == "feedback.answered":
        return _("The working group published a response to %(item)s.", item=item)
    if kind == "feedback.submitted":
        if p.get("direct"):
            return _("%(by)s sent %(item)s directly to the working group.", by=by, item=item)
        return _("%(by)s submitted %(item)s to you for review.", by=by, item=item)
    if kind == "feedback.submitted_many":  # one notification for a whole offline-template import
        num, file = int(p.get("num") or 0), str(p.get("file") or "")
        if p.get("direct"):
            return _(
                "%(by)s sent %(num)d items from the offline template %(file)s directly to the working group.",
                by=by,
                num=num,
                file=file,
            )
        return _(
            "%(by)s submitted %(num)d items from the offline template %(file)s to you for review.",
            by=by,
            num=num,
            file=file,
        )
    if kind == "feedback.merged":
        return _("%(by)s merged %(item)s into %(target)s.", by=by, item=item, target=p.get("target", ""))
    return _("There is news about %(item)s.", item=item) if item else _("There is news for you.")


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (some, or all when None) as read; returns how many changed."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        stmt = stmt.where(Notification.id.in_(list(notification_ids)))
    result = db.session.execute(stmt.values(read_at=utcnow()))
    return result.rowcount or 0


# --- E-mail, after the commit --------------------------------------------------------------------


def _queue_mail(user: User, note: Notification) -> None:
    """Render the message in the recipient's language now; send it once the transaction commits."""
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        subject = _("ReviewTracker: %(item)s", item=item_label(note)) if note.feedback_id else "ReviewTracker"
        body = render_message(note) + "\n\n" + current_app.config.get("PUBLIC_URL", "") + "\n"
    pending = db.session.info.setdefault(PENDING_MAIL_KEY, [])
    pending.append((user.email, subject, body, _smtp_settings()))


def _smtp_settings() -> dict[str, Any]:
    config = current_app.config
    return {
        "host": config.get("SMTP_HOST"),
        "port": config.get("SMTP_PORT", 587),
        "user": config.get("SMTP_USER"),
        "password": config.get("SMTP_PASSWORD"),
        "sender": config.get("MAIL_FROM", "reviewtracker@localhost"),
    }


def send_mail(to: str, subject: str, body: str, settings: dict[str, Any]) -> None:
    """Send one plain-text e-mail through SMTP (STARTTLS when the server offers it)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings["sender"], to, subject
    message.set_content(body)
    with smtplib.SMTP(settings["host"], settings["port"], timeout=10) as smtp:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls()
            smtp.ehlo()
        if settings.get("user"):
            smtp.login(settings["user"], settings["password"])
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _send_pending_mail(session: Session) -> None:
    """After a successful commit: send the queued e-mails; a mail failure is logged, never raised."""
    pending = session.info.pop(PENDING_MAIL_KEY, None)
    for to, subject, body, settings in pending or []:
        try:
            send_mail(to, subject, body, settings)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("could not send a notification e-mail: %s", type(error).__name__)


@event.listens_for(Session, "after_rollback")
def _drop_pending_mail(session: Session) -> None:
    """A rolled-back action sends nothing."""
    session.info.pop(PENDING_MAIL_KEY, None)
