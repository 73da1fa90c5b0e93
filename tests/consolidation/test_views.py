"""The queue pages: a return needs a note, several items are forwarded at once."""

from __future__ import annotations

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, FeedbackState
from tests import factories


def test_queue_return_needs_note_then_forward_selected(world, client, login_as):
    login_as(world.users["focal_point"])
    assert "Comment" in client.get("/feedback/queue").get_data(as_text=True)
    assert client.post(f"/feedback/{world.submitted.id}/return", data={"note": " "}).status_code == 400
    second = factories.create_feedback(world.users["contributor"], world.round, state="submitted")
    response = client.post("/feedback/forward-selected", data={"ids": [str(world.submitted.id), str(second.id)]})
    assert response.status_code == 302
    states = set(db.session.scalars(select(Feedback.state).where(Feedback.id.in_([world.submitted.id, second.id]))))
    assert states == {FeedbackState.forwarded}
