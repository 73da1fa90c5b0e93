"""Sign-in, sign-out, password, invitation links, profile and language choice."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from reviewtracker.auth import services
from reviewtracker.auth.forms import ChangePasswordForm, LoginForm, ProfileForm, SetPasswordForm
from reviewtracker.auth.sessions import start_session
from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db, limiter
from reviewtracker.models import Role
from reviewtracker.permissions import login_required

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _submitted_email() -> str:
    """Rate-limit key per account, so that rotating IP addresses does not help a brute force."""
    return "login:" + (request.form.get("email") or "").strip().lower()


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login (never https://elsewhere)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def home_for(user) -> str:
    """Where each role lands after signing in."""

    destinations = {
        Role.contributor: "feedback.index",
        Role.focal_point: "feedback.index",
        Role.co_lead: "triage.queue",
        Role.member: "dashboard.index",
        Role.admin: "admin.index",
    }
    return url_for(destinations[user.role])


@bp.route("/")
def home():
    """The front door: the role's landing page, or the login page."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email)
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is None:
            flash(_("E-mail or password is wrong, or the account is not active."), "danger")
        else:
            start_session(user)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out everywhere: the session token changes, so every copy of the cookie stops working."""
    user = current_user._get_current_object()
    locale = user.locale or session.get("locale")
    services.log_out(user)
    db.session.commit()
    logout_user()
    session.clear()
    if locale:  # the sign-in page stays in the language the person was using
        session["locale"] = locale
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """The user's own name and language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.locale.data)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's password; every session (this one included) ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            db.session.rollback()
            form.current_password.errors.append(error.message)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def set_password(token: str):
    """Accept an invitation or reset link (single use, expiring) by choosing a password."""
    found = services.find_valid_token(token)
    if found is None:
        abort(404, description=_("This link is not valid any more. Ask an administrator for a new one."))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.redeem_token(found, form.new_password.data)
        except services.LinkUsedError as error:  # a parallel request used the link first
            db.session.rollback()
            abort(404, description=error.message)
        db.session.commit()
        flash(_("Your password is set. You can sign in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=found.user)


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Choose the interface language; remembered in the session and, when signed in, in the profile."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("auth.home"))
