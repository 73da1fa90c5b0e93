"""Where reports open: the newest round in which the user can see feedback, and a country of that round with items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Country, Feedback, ReviewRound, User
from reviewtracker.permissions import feedback_visibility

Choice = TypeVar("Choice", ReviewRound, Country)


def default_round(viewer: User, rounds: Sequence[ReviewRound]) -> ReviewRound | None:
    """The first of `rounds` (newest first) in which the viewer can see an item; the newest when none has any.

    An empty new round must not hide the round that is being triaged and reported on.
    """
    with_items = set(db.session.scalars(select(Feedback.round_id).where(feedback_visibility(viewer)).distinct()))
    return _first(rounds, with_items)


def default_country(viewer: User, review_round: ReviewRound | None, countries: Sequence[Country]) -> Country | None:
    """The first of `countries` with an item the viewer can see in the round; the first when none has any."""
    with_items: set[int] = set()
    if review_round is not None:
        stmt = select(Feedback.country_id).where(feedback_visibility(viewer), Feedback.round_id == review_round.id)
        with_items = set(db.session.scalars(stmt.distinct()))
    return _first(countries, with_items)


def _first(choices: Sequence[Choice], with_items: set[int]) -> Choice | None:
    return next((c for c in choices if c.id in with_items), choices[0] if choices else None)
