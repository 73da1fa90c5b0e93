"""Signing in and out, revocable sessions, passwords, invitation links and the login rate limit."""

from __future__ import annotations

from datetime import timedelta

from reviewtracker.extensions import db, limiter
from reviewtracker.models import Activity, TokenPurpose
from tests.factories import PASSWORD


def _login(client, email, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_each_role_lands_on_a_page_of_its_own(client, make_user):
    """A successful login redirects to the role's landing page."""
    user = make_user("contributor")
    db.session.commit()
    response = _login(client, user.email.upper())  # e-mail is case-insensitive
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200


def test_wrong_password_gives_a_generic_message_and_is_audited(client, make_user):
    """The message does not say whether the account exists; the failure is in the audit log."""
    user = make_user("focal_point")
    db.session.commit()
    page = _login(client, user.email, "wrong-password").get_data(as_text=True)
    assert "E-mail or password is wrong" in page
    assert db.session.query(Activity).filter_by(action="auth.login_failed").count() == 1
    assert "wrong-password" not in str([a.after for a in db.session.query(Activity)])


def test_inactive_user_cannot_sign_in(client, make_user):
    """Deactivated accounts are refused."""
    user = make_user("contributor", active=False)
    db.session.commit()
    assert "E-mail or password is wrong" in _login(client, user.email).get_data(as_text=True)


def test_next_parameter_cannot_leave_the_site(client, make_user):
    """?next=https://elsewhere is ignored; a local path is followed."""
    user = make_user("co_lead")
    db.session.commit()
    response = _login(client, user.email, next_url="https://evil.example/")
    assert "evil.example" not in response.headers["Location"]
    client.post("/logout")
    user = make_user("co_lead")
    db.session.commit()
    assert _login(client, user.email, next_url="/profile").headers["Location"].endswith("/profile")


def test_logout_kills_a_copied_session_cookie(app, make_user):
    """A cookie copied before logout no longer works after it (server-side revocation)."""
    user = make_user("member")
    db.session.commit()
    browser = app.test_client()
    _login(browser, user.email)
    stolen = browser.get_cookie("session").value
    assert browser.get("/profile").status_code == 200
    browser.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_ends_every_session(app, make_user):
    """After a password change the old password and the old sessions stop working."""
    user = make_user("focal_point")
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    _login(first, user.email)
    _login(second, user.email)
    response = first.post(
        "/profile/password",
        data={"current_password": PASSWORD, "new_password": "a-new-long-password", "confirm": "a-new-long-password"},
    )
    assert response.status_code == 302
    assert second.get("/profile").status_code == 302  # the other browser is signed out too
    assert "E-mail or password is wrong" in _login(first, user.email).get_data(as_text=True)
    assert _login(first, user.email, "a-new-long-password").status_code == 302


def test_wrong_current_password_keeps_the_form(client, login_as):
    """A wrong current password is reported on the field; nothing changes."""
    login_as("contributor")
    page = client.post(
        "/profile/password",
        data={"current_password": "nope", "new_password": "a-new-long-password", "confirm": "a-new-long-password"},
    )
    assert "The current password is wrong." in page.get_data(as_text=True)


def test_invitation_link_is_single_use_and_expires(client, make_user, app):
    """An invitation sets the password once; reusing or using an expired link gives 404."""
    from reviewtracker.auth.services import issue_token
    from reviewtracker.models import OneTimeToken

    user = make_user("contributor")
    user.password_hash = None
    raw = issue_token(user, TokenPurpose.invitation, timedelta(days=7), None)
    db.session.commit()
    assert "Choose a password" in client.get(f"/set-password/{raw}").get_data(as_text=True)
    data = {"new_password": "my-chosen-password", "confirm": "my-chosen-password"}
    assert client.post(f"/set-password/{raw}", data=data).status_code == 302
    assert client.post(f"/set-password/{raw}", data=data).status_code == 404
    assert _login(client, user.email, "my-chosen-password").status_code == 302

    other = make_user("contributor")
    raw2 = issue_token(other, TokenPurpose.invitation, timedelta(days=7), None)
    token = db.session.query(OneTimeToken).filter_by(user_id=other.id).one()
    token.expires_at = token.expires_at - timedelta(days=8)
    db.session.commit()
    assert client.get(f"/set-password/{raw2}").status_code == 404


def test_login_brute_force_is_rate_limited_per_account(app, make_user):
    """After a few failures the account's login answers 429, even from another address."""
    user = make_user("admin")
    db.session.commit()
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    try:
        limiter.reset()
        codes = []
        for i in range(7):
            c = app.test_client()
            codes.append(
                c.post(
                    "/login",
                    data={"email": user.email, "password": "guess"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
                ).status_code
            )
        assert codes[:5] == [200] * 5
        assert codes[-1] == 429
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()


def test_idle_session_times_out(client, login_as, app):
    """An idle session is ended with a message."""
    login_as("member")
    with client.session_transaction() as session:
        session["seen_at"] -= int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds()) + 5
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_security_headers_and_csp(client):
    """Every page sends a CSP without inline scripts and the usual hardening headers."""
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.get_data(as_text=True)
