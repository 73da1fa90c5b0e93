"""RELIABILITY.md, "Access": anonymous users reach nothing but the sign-in pages, on every route of the app.

The full route × role × country matrix is tests/test_permissions.py (fed by each feature's permission_table.py);
this sweep needs no table, so a route someone forgot to list is still checked for anonymous access.
"""

from __future__ import annotations

import pytest

from reviewtracker import create_app

# The API's OpenAPI document describes the routes, holds no data, and schemathesis reads it anonymously.
PUBLIC = {"static", "auth.login", "auth.home", "auth.set_password", "auth.set_language", "api.openapi"}


def _routes():
    application = create_app("testing")
    rules = []
    for rule in application.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append((rule.endpoint, rule.rule, method))
    return rules


def _url(rule: str) -> str:
    """Fill every URL variable with 1 (an id of the reference data or of nothing: access must fail either way)."""
    import re

    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule)


@pytest.mark.parametrize(("endpoint", "rule", "method"), _routes(), ids=lambda v: str(v))
def test_anonymous_is_sent_to_the_login_page(client, endpoint, rule, method):
    """Every route but the public ones: a redirect to /login (pages), 401 (API) or 404/405, never content."""
    response = client.open(_url(rule), method=method, headers={"Accept": "text/html"})
    if rule.startswith("/api/"):
        assert response.status_code in (401, 404), response.status_code
    elif response.status_code == 302:
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code in (401, 404, 405), response.status_code


def test_the_public_pages_are_only_the_sign_in_ones(client):
    """Home redirects to login; login answers; nothing else is public."""
    assert "/login" in client.get("/").headers["Location"]
    assert client.get("/login").status_code == 200
