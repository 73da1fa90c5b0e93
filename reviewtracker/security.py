"""HTTP security: headers with a Content-Security-Policy the pages satisfy, and reverse-proxy handling."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline scripts or styles anywhere: every script and stylesheet is a file under /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    """Headers sent with every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if not request.path.startswith("/static/"):
        # Pages show government feedback: never keep them in shared caches.
        headers.setdefault("Cache-Control", "no-store")
    return response


def refuse_nul_bytes() -> None:
    """Refuse NUL in any query or form value: PostgreSQL cannot store or even compare it (a 500 otherwise)."""
    values = [*request.args.values(), *request.form.values()] if request.method != "OPTIONS" else []
    if any("\x00" in value for value in values):
        abort(400, description=_("The text contains a NUL character, which is not allowed. Remove it and try again."))


def init_app(app: Flask) -> None:
    """Install the header hook, the NUL guard and, behind a reverse proxy, ProxyFix."""
    app.after_request(add_security_headers)
    # First of the request hooks, so no code (login rate-limit keys, filters, sessions) ever sees a NUL.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_bytes)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
