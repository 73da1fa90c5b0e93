"""RELIABILITY.md, "Sessions": a new session at login, sessions that end everywhere, idle and absolute timeouts.

Already covered in tests/auth/test_login.py (not repeated here): logout and password change ending every
session, single-use expiring links, `?next=` off-site, the per-account rate limit, the idle timeout.
"""

from __future__ import annotations

import time

from sqlalchemy import select

from reviewtracker.admin.services import set_user_active, update_user
from reviewtracker.extensions import db
from reviewtracker.models import LeadAgency, Role
from tests.factories import PASSWORD


def _login(client, email):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def _signed_in(client) -> bool:
    response = client.get("/profile")
    return response.status_code == 200


def test_the_session_is_renewed_at_login(app, make_user):
    """The cookie changes at login and nothing planted before it (session fixation) survives, but the language."""
    user = make_user("member")
    db.session.commit()
    client = app.test_client()
    client.post("/language/fr")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    assert _login(client, user.email).status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["locale"] == "fr"
        assert session["_user_id"] == user.session_token
    # The pre-login cookie does not carry the login.
    other = app.test_client()
    other.set_cookie("session", before)
    assert not _signed_in(other)


def test_deactivation_ends_every_session_of_the_user(app, make_user):
    """An administrator deactivates an account: its open sessions stop working at the next request."""
    user = make_user("focal_point")
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    _login(first, user.email)
    _login(second, user.email)
    assert _signed_in(first) and _signed_in(second)
    set_user_active(make_user("admin"), user, False)
    db.session.commit()
    assert not _signed_in(first) and not _signed_in(second)
    # Reactivating does not bring the old sessions back.
    set_user_active(None, user, True)
    db.session.commit()
    assert not _signed_in(first)


def test_deactivation_from_the_command_line_ends_sessions_too(app, runner, make_user):
    """`flask users deactivate` uses the same service."""
    user = make_user("contributor")
    db.session.commit()
    client = app.test_client()
    _login(client, user.email)
    assert runner.invoke(args=["users", "deactivate", user.email]).exit_code == 0
    assert not _signed_in(client)


def test_a_role_change_ends_sessions_opened_under_the_old_role(app, make_user):
    """What a user may see depends on the role: sessions opened before a change end."""
    user = make_user("member")
    db.session.commit()
    client = app.test_client()
    _login(client, user.email)
    agency = db.session.scalar(select(LeadAgency).where(LeadAgency.code == "IOM"))
    update_user(
        None, user, name=user.name, role=Role.co_lead, country=None, organisation=None, lead_agency=agency, locale=None
    )
    db.session.commit()
    assert not _signed_in(client)


def test_absolute_timeout_ends_an_active_session(client, login_as, app):
    """A session used all day long still ends after SESSION_ABSOLUTE_TIMEOUT."""
    login_as("member")
    limit = int(app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds())
    with client.session_transaction() as session:
        session["login_at"] = int(time.time()) - limit - 5
        session["seen_at"] = int(time.time())  # active a second ago
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session has ended" in page


def test_a_session_in_use_stays_open(client, login_as, app):
    """Activity within the idle limit keeps the session (and moves its idle clock)."""
    login_as("member")
    idle = int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds())
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - idle + 60
    assert client.get("/profile").status_code == 200
    with client.session_transaction() as session:
        assert session["seen_at"] >= int(time.time()) - 5


def test_a_forged_cookie_without_the_secret_key_is_ignored(app, make_user):
    """A session cookie signed with another key signs nobody in."""
    from flask.sessions import SecureCookieSessionInterface

    user = make_user("admin")
    db.session.commit()
    other = app.__class__("forger")
    other.secret_key = "not-the-real-key"
    serializer = SecureCookieSessionInterface().get_signing_serializer(other)
    now = int(time.time())
    forged = serializer.dumps({"_user_id": user.session_token, "login_at": now, "seen_at": now})
    client = app.test_client()
    client.set_cookie("session", forged)
    assert not _signed_in(client)
