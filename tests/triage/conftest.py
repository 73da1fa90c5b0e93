"""Triage test fixtures: services run inside a request context (translated error messages need a locale)."""

from __future__ import annotations

import pytest

from tests.browser_support import browser, live_server, page  # noqa: F401 - browser-test fixtures


@pytest.fixture
def rq(app):
    """A request context, as services raise translated errors."""
    with app.test_request_context("/"):
        yield
