"""Demo exports: one consolidated workbook and one country matrix, so the Exports page is not empty."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.services import run_export
from reviewtracker.extensions import db
from reviewtracker.models import Country, ExportKind, ReviewRound, User


def seed(today: date) -> None:
    """Write the two files as the first co-lead (fast: the demo round has a few dozen items)."""
    review_round = db.session.scalars(select(ReviewRound).order_by(ReviewRound.id.desc())).first()
    if review_round is None:
        return
    co_lead = db.session.scalar(select(User).where(User.email == "sofia.rossi@demo.reviewtracker.org"))
    kenya = db.session.scalar(select(Country).where(Country.code == "KE"))
    run_export(co_lead, ExportKind.consolidated, ExportParams(round_id=review_round.id, lang="en"))
    if kenya is not None:
        run_export(co_lead, ExportKind.matrix, ExportParams(round_id=review_round.id, lang="en", country_id=kenya.id))
