"""Fixtures of the rounds tests: a signed-in admin."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(login_as):
    """A signed-in administrator."""
    return login_as("admin", email="boss@example.org")
