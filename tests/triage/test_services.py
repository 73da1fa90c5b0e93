"""Triage services: status moves, optimistic locking, assignment, tags, notes and responses."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.models import Activity, ActivityCategory, LeadAgency, Notification, TriageNote, TriageStatus
from reviewtracker.triage import services
from reviewtracker.triage.services import ConflictError


def _activities(feedback, action=None):
    stmt = select(Activity).where(Activity.feedback_id == feedback.id, Activity.category == ActivityCategory.triage)
    if action:
        stmt = stmt.where(Activity.action == action)
    return list(db.session.scalars(stmt.order_by(Activity.id)))


def test_change_status_records_before_and_after(world, rq):
    co_lead, item = world.users["co_lead"], world.forwarded
    version = item.lock_version
    services.change_status(co_lead, item, TriageStatus.in_review, expected_version=version)
    assert item.status == TriageStatus.in_review
    assert item.lock_version == version + 1
    (row,) = _activities(item, "triage.status")
    assert row.before == {"status": "new"} and row.after == {"status": "in_review"}
    assert row.actor_id == co_lead.id


def test_stale_version_raises_conflict_and_changes_nothing(world, rq):
    item = world.forwarded
    with pytest.raises(ConflictError) as error:
        services.change_status(
            world.users["co_lead"], item, TriageStatus.in_review, expected_version=item.lock_version - 1
        )
    assert error.value.current is item
    assert error.value.status_code == 409
    assert item.status == TriageStatus.new
    assert _activities(item) == []


def test_illegal_move_is_refused_with_the_reason(world, rq):
    item = world.forwarded
    with pytest.raises(WorkflowError, match="cannot move"):
        services.change_status(world.users["co_lead"], item, TriageStatus.accepted, expected_version=item.lock_version)


def test_member_cannot_change_status(world, rq):
    item = world.forwarded
    with pytest.raises(WorkflowError):
        services.change_status(world.users["member"], item, TriageStatus.in_review, expected_version=item.lock_version)


def test_duplicate_requires_the_original(world, rq):
    item, co_lead = world.forwarded, world.users["co_lead"]
    with pytest.raises(WorkflowError, match="duplicates"):
        services.change_status(co_lead, item, TriageStatus.duplicate, expected_version=item.lock_version)
    with pytest.raises(WorkflowError, match="itself"):
        services.change_status(
            co_lead, item, TriageStatus.duplicate, expected_version=item.lock_version, duplicate_of=item
        )
    services.change_status(
        co_lead, item, TriageStatus.duplicate, expected_version=item.lock_version, duplicate_of=world.answered
    )
    assert item.duplicate_of_id == world.answered.id
    services.change_status(co_lead, item, TriageStatus.in_review, expected_version=item.lock_version)
    assert item.duplicate_of_id is None


def test_assign_and_tags(world, rq):
    co_lead, item = world.users["co_lead"], world.forwarded
    agency = db.session.scalar(select(LeadAgency).where(LeadAgency.code == "OHCHR"))
    services.assign_feedback(co_lead, item, assignee=co_lead, lead_agency=agency, expected_version=item.lock_version)
    assert item.assignee_id == co_lead.id and item.lead_agency_id == agency.id
    with pytest.raises(ValidationError):
        services.assign_feedback(
            co_lead, item, assignee=world.users["contributor"], lead_agency=None, expected_version=item.lock_version
        )
    services.set_tags(
        co_lead,
        item,
        tag_names=["Data", "data ", "Return"],
        principle_ids=[],
        objective_ids=[],
        expected_version=item.lock_version,
    )
    assert [t.name for t in item.tags] == ["Data", "Return"]
    row = _activities(item, "triage.tags")[-1]
    assert row.after == {"tags": ["Data", "Return"]}


def test_notes_are_threaded_and_do_not_bump_the_version(world, rq):
    co_lead, item = world.users["co_lead"], world.forwarded
    version = item.lock_version
    note = services.add_note(co_lead, item, "Check with OHCHR")
    reply = services.add_note(co_lead, item, "Done", parent=note)
    db.session.commit()
    assert reply.parent_id == note.id
    assert item.lock_version == version
    assert db.session.scalar(select(TriageNote).where(TriageNote.id == note.id)).replies == [reply]
    row = _activities(item, "triage.note")[0]
    assert "Check" not in str(row.after)


def test_response_publish_requires_decision_and_notifies(world, rq):
    co_lead, item = world.users["co_lead"], world.forwarded
    with pytest.raises(WorkflowError):
        services.save_response(
            co_lead, item, text="Thanks", language="en", publish=True, expected_version=item.lock_version
        )
    services.save_response(
        co_lead, item, text="Thanks", language="en", publish=False, expected_version=item.lock_version
    )
    services.change_status(co_lead, item, TriageStatus.in_review, expected_version=item.lock_version)
    services.change_status(co_lead, item, TriageStatus.accepted, expected_version=item.lock_version)
    services.publish_response(co_lead, item)
    assert item.response.published
    recipients = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "feedback.answered")))
    assert recipients == {world.users["contributor"].id, world.users["focal_point"].id}
    with pytest.raises(WorkflowError, match="already"):
        services.publish_response(co_lead, item)
