"""Applying an import in batches: same rows as the web form writes, one notification for "submit all"."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from reviewtracker.errors import ValidationError
from reviewtracker.extensions import db
from reviewtracker.feedback import services
from reviewtracker.feedback.batch import FeedbackBatch
from reviewtracker.models import Activity, Feedback, FeedbackEdit, FeedbackState, Notification
from tests import factories
from tests.feedback.conftest import make_input
from tests.feedback_import.conftest import download, fill, upload

TODAY = date.today()
ROWS = [
    {"Section code": "G.2.2", "Type": "General", "Comment": "First", "Guiding principles": "a, f"},
    {"Section code": "G.2.3", "Type": "Editorial", "Comment": "Second", "Objectives": "7"},
    {"Section code": "B", "Type": "Substantive", "Comment": "Third"},
]


def _import(client, world, rows, mode: str, filename: str = "kenya.xlsx") -> list[Feedback]:
    upload(client, world.round.id, fill(download(client, world.round.id), rows), filename=filename)
    assert client.post("/feedback/imports/confirm", data={"mode": mode}).status_code == 302
    db.session.expire_all()
    stmt = select(Feedback).where(Feedback.import_id.is_not(None)).order_by(Feedback.id)
    return list(db.session.scalars(stmt))


def _notes(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_submit_all_notifies_the_focal_point_once_for_the_whole_file(client, world, login_as):
    login_as(world.users["contributor"])
    items = _import(client, world, ROWS, "submit")
    assert [i.state for i in items] == [FeedbackState.submitted] * 3
    notes = _notes(world.users["focal_point"])
    assert len(notes) == 1 and notes[0].kind == "feedback.submitted_many" and notes[0].feedback_id is None
    login_as(world.users["focal_point"])
    page = client.get("/feedback/notifications").get_data(as_text=True)
    assert "submitted 3 items from the offline template kenya.xlsx to you for review" in page
    for item in items:  # each item has the rows a single web-form submission writes, in order
        actions = db.session.scalars(
            select(Activity.action).where(Activity.feedback_id == item.id).order_by(Activity.id)
        )
        assert list(actions) == ["feedback.create", "feedback.submit"]
        create = db.session.scalar(select(Activity).where(Activity.feedback_id == item.id).order_by(Activity.id))
        assert create.after["state"] == "draft"
        assert [(e.number, e.comment) for e in item.edits] == [(1, item.comment)]
    assert [p.letter for p in items[0].principles] == ["a", "f"] and [o.number for o in items[1].objectives] == [7]


def test_a_one_row_submission_notifies_about_the_item_itself(client, world, login_as):
    login_as(world.users["contributor"])
    (item,) = _import(client, world, ROWS[:1], "submit")
    notes = _notes(world.users["focal_point"])
    assert len(notes) == 1 and notes[0].kind == "feedback.submitted" and notes[0].feedback_id == item.id


def test_drafts_notify_nobody(client, world, login_as):
    login_as(world.users["contributor"])
    items = _import(client, world, ROWS, "draft")
    assert [i.state for i in items] == [FeedbackState.draft] * 3
    assert _notes(world.users["focal_point"]) == []


def test_a_direct_round_forwards_every_item_with_its_activity_rows(world):
    direct = factories.create_round(("KE",), allow_direct=True)
    author = world.users["contributor"]
    with FeedbackBatch(direct, size=2) as batch:  # several flushes, and a last partial batch
        items = [
            services.create_feedback(
                author, direct, make_input(comment=f"Item {n}"), today=TODAY, submit=True, batch=batch
            )
            for n in range(5)
        ]
    assert services.notify_submitted(author, batch.submitted, filename="f.xlsx") == 1
    assert all(i.id is not None and i.state == FeedbackState.forwarded for i in items)
    for item in items:
        actions = db.session.scalars(
            select(Activity.action).where(Activity.feedback_id == item.id).order_by(Activity.id)
        )
        assert list(actions) == ["feedback.create", "feedback.submit", "feedback.forward"]
        assert db.session.scalar(select(FeedbackEdit.number).where(FeedbackEdit.feedback_id == item.id)) == 1
    (note,) = _notes(world.users["focal_point"])
    assert note.params == {"by": author.name, "direct": True, "num": 5, "file": "f.xlsx"}


def test_a_bad_row_in_a_batch_is_refused_like_on_the_form(world):
    author = world.users["contributor"]
    bad = make_input("G.2.1")
    bad.section_id = factories.get_section("B.07.2").id  # a section of the other version under review
    with pytest.raises(ValidationError, match="does not belong"), FeedbackBatch(world.round) as batch:
        services.create_feedback(author, world.round, make_input(), today=TODAY, batch=batch)
        services.create_feedback(author, world.round, bad, today=TODAY, batch=batch)
