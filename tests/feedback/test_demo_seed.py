"""The demo feedback: every state present, enough forwarded items, answers drafted and submitted."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import AnswerState, Feedback, FeedbackState, GuidingAnswer
from reviewtracker.seed.demo import seed_demo


def test_demo_feedback_covers_every_state(app):
    seed_demo(date.today())
    counts = dict(db.session.execute(select(Feedback.state, func.count()).group_by(Feedback.state)).all())
    assert set(counts) == set(FeedbackState)
    assert counts[FeedbackState.forwarded] >= 25
    assert db.session.scalar(select(func.count()).where(Feedback.section_id.is_(None))) >= 2
    assert db.session.scalar(select(func.count()).where(Feedback.covid.is_(True))) >= 3
    states = set(db.session.scalars(select(GuidingAnswer.state)))
    assert states == {AnswerState.draft, AnswerState.submitted}
