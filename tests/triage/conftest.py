"""Triage test fixtures: services run inside a request context (translated error messages need a locale)."""

from __future__ import annotations

import pytest


@pytest.fixture
def rq(app):
    """A request context, as services raise translated errors."""
    with app.test_request_context("/"):
        yield
