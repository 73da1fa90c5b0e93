"""RELIABILITY.md, "Injection and encoding": markup and template payloads stay text, headers stay whole."""

from __future__ import annotations

import re

import pytest
from flask import Response
from markupsafe import escape
from werkzeug.datastructures import Headers

from reviewtracker.extensions import db
from reviewtracker.models import User
from reviewtracker.spreadsheets import safe_download_name

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
]


def _no_live_markup(page: str) -> None:
    assert "<script>alert" not in page and "<img src=x" not in page and "<svg/onload" not in page
    # every script the page loads is a file from /static (the CSP forbids inline ones anyway)
    assert all(re.search(r'src="/static/', tag) for tag in re.findall(r"<script[^>]*>", page))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_name_is_shown_as_text_on_every_page_that_shows_it(client, login_as, payload):
    """A hostile display name is escaped in the navigation bar and in the profile form."""
    login_as("member")
    assert client.post("/profile", data={"name": payload, "locale": "en"}).status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    _no_live_markup(page)
    assert str(escape(payload)) in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_flash_message_is_shown_as_text(client, payload):
    """Flash messages may quote user input: base.html renders them escaped."""
    with client.session_transaction() as session:
        session["_flashes"] = [("danger", f"Could not import {payload}")]
    page = client.get("/login").get_data(as_text=True)
    assert f"Could not import {escape(payload)}" in page
    _no_live_markup(page)


def test_template_syntax_in_user_text_is_not_evaluated(client, login_as):
    """`{{7*7}}` typed by a user is displayed literally, never rendered as 49."""
    user = login_as("member")
    client.post("/profile", data={"name": "{{7*7}} {% if 1 %}x{% endif %}", "locale": "en"})
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "{{7*7}} {% if 1 %}x{% endif %}"
    page = client.get("/profile").get_data(as_text=True)
    assert "{{7*7}}" in page and ">49 " not in page


def test_markup_typed_into_a_failed_form_comes_back_escaped(client, login_as, monkeypatch, app):
    """The error page that shows typed text back shows it as text."""

    def broken():
        raise RuntimeError("boom")

    login_as("member")
    monkeypatch.setitem(app.view_functions, "auth.profile", broken)
    page = client.post("/profile", data={"name": PAYLOADS[1]}).get_data(as_text=True)
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    _no_live_markup(page)


def test_every_page_and_error_page_sends_the_csp(client, login_as):
    """Pages, redirects' targets and error pages all carry the Content-Security-Policy."""
    for url in ("/login", "/does-not-exist"):
        csp = client.get(url).headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp


@pytest.mark.parametrize(
    "name",
    [
        'report"; filename="evil.exe',
        "report\r\nSet-Cookie: stolen=1.xlsx",
        "..\\..\\windows\\system32\\report.xlsx",
        "report\u202egpj.xlsx",
        "'quoted' ; name,.xlsx",
    ],
)
def test_cr_lf_and_quotes_in_download_names_cannot_split_or_spoof_headers(name):
    """A download name built from user text yields one well-formed Content-Disposition header."""
    safe = safe_download_name(name)
    response = Response(b"x")
    response.headers.set("Content-Disposition", "attachment", filename=safe)
    header = response.headers["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "\u202e" not in header
    assert header.count('filename="') <= 1 and "Set-Cookie" not in Headers(response.headers)
    assert not any(char in safe for char in "\"'\\/;,")


def test_sql_in_the_login_form_is_just_a_wrong_password(client, make_user):
    """Classic SQL payloads in the e-mail and password fields are data: a generic refusal, no error."""
    make_user("admin")
    db.session.commit()
    for email, password in [("' OR 1=1 --", "x"), ("admin@example.org'; DROP TABLE users; --", "' OR '1'='1")]:
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 200
        assert "E-mail or password is wrong" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_every_page_satisfies_the_csp_without_inline_script_or_style(app, client):
    """Each GET page of the permission tables, seen by an allowed user, has no inline script, handler or style."""
    from tests.test_permissions import CASES, _sign_in
    from tests.world import build_world

    world = build_world()
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE)
    checked, offenders = 0, []
    for case in [c for c in CASES if c.method == "GET"]:
        actor = next(
            (a for a in ("admin", "co_lead", "focal_point", "contributor", "member") if a in case.allowed), None
        )
        if actor is None:
            continue
        _sign_in(client, world.users[actor])
        response = client.get(case.url(world), headers={"Accept": "text/html"})
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        checked += 1
        offenders += [f"{case.id}: {m.group(0)!r}" for m in inline.finditer(response.get_data(as_text=True))]
    assert checked >= 10
    assert not offenders, "Inline code the CSP blocks:\n" + "\n".join(offenders[:20])
