"""Fixtures of the documents tests: a signed-in admin and a private folder for outline uploads."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _upload_dir(app, tmp_path, monkeypatch):
    """Outline previews are kept in a per-test folder, not in the project's instance/."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture
def admin(login_as):
    """A signed-in administrator."""
    return login_as("admin", email="boss@example.org")
