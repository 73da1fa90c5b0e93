"""Token authentication of the API through APIFlask's HTTPTokenAuth: the token's user is the API's current user."""

from __future__ import annotations

from apiflask import HTTPTokenAuth
from flask import Flask, request
from werkzeug.local import LocalProxy

from reviewtracker.api import auth

token_auth = HTTPTokenAuth(
    scheme="Bearer",
    security_scheme_name="bearer",
    description="A personal API token from your profile page",
)
# Kept in the WSGI environ, which lives exactly as long as the request (`g` lives as long as the app context).
_FOUND = "reviewtracker.api_token"


def token_owner():
    """(user, token) of the request's valid, unrevoked token, looked up once per request; else None."""
    if _FOUND not in request.environ:
        request.environ[_FOUND] = auth.user_for_token(auth.bearer_token())
    return request.environ[_FOUND]


@token_auth.verify_token
def verify_token(_raw: str):
    """The active user behind the token (HTTPTokenAuth's callback), or None."""
    found = token_owner()
    return found[0] if found else None


# The API's views, filters and schemas speak of the token's user only, never of a session cookie's.
current_user = LocalProxy(lambda: token_auth.current_user)


def _load_from_token(_request):
    """Flask-Login's public request loader: on API routes, the token's user (so the language follows them)."""
    if request.blueprint != "api":
        return None
    found = token_owner()
    return found[0] if found else None


def init_app(app: Flask) -> None:
    """Let Flask-Login see the token's user on API requests that carry no session."""
    app.login_manager.request_loader(_load_from_token)
