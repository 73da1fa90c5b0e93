"""Audit: who did what and when, without secrets (logins, denials, account administration)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from reviewtracker.admin.services import create_user, issue_user_link, set_user_active, update_user
from reviewtracker.extensions import db
from reviewtracker.models import Activity, Role, TokenPurpose
from tests.factories import PASSWORD


def _activities(action: str | None = None) -> list[Activity]:
    db.session.expire_all()
    stmt = select(Activity).order_by(Activity.id)
    if action:
        stmt = stmt.where(Activity.action == action)
    return list(db.session.scalars(stmt))


def _dump(rows: list[Activity]) -> str:
    return json.dumps([[r.action, r.before, r.after, r.target_type] for r in rows], default=str)


def test_a_successful_login_and_logout_are_recorded_with_who_and_when(client, make_user):
    """Login and logout rows name the user, the time and the address."""
    user = make_user("member")
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    client.post("/logout")
    rows = _activities()
    assert [r.action for r in rows] == ["auth.login", "auth.logout"]
    assert all(r.actor_id == user.id and r.created_at is not None and r.ip == "127.0.0.1" for r in rows)
    assert PASSWORD not in _dump(rows)


def test_failed_logins_are_recorded_without_the_password(client, make_user):
    """A wrong password for a known or unknown e-mail leaves a row; the typed password is never stored."""
    user = make_user("member")
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": "Guess-Secret-1"})
    client.post("/login", data={"email": "nobody@example.org", "password": "Guess-Secret-2"})
    rows = _activities("auth.login_failed")
    assert [r.actor_id for r in rows] == [user.id, None]
    assert rows[1].after == {"email": "nobody@example.org"}
    assert "Guess-Secret" not in _dump(rows)


def test_a_password_change_is_recorded_without_either_password(client, login_as):
    """The event is logged; neither the old nor the new password appears."""
    login_as("member")
    client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "new_password": "New-Secret-Pass", "confirm": "New-Secret-Pass"},
    )
    rows = _activities()
    assert [r.action for r in rows] == ["auth.password_changed"]
    assert PASSWORD not in _dump(rows) and "New-Secret-Pass" not in _dump(rows)


def test_a_permission_denial_is_recorded(app, client, login_as, monkeypatch):
    """A signed-in user refused with 403 leaves an access.denied row with the path."""
    from flask import abort

    def forbidden():
        abort(403)

    monkeypatch.setitem(app.view_functions, "auth.profile", forbidden)
    user = login_as("contributor")
    assert client.get("/profile?x=1").status_code == 403
    (row,) = _activities("access.denied")
    assert row.actor_id == user.id and row.after == {"path": "/profile", "method": "GET"}


def test_account_administration_is_recorded_without_link_tokens(app, make_user):
    """Creating, changing, deactivating an account and issuing a link are recorded; the link token is not."""
    admin = make_user("admin")
    user = create_user(admin, email="New.Person@Example.org", name="New Person", role=Role.member)
    update_user(
        admin, user, name="Renamed", role=Role.member, country=None, organisation=None, lead_agency=None, locale="fr"
    )
    raw = issue_user_link(admin, user, TokenPurpose.password_reset, timedelta(days=2))
    set_user_active(admin, user, False)
    db.session.commit()
    rows = _activities()
    assert [r.action for r in rows] == ["user.create", "user.update", "user.reset_link", "user.deactivate"]
    assert all(r.actor_id == admin.id and r.target_id == user.id for r in rows)
    assert rows[1].before == {"name": "New Person", "locale": None} and rows[1].after == {
        "name": "Renamed",
        "locale": "fr",
    }
    assert raw not in _dump(rows)
