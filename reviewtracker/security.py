"""HTTP security: headers with a Content-Security-Policy the pages satisfy, and reverse-proxy handling."""

from __future__ import annotations

from flask import Flask, Response, abort, g, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

from reviewtracker.forms import NUL_FIELDS

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
    """Keep NUL away from the code: PostgreSQL cannot store or even compare it (a 500 otherwise).

    In the query string it is a 400. In a posted form it is removed, and the names of the fields that carried
    it are kept in g, so that the form (reviewtracker.forms.BaseForm) shows the page again with a message on
    each such field and the rest of the typed text intact, instead of a bare error page.
    """
    if request.method == "OPTIONS":
        return
    if any("\x00" in value for _key, value in request.args.items(multi=True)):
        abort(400, description=_("The text contains a NUL character, which is not allowed. Remove it and try again."))
    posted = list(request.form.items(multi=True))
    carried = frozenset(key for key, value in posted if "\x00" in value)
    if carried:
        setattr(g, NUL_FIELDS, carried)
        cleaned = MultiDict([(key, value.replace("\x00", "")) for key, value in posted])
        request.form = ImmutableMultiDict(cleaned)  # werkzeug caches the parsed form on the request: replace it


def init_app(app: Flask) -> None:
    """Install the header hook, the NUL guard and, behind a reverse proxy, ProxyFix."""
    app.after_request(add_security_headers)
    # First of the request hooks, so no code (login rate-limit keys, filters, sessions) ever sees a NUL.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_bytes)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
