"""Error pages: HTML for people, JSON under /api; 500s get an incident id that is in the log, never a trace."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from reviewtracker.audit import record_activity
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory

log = logging.getLogger(__name__)

# Form fields never shown back on an error page.
_SECRET_FIELDS = re.compile(r"password|confirm|token|secret", re.IGNORECASE)

# Set on `g` when the database cannot be reached: the error page and the language choice then use only
# what is already in memory (no query, no lazy relationship, no user loading).
DATABASE_UNAVAILABLE = "database_unavailable"

# Connection-level failures: the server is down, refused, restarted, or the pool has no connection left.
_UNREACHABLE = (OperationalError, InterfaceError, PoolTimeoutError)


class ServiceError(Exception):
    """A business rule refused an action; `message` is already translated for the user."""

    status_code = 400

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class WorkflowError(ServiceError):
    """An illegal state change (status move, submission outside a round, ...)."""

    status_code = 409


class ValidationError(ServiceError):
    """Input that passed the form but breaks a business rule."""

    status_code = 400


def wants_json() -> bool:
    """API paths, or clients that prefer JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Please sign in"),
        403: _("You do not have access to this page"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        412: _("The item changed since you loaded it"),
        413: _("The file is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
        503: _("The service is temporarily unavailable"),
    }


def _messages() -> dict[int, str]:
    return {
        403: _("Your account does not allow this action. If you think it should, contact the working group."),
        404: _("The page or item does not exist, or it is not shared with you."),
        413: _("The file is larger than the upload limit. Split it or remove unused sheets and try again."),
        429: _("Too many attempts in a short time. Wait a minute and try again."),
        500: _("The error was logged. Quote the incident number when you report it."),
        409: _(
            "Someone else saved the same thing at the same moment. Nothing of yours was saved and nothing was "
            "overwritten: copy your text below, reload the page and try again."
        ),
        503: _(
            "The database could not be reached. Your text has not been saved: go back, copy it and try again "
            "in a moment."
        ),
    }


def error_response(status: int, message: str | None = None, incident: str | None = None):
    """Render an error as JSON or HTML with the right status code."""
    title = _titles().get(status, _("Error"))
    message = message or _messages().get(status, "")
    if wants_json():
        body = {"error": title, "message": message, "status": status}
        if incident:
            body["incident"] = incident
        return jsonify(body), status
    # Nothing lost: on a failed POST the page shows the text the user typed, so it can be copied back.
    typed = {}
    if request.method == "POST" and (status >= 500 or status == 409):
        typed = {
            k: v
            for k, v in request.form.items()
            if isinstance(v, str) and v.strip() and not _SECRET_FIELDS.search(k)  # never echo a password
        }
    page = render_template(
        "errors/error.html",
        status=status,
        title=title,
        message=message,
        incident=incident,
        typed=typed,
        offline=bool(g.get(DATABASE_UNAVAILABLE)),
    )
    return page, status


def discard_session() -> None:
    """Roll the request's session back; when even that fails (a dead connection), drop it without a round trip."""

    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed; the session's connection is invalidated", exc_info=True)
        g.setdefault(DATABASE_UNAVAILABLE, True)
        db.session.invalidate()


def _forget_unloaded_user() -> None:
    """Treat a user not yet loaded as anonymous for the rest of this request, so rendering needs no query.

    Flask-Login loads the user on first use of `current_user`, including in its template context processor:
    with the database down that load raises inside the error handler and ends in a bare framework 500.
    """
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        if error.code == 403:
            _record_denial()
        custom = error.description and error.description != type(error).description
        description = error.description if custom else None
        return error_response(error.code or 500, description)

    @app.errorhandler(ServiceError)
    def handle_service(error: ServiceError):
        discard_session()
        # str() after the rollback: a conflict raised mid-flush carries a lazy message, built only now.
        return error_response(error.status_code, str(error.message))

    @app.errorhandler(StaleDataError)
    def handle_lost_race(error: StaleDataError):
        """A parallel request saved the same row first (version check): a conflict, not a bug."""
        discard_session()  # first: the failed flush left the session unusable until it is rolled back
        log.info("conflict on %s %s: %s", request.method, request.path, error)
        return error_response(409)

    @app.errorhandler(IntegrityError)
    def handle_integrity(error: IntegrityError):
        """A constraint refused the write (a duplicate saved at the same moment, ...): a conflict, not an outage."""
        discard_session()
        log.warning("integrity conflict on %s %s: %s", request.method, request.path, error.orig)
        return error_response(409)

    for unreachable in _UNREACHABLE:
        app.register_error_handler(unreachable, _handle_database_down)

    @app.errorhandler(DBAPIError)
    def handle_database_error(error: DBAPIError):
        """Any other database error (bad SQL, value out of range, ...) is a bug: logged with its trace."""
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s: database error on %s %s", incident, request.method, request.path)
        discard_session()
        return error_response(500, incident=incident)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s: unhandled error on %s %s", incident, request.method, request.path)
        discard_session()
        return error_response(500, incident=incident)


def _handle_database_down(error: Exception):
    """503 with an incident id; the page is built without the database (no user loading, no language query)."""
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s: database error on %s %s: %s", incident, request.method, request.path, error)
    g.setdefault(DATABASE_UNAVAILABLE, True)
    get_locale()  # chosen now, from the user as loaded: the rollback below expires every loaded attribute
    discard_session()
    _forget_unloaded_user()
    return error_response(503, incident=incident)


def _record_denial() -> None:
    """Audit permission denials of signed-in users (never fails the response)."""

    if not current_user.is_authenticated:
        return
    try:
        db.session.rollback()
        record_activity(
            current_user,
            ActivityCategory.access,
            "access.denied",
            after={"path": request.path[:200], "method": request.method},
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.warning("could not record access denial for %s", request.path)
