"""Read-only queries of the round pages."""

from __future__ import annotations

from sqlalchemy import Select, select

from reviewtracker.models import ReviewRound


def list_rounds() -> Select:
    """Rounds, the newest opening date first."""
    return select(ReviewRound).order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc())
