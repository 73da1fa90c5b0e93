"""Every page each role can open passes axe-core with no critical or serious violation, in a real browser."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from reviewtracker.extensions import db
from tests import factories
from tests.test_permissions import CASES
from tests.world import build_world

pytestmark = pytest.mark.browser

ROLES = ("contributor", "focal_point", "co_lead", "member", "admin")
# Files, JSON and pages that are not HTML pages a person reads.
NOT_PAGES = (".xlsx", ".csv", ".json", "/download", "/api/")
BLOCKING = {"critical", "serious"}


def _pages_for(actor: str, world) -> list[str]:
    """One URL per page (endpoint and variant) that the actor may open, from the permission table."""
    urls: list[str] = []
    for case in CASES:
        if case.method != "GET" or actor not in case.allowed or case.expected_status(actor) != 200:
            continue
        url = case.url(world)
        if not any(marker in url for marker in NOT_PAGES) and url not in urls:
            urls.append(url)
    db.session.commit()
    return urls


def _problems(page) -> list[str]:
    """The blocking axe-core violations of the page, each with the elements it names."""
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def test_sign_in_page_is_accessible(live_server, page):
    """The first page anybody sees."""
    page.goto(f"{live_server.url}/login")
    assert _problems(page) == []


@pytest.mark.parametrize("actor", ROLES)
def test_every_page_of_a_role_is_accessible(live_server, page, actor):
    """Each page of the role, signed in through the real form: zero critical and zero serious violations."""
    with live_server.app.app_context():
        world = build_world()
        user = world.users[actor]
        email = user.email
        urls = _pages_for(actor, world)
    assert len(urls) >= 3, urls  # the table gives every role several pages
    live_server.sign_in(page, email, factories.PASSWORD)
    page.wait_for_load_state()
    failures = {}
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status < 400, f"{url}: {response and response.status}"
        problems = _problems(page)
        if problems:
            failures[url] = problems
    assert not failures, "\n".join(f"{url}: {problems}" for url, problems in failures.items())
