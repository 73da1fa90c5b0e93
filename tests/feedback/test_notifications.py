"""Notifications: rendered in the reader's language, marked read, e-mailed only after the commit."""

from __future__ import annotations

from sqlalchemy import select

from reviewtracker import notifications
from reviewtracker.consolidation import services
from reviewtracker.extensions import db
from reviewtracker.models import Notification


def test_returned_notification_in_french_and_mark_read(world, client, login_as):
    author = world.users["contributor"]
    author.locale = "fr"
    services.return_feedback(world.users["focal_point"], world.submitted, "Ajoutez la page")
    login_as(author)
    page = client.get("/feedback/notifications").get_data(as_text=True)
    assert "Ajoutez la page" in page and world.submitted.display_id in page
    assert "vous a renvoyé" in page
    note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert client.post(f"/feedback/notifications/{note.id}/read").status_code == 302
    db.session.refresh(note)
    assert note.read_at is not None


def test_someone_elses_notification_cannot_be_marked(world, client, login_as):
    notifications.notify([world.users["contributor"]], "feedback.forwarded", feedback=world.forwarded, by="X")
    note = db.session.scalar(select(Notification))
    login_as(world.users["contributor_other"])
    assert client.post(f"/feedback/notifications/{note.id}/read").status_code == 403


def test_mail_is_sent_after_commit_only(app, world, monkeypatch):
    sent = []
    monkeypatch.setattr(notifications, "send_mail", lambda to, subject, body, settings: sent.append((to, body)))
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.org")
    services.forward_feedback(world.users["focal_point"], world.submitted)
    assert sent == []
    db.session.rollback()
    db.session.commit()
    assert sent == []  # the rolled-back action sends nothing
    services.forward_feedback(world.users["focal_point"], db.session.get(type(world.submitted), world.submitted.id))
    db.session.commit()
    assert [to for to, _ in sent] == [world.users["contributor"].email]
    assert "forwarded" in sent[0][1]
