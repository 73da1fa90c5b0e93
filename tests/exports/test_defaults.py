"""Exports and dashboards open on the newest round that has feedback, and the matrix on a country that has items."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from reviewtracker.extensions import db
from tests import factories


def _selected(html: str, name: str) -> str | None:
    """The value of the selected option of a <select name=...> (None when nothing is selected)."""
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert block, f"the page has a {name} menu"
    option = re.search(r'<option(?=[^>]*\bselected\b)[^>]*value="([^"]*)"', block.group(1))
    return option.group(1) if option else None


@pytest.fixture
def rounds():
    """An older round where Morocco forwarded feedback, and a newer round with nothing in it yet."""
    older = factories.create_round(("KE", "MA"), name="First round")
    newer = factories.create_round(("KE", "MA"), name="Second round")
    newer.opens_on = older.opens_on + timedelta(days=5)  # the newest round, but empty
    morocco = factories.create_user("contributor", "MA")
    factories.create_feedback(morocco, older, state="forwarded")
    factories.create_feedback(morocco, older, state="forwarded", section="G.2.2")
    db.session.flush()
    return older, newer


def test_the_exports_form_opens_on_the_round_and_country_with_feedback(client, login_as, rounds):
    older, _newer = rounds
    login_as("co_lead")
    html = client.get("/exports/").get_data(as_text=True)
    assert _selected(html, "round_id") == str(older.id)
    assert _selected(html, "country_id") == str(factories.get_country("MA").id)  # not Azerbaijan, first by code


def test_a_focal_point_opens_on_her_countrys_round_with_feedback(client, login_as, rounds):
    older, newer = rounds
    kenya = factories.create_user("contributor", "KE")
    factories.create_feedback(kenya, newer, state="submitted")  # Kenya's own items are in the newer round only
    login_as("focal_point", country="KE")
    html = client.get("/exports/").get_data(as_text=True)
    assert _selected(html, "round_id") == str(newer.id)
    heading = re.search(r"<h1.*?</h1>", client.get("/dashboard/country").get_data(as_text=True), re.S).group(0)
    assert newer.name in heading and older.name not in heading


def test_the_dashboard_and_the_revision_summary_open_on_the_round_with_feedback(client, login_as, rounds):
    older, newer = rounds
    login_as("member")
    heading = re.search(r"<h1.*?</h1>", client.get("/dashboard/").get_data(as_text=True), re.S).group(0)
    assert older.name in heading and newer.name not in heading
    html = client.get("/exports/revisions").get_data(as_text=True)
    assert _selected(html, "round_id") == str(older.id)
    # Asking for a round still shows that round, empty or not.
    heading = re.search(r"<h1.*?</h1>", client.get(f"/dashboard/?round={newer.id}").get_data(as_text=True), re.S)
    assert newer.name in heading.group(0)


def test_without_any_feedback_the_newest_round_is_shown(client, login_as):
    older = factories.create_round(("KE",), name="First round")
    newer = factories.create_round(("KE",), name="Second round")
    newer.opens_on = older.opens_on + timedelta(days=5)
    db.session.flush()
    login_as("co_lead")
    html = client.get("/exports/").get_data(as_text=True)
    assert _selected(html, "round_id") == str(newer.id)
    heading = re.search(r"<h1.*?</h1>", client.get("/dashboard/").get_data(as_text=True), re.S).group(0)
    assert newer.name in heading
