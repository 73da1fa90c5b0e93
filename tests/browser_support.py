"""Browser-test support: the real app served on a free loopback port, and Debian's chromium via Playwright.

The fixtures are registered once in tests/conftest.py (a session fixture defined in several conftests
would start a second Playwright inside the first). The server and the browser are stopped through their
own handles, never by process name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import make_server

from reviewtracker import create_app
from reviewtracker.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class LiveServer:
    """A running app: `url` to browse, `app` to prepare data in its database."""

    url: str
    app: Flask

    def sign_in(self, page, email: str, password: str) -> None:
        """Sign in through the real login form."""
        page.goto(f"{self.url}/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("main input[type=submit], main button[type=submit]")


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    """The app on 127.0.0.1:<free port> over a fresh SQLite file with the reference data."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite3'}",
        WTF_CSRF_ENABLED=True,
        EXPORTS_DIR=str(tmp_path / "exports"),
    )
    with app.app_context():
        db.create_all()
        from reviewtracker.seed.reference import seed_reference

        seed_reference()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test."""
    context = browser.new_context(locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        context.close()
