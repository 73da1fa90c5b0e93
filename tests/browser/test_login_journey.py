"""A person signs in with the real browser and sees a page in their language."""

from __future__ import annotations

import pytest

from reviewtracker.extensions import db
from tests import factories

pytestmark = pytest.mark.browser


def test_sign_in_switch_to_spanish_and_sign_out(live_server, page):
    """Sign in, switch the interface to Spanish with the keyboard-reachable buttons, then sign out."""
    with live_server.app.app_context():
        user = factories.create_user("member", None, email="member@example.org")
        db.session.commit()
        assert user.id
    live_server.sign_in(page, "member@example.org", factories.PASSWORD)
    page.goto(f"{live_server.url}/profile")
    assert page.locator("h1").inner_text() == "Your profile"
    page.get_by_role("button", name="Español").click()
    assert page.locator("h1").inner_text() == "Su perfil"
    page.get_by_role("button", name="Cerrar sesión").click()
    assert "Iniciar sesión" in page.locator("h1").inner_text()
