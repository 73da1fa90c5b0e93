"""The consolidation services: only the country's focal point forwards, returns (with a note) and merges."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from reviewtracker.consolidation import services as consolidation
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback import services
from reviewtracker.models import FeedbackEdit, FeedbackState, Notification, TriageStatus
from tests.feedback.conftest import make_input

TODAY = date.today()


def test_other_country_focal_point_cannot_touch_items(world):
    other = world.users["focal_point_other"]
    with pytest.raises(WorkflowError):
        consolidation.forward_feedback(other, world.submitted)
    with pytest.raises(WorkflowError):
        services.update_feedback(other, world.submitted, make_input(), expected_version=world.submitted.lock_version)
    assert world.submitted.state == FeedbackState.submitted


def test_contributor_cannot_forward(world):
    with pytest.raises(WorkflowError):
        consolidation.forward_feedback(world.users["contributor"], world.submitted)


def test_forward_return_merge_withdraw(world):
    fp, author = world.users["focal_point"], world.users["contributor"]
    consolidation.forward_feedback(fp, world.submitted)
    assert world.submitted.state == FeedbackState.forwarded and world.submitted.status == TriageStatus.new
    a = services.create_feedback(author, world.round, make_input(comment="First"), today=TODAY, submit=True)
    b = services.create_feedback(author, world.round, make_input(comment="Second"), today=TODAY, submit=True)
    with pytest.raises(ValidationError):
        consolidation.return_feedback(fp, a, "  ")
    consolidation.return_feedback(fp, a, "Please add a page number")
    assert a.state == FeedbackState.returned and a.return_note == "Please add a page number"
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == author.id)))
    assert {"feedback.forwarded", "feedback.returned"} <= kinds
    c = services.create_feedback(author, world.round, make_input(comment="Third"), today=TODAY, submit=True)
    consolidation.merge_feedback(fp, b, c)
    assert c.state == FeedbackState.merged and c.merged_into_id == b.id
    assert "Third" in b.comment and b.comment.startswith("Second")
    assert db.session.scalar(select(func.count()).where(FeedbackEdit.feedback_id == b.id)) == 2
    services.submit_feedback(author, a, today=TODAY)
    assert a.state == FeedbackState.submitted
    services.withdraw_feedback(author, a)
    assert a.state == FeedbackState.withdrawn
    with pytest.raises(WorkflowError):
        services.withdraw_feedback(author, world.forwarded)
