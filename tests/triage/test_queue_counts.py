"""The queue's total and per-status counts come from one grouped count: they must equal plain COUNT(*)s."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, TriageStatus
from reviewtracker.permissions import feedback_visibility
from reviewtracker.triage import queries
from reviewtracker.triage.filters import QueueFilters
from tests import factories


@pytest.fixture
def spread(world):
    """Forwarded items of both countries in several statuses and types, and one forwarded item without a status."""
    authors = [world.users["contributor"], world.users["contributor_other"]]
    statuses = ["new", "new", "in_review", "noted", "deferred", "new"]
    types = ["substantive", "editorial", "substantive"]
    for n, status in enumerate(statuses * 2):
        factories.create_feedback(authors[n % 2], world.round, state="forwarded", status=status, type=types[n % 3])
    nameless = factories.create_feedback(authors[0], world.round, state="forwarded")
    nameless.status = None
    db.session.commit()
    return world


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"status": ["new"]},
        {"status": ["new", "noted"]},
        {"type": ["substantive"]},
        {"type": ["editorial"], "status": ["in_review"]},
        {"view": ["unassigned"], "status": ["new", "new"]},
        {"country": "A"},
        {"country": "A", "type": ["substantive"], "status": ["new"]},
    ],
)
def test_total_and_status_counts_equal_plain_counts(app, spread, args):
    co_lead = spread.users["co_lead"]
    if args.get("country") == "A":
        args = {**args, "country": [str(spread.users["contributor"].country_id)]}
    filters = QueueFilters.from_args(MultiDict([(k, v) for k, vs in args.items() for v in vs]), co_lead)
    with app.test_request_context("/"):
        total, counts = queries.queue_counts(co_lead, filters)

    def plain(f: QueueFilters) -> int:
        stmt = f.where(select(func.count()).select_from(Feedback).where(feedback_visibility(co_lead)))
        return db.session.scalar(stmt)

    assert total == plain(filters)
    for status in TriageStatus:
        unfiltered = QueueFilters.from_args(MultiDict([(k, v) for k, vs in args.items() if k != "status" for v in vs]))
        unfiltered.user_id = co_lead.id
        unfiltered.status = [status]
        assert counts[status] == plain(unfiltered), status


def test_queue_page_shows_the_total_of_the_chosen_statuses(client, spread, login_as):
    login_as(spread.users["co_lead"])
    html = client.get("/triage/?status=new&status=noted").get_data(as_text=True)
    expected = db.session.scalar(
        select(func.count()).where(
            Feedback.state == "forwarded",
            Feedback.deleted_at.is_(None),
            Feedback.status.in_([TriageStatus.new, TriageStatus.noted]),
        )
    )
    assert re.search(rf"Everything matching the filter \({expected} items\)", html)
