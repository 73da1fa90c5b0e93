"""`flask seed demo` on an empty database: every printed login works and lands on a page for its role."""

from __future__ import annotations

import pytest

from reviewtracker.seed.demo import DEMO_PASSWORD

LANDING = {
    "contributor": "/feedback/",
    "focal_point": "/feedback/",
    "co_lead": "/triage/",
    "member": "/dashboard/",
    "admin": "/admin/",
}


@pytest.fixture
def demo_output(runner):
    """Run the real command, as `make run` does."""
    result = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_prints_a_login_for_every_role(demo_output):
    """The printed table names at least one account of each role, and the shared password."""
    for role in LANDING:
        assert f"\n{role} " in demo_output
    assert DEMO_PASSWORD in demo_output
    # Two or more pilot countries, each with a focal point and two contributors.
    for country in ("KE", "MA", "EC"):
        assert demo_output.count(f" {country} ") == 3


def test_every_demo_login_lands_on_a_page_of_its_role(app, demo_output):
    """Each demo account signs in with the printed password and reaches its landing page (200)."""
    rows = [line.split() for line in demo_output.splitlines() if line.endswith("@demo.reviewtracker.org")]
    assert len(rows) == 14
    for row in rows:
        role, email = row[0], row[-1]
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert response.headers["Location"] == LANDING[role], email
        page = client.get(response.headers["Location"])
        assert page.status_code == 200, email


def test_demo_is_not_added_twice(runner, demo_output):
    """--if-empty leaves an existing database alone; without it the command refuses."""
    again = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert again.exit_code == 0 and "already present" in again.output
    refused = runner.invoke(args=["seed", "demo"])
    assert refused.exit_code != 0
