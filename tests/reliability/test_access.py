"""RELIABILITY.md, "Access": anonymous users reach nothing but the sign-in pages, on every route of the app.

The full route × role × country matrix is tests/test_permissions.py (fed by each feature's permission_table.py);
this sweep needs no table, so a route someone forgot to list is still checked for anonymous access.
"""

from __future__ import annotations

import time

import pytest

from reviewtracker import create_app
from reviewtracker.extensions import db

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


def test_guessing_export_file_urls_gets_nothing(app, client):
    """Another country's focal point walks export ids and file paths: 404 every time, no file bytes."""
    from reviewtracker.exports.params import ExportParams
    from reviewtracker.exports.services import run_export
    from reviewtracker.models import ExportKind
    from tests.world import build_world

    world = build_world()
    params = ExportParams(round_id=world.round.id, country_id=world.forwarded.country_id)
    exports = [
        run_export(world.users["co_lead"], kind, params) for kind in (ExportKind.matrix, ExportKind.consolidated)
    ]
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = world.users["focal_point_other"].session_token
        session["login_at"] = session["seen_at"] = int(time.time())
    for export_id in range(1, max(e.id for e in exports) + 5):
        response = client.get(f"/exports/{export_id}/download")
        assert response.status_code == 404, export_id
        assert not response.data.startswith(b"PK")
    for export in exports:
        for guess in (
            f"/exports/{export.filename}",
            f"/static/{export.filename}",
            f"/static/../exports/{export.filename}",
            f"/exports/..%2f{export.filename}",
        ):
            response = client.get(guess)
            assert response.status_code == 404 and not response.data.startswith(b"PK"), guess
