"""A round opens and closes on its dates in UTC, whatever the server's time zone, and its pages say so."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from reviewtracker import clock
from reviewtracker.extensions import db
from reviewtracker.models import Feedback, ReviewRound
from tests import factories

# POSIX zone strings (no tz database needed); the sign is reversed: "LOC-14" is UTC+14.
AHEAD, BEHIND = "LOC-14", "LOC+12"


def _set_zone(zone: str | None) -> None:
    if zone is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = zone
    time.tzset()


@pytest.fixture
def server_zone():
    """Put the server in a given local time zone for the test (date.today() follows it)."""
    saved = os.environ.get("TZ")
    yield _set_zone
    _set_zone(saved)


def _form() -> dict:
    section = factories.get_section("G.2.3")
    return {
        "section_id": str(section.id),
        "type": "substantive",
        "priority": "high",
        "language": "en",
        "comment": "Please name the lead ministry.",
    }


def _round(opens: date, closes: date) -> ReviewRound:
    review_round = factories.create_round(("KE",))
    review_round.opens_on, review_round.closes_on = opens, closes
    db.session.flush()
    return review_round


def _create(client, review_round: ReviewRound) -> int:
    """Post a comment in the round; how many comments the round then has."""
    client.post(f"/feedback/rounds/{review_round.id}/new", data=_form())
    return db.session.scalar(select(func.count(Feedback.id)).where(Feedback.round_id == review_round.id))


def test_a_round_follows_the_utc_date_not_the_servers(client, login_as, server_zone):
    """Real clock: the server's zone is chosen so that its date differs from the UTC date right now."""
    server_zone(AHEAD if datetime.now(UTC).hour >= 11 else BEHIND)
    utc, local = datetime.now(UTC).date(), date.today()
    assert utc != local
    day = timedelta(days=1)
    if local > utc:  # the server is already on tomorrow: in UTC, today is still the round's last day
        open_in_utc, open_locally = _round(utc - 10 * day, utc), _round(local, local + 10 * day)
    else:  # the server is still on yesterday: in UTC, today is already the round's first day
        open_in_utc, open_locally = _round(utc, utc + 10 * day), _round(local - 10 * day, local)
    login_as("contributor", country="KE")
    page = client.get(f"/feedback/rounds/{open_in_utc.id}").get_data(as_text=True)
    assert "not open for your country" not in page
    page = client.get(f"/feedback/rounds/{open_locally.id}").get_data(as_text=True)
    assert "not open for your country" in page
    assert _create(client, open_in_utc) == 1
    assert _create(client, open_locally) == 0


def test_the_round_closes_at_midnight_utc(client, login_as, server_zone, monkeypatch):
    """Frozen clock around midnight UTC at the end of the closing day; the server's zone says the opposite."""
    review_round = _round(date(2026, 11, 1), date(2026, 12, 1))
    login_as("contributor", country="KE")
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 1, 23, 59, 30, tzinfo=UTC))
    server_zone(AHEAD)  # local time: 2 December, 13:59
    assert clock.round_today() == date(2026, 12, 1)
    assert _create(client, review_round) == 1
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 2, 0, 0, 30, tzinfo=UTC))
    server_zone(BEHIND)  # local time: 1 December, 12:00
    assert clock.round_today() == date(2026, 12, 2)
    assert _create(client, review_round) == 1  # refused: the round closed at midnight UTC
    assert "not open for your country" in client.get(f"/feedback/rounds/{review_round.id}").get_data(as_text=True)


def test_round_pages_say_the_dates_are_in_utc(client, login_as):
    review_round = _round(date(2026, 11, 1), date(2026, 12, 1))
    login_as("contributor", country="KE")
    page = client.get(f"/feedback/rounds/{review_round.id}").get_data(as_text=True)
    assert "Dates are in UTC: the round closes at the end of Dec 1, 2026, UTC." in page
    login_as("admin")
    page = client.get(f"/admin/rounds/{review_round.id}").get_data(as_text=True)
    assert "Dates are in UTC" in page and "closes at the end of its last day" in page
