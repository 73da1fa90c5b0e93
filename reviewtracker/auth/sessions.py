"""Revocable sessions: Flask-Login keeps a per-user token; idle and absolute timeouts end a session."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select

from reviewtracker.errors import error_response, wants_json
from reviewtracker.extensions import db
from reviewtracker.models import User


def load_user(session_token: str) -> User | None:
    """Flask-Login loader: the token changes at logout and password change, so old cookies stop working.

    The JSON API never reads the session cookie: there the user is the API token's (api/security.py, through
    Flask-Login's request loader)."""
    if request.blueprint == "api":
        return None
    return db.session.scalar(select(User).where(User.session_token == session_token, User.active.is_(True)))


def start_session(user: User) -> None:
    """Start a fresh session for a user (after the password check)."""

    locale = session.get("locale")
    session.clear()  # a new session at login: nothing from before the login survives but the language
    if locale:
        session["locale"] = locale
    session.permanent = True
    login_user(user)
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now


def enforce_timeouts():
    """End sessions idle for too long or older than the absolute limit."""
    if request.endpoint == "static" or request.blueprint == "api" or not current_user.is_authenticated:
        return None  # API requests carry a token, not a session
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    if now - seen_at > idle or now - login_at > absolute:
        logout_user()
        session.clear()
        if request.path.startswith("/api/"):
            return None
        flash(_l("Your session has ended. Please sign in again."), "warning")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    session["seen_at"] = now
    return None


def init_app(app: Flask, login_manager: LoginManager) -> None:
    """Configure Flask-Login and the timeout check."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return error_response(401)
        flash(login_manager.login_message, "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))

    app.before_request(enforce_timeouts)
