"""What "today" means for a review round: the date in UTC, as every stored time is, whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def round_today() -> date:
    """Today for opening and closing rounds: a round is open from the start of its first day to the end of its last
    day, both in UTC, so a country's deadline is the same on every server (never `date.today()`, the server's date).
    """
    return utc_now().date()
