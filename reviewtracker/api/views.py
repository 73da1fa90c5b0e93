"""Routes of the api feature: the JSON API under /api/v1, authenticated by personal tokens only.

The blueprint is exempt from CSRF because it never reads the session cookie: every request must carry
`Authorization: Bearer <token>`, so a forged cross-site request has no credentials to ride on.
The HTML pages that create and revoke tokens live on the `tokens` blueprint (tokens.py), which keeps
CSRF protection and the /profile URL; it is registered together with this one.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g

from reviewtracker.api import auth
from reviewtracker.errors import error_response
from reviewtracker.extensions import csrf, limiter, login_manager

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# Routes that answer without a token: the API description (no data in it, tools fetch it before a token exists).
PUBLIC_ENDPOINTS = {"api.openapi"}


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _rate_key() -> str:
    """Limit per token (hashed, never the raw value), or per address for requests without one."""
    from flask_limiter.util import get_remote_address

    raw = auth.bearer_token()
    return "api:" + auth.hash_api_token(raw)[:24] if raw else "api-ip:" + get_remote_address()


limiter.limit(_rate_limit, key_func=_rate_key)(bp)


@bp.before_request
def authenticate():
    """Replace whatever the session cookie said by the token's user; no valid token → 401 JSON."""
    from flask import request

    from reviewtracker.api.errors import check_request_shape

    found = auth.user_for_token(auth.bearer_token())
    # Flask-Login's own hook for request loaders: current_user is the token's user (or anonymous) from here on.
    login_manager._update_request_context_with_user(found[0] if found else None)
    g.api_token = found[1] if found else None
    if found is None and not _is_public():
        return error_response(401, _invalid_token_message())
    if found is not None:
        auth.touch_token(found[1])
    check_request_shape(request.view_args)
    return None


def _is_public() -> bool:
    from flask import request

    return request.endpoint in PUBLIC_ENDPOINTS


def _invalid_token_message() -> str:
    from flask_babel import gettext as _

    return _("Send a valid personal API token in the header 'Authorization: Bearer <token>'.")


@bp.after_request
def no_session_cookie(response):
    """API responses never set or refresh the session cookie."""
    from flask import session

    session.modified = False
    response.headers.setdefault("Vary", "Authorization")
    return response


def _register_tokens_blueprint(state) -> None:
    from reviewtracker.api.tokens import tokens_bp

    state.app.register_blueprint(tokens_bp)


bp.record_once(_register_tokens_blueprint)

# The route modules attach their views to `bp`.
from reviewtracker.api import openapi, read, write  # noqa: E402, F401
