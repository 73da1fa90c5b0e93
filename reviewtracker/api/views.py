"""Routes of the api feature: the JSON API under /api/v1, authenticated by personal tokens only.

The blueprint is exempt from CSRF because it never reads the session cookie: every request must carry
`Authorization: Bearer <token>`, so a forged cross-site request has no credentials to ride on.
The HTML pages that create and revoke tokens live on the `tokens` blueprint (tokens.py), which keeps
CSRF protection and the /profile URL; it is registered together with this one.
"""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import current_app, g

from reviewtracker.api import auth, security
from reviewtracker.api.security import token_auth
from reviewtracker.errors import error_response
from reviewtracker.extensions import csrf, limiter

bp = APIBlueprint("api", __name__, url_prefix="/api/v1", tag="ReviewTracker")
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
@bp.auth_required(token_auth, optional=True)  # every operation is documented with the bearer scheme
def authenticate():
    """The token's user is the API's current user (security.current_user); no valid token → 401 JSON.

    Optional for the framework, so that the public OpenAPI document answers without a token and every other
    route answers 401 in the API's error format, before anything else is checked.
    """
    from flask import request

    from reviewtracker.api.errors import check_request_shape

    found = security.token_owner()
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
    from reviewtracker.api import document
    from reviewtracker.api.tokens import tokens_bp

    state.app.register_blueprint(tokens_bp)
    security.init_app(state.app)
    document.init_app(state.app)


bp.record_once(_register_tokens_blueprint)


@bp.get("/openapi.json")
@bp.doc(hide=True)
def openapi():
    """The OpenAPI document that APIFlask generates from the routes and their schemas (public: it holds no data,
    and tools read it before they have a token)."""
    from flask import jsonify

    from reviewtracker.api import document

    return jsonify(document.generate(current_app))


def described(schema, location: str = "json"):
    """Describe a request part (body, headers, query) in the generated document, without parsing it first.

    APIFlask's `input` annotates the view and wraps it in a parser; the annotation is kept and the wrapper
    dropped, because the view reads that part itself at the right moment: bodies are loaded by the same schema
    (inputs.load_body) once the item is found and its If-Match checked, and query strings by parsing.py.
    """

    def decorator(view):
        bp.input(schema, location=location, validation=False)(view)
        return view

    return decorator


# The route modules attach their views to `bp`.
from reviewtracker.api import read, write  # noqa: E402, F401
