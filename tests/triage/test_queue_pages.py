"""Queue pages are found by id first: each page shows the right rows, in the chosen order, and no row twice."""

from __future__ import annotations

import re

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback
from reviewtracker.triage.views import PER_PAGE
from tests import factories


def _shown(html: str) -> list[str]:
    return re.findall(r'<a href="/triage/\d+">(FB-\d{6})</a>', html)


def test_pages_follow_the_sort_order_without_gaps_or_repeats(client, world, login_as):
    author = world.users["contributor"]
    for n in range(PER_PAGE + 7):
        factories.create_feedback(author, world.round, state="forwarded", priority=("high", "medium", "low")[n % 3])
    db.session.commit()
    login_as(world.users["co_lead"])
    expected = [
        f.display_id
        for f in db.session.scalars(
            select(Feedback).where(Feedback.state == "forwarded", Feedback.deleted_at.is_(None)).order_by(Feedback.id)
        )
    ]
    first = _shown(client.get("/triage/?sort=id").get_data(as_text=True))
    second = _shown(client.get("/triage/?sort=id&page=2").get_data(as_text=True))
    assert first + second == expected and len(first) == PER_PAGE
    by_priority = _shown(client.get("/triage/?sort=priority").get_data(as_text=True))
    ranks = {"high": 1, "medium": 2, "low": 3}
    items = {f.display_id: f for f in db.session.scalars(select(Feedback))}
    keys = [(ranks[items[i].priority.value], items[i].id) for i in by_priority]
    assert keys == sorted(keys)
    assert client.get("/triage/?sort=id&page=9").status_code == 404
