"""The feedback services: lifecycle states, idempotency, conflicts, round dates, the focal point's edits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from reviewtracker.consolidation import services as consolidation
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback import services
from reviewtracker.feedback.services import ConflictError
from reviewtracker.models import (
    Activity,
    AnswerState,
    Feedback,
    FeedbackState,
    Notification,
    TriageStatus,
)
from tests import factories
from tests.feedback.conftest import make_input

TODAY = date.today()


def test_create_draft_keeps_original_and_writes_activity(world):
    author = world.users["contributor"]
    item = services.create_feedback(author, world.round, make_input(comment="  Texte\x00 original  "), today=TODAY)
    assert item.state == FeedbackState.draft and item.country_id == author.country_id
    assert item.comment == "Texte original"
    assert [e.number for e in item.edits] == [1] and item.edits[0].comment == "Texte original"
    assert db.session.scalar(select(func.count()).where(Activity.feedback_id == item.id)) == 1


def test_retried_post_creates_exactly_one_item(world):
    author = world.users["contributor"]
    first = services.create_feedback(author, world.round, make_input(), today=TODAY, client_token="tok-1")
    again = services.create_feedback(author, world.round, make_input(), today=TODAY, client_token="tok-1")
    assert first.id == again.id
    assert db.session.scalar(select(func.count()).where(Feedback.client_token == "tok-1")) == 1


def test_someone_elses_token_is_refused(world):
    services.create_feedback(world.users["contributor"], world.round, make_input(), today=TODAY, client_token="t")
    with pytest.raises(ValidationError):
        services.create_feedback(world.users["focal_point"], world.round, make_input(), today=TODAY, client_token="t")


def test_contributor_submission_goes_to_focal_point_and_notifies(world):
    author = world.users["contributor"]
    item = services.create_feedback(author, world.round, make_input(), today=TODAY, submit=True)
    assert item.state == FeedbackState.submitted and item.status is None
    note = db.session.scalar(select(Notification).where(Notification.user_id == world.users["focal_point"].id))
    assert note.kind == "feedback.submitted" and note.feedback_id == item.id


def test_focal_point_own_feedback_is_forwarded_at_once(world):
    item = services.create_feedback(world.users["focal_point"], world.round, make_input(), today=TODAY, submit=True)
    assert item.state == FeedbackState.forwarded and item.status == TriageStatus.new
    assert item.forwarded_by_id == world.users["focal_point"].id and item.forwarded_at is not None


def test_direct_submission_round_forwards_stakeholder_feedback(world):
    direct = factories.create_round(("KE",), allow_direct=True)
    item = services.create_feedback(world.users["contributor"], direct, make_input(), today=TODAY, submit=True)
    assert item.state == FeedbackState.forwarded
    assert not services.permissions.can_edit_feedback(world.users["focal_point"], item)
    with pytest.raises(WorkflowError):
        consolidation.return_feedback(world.users["focal_point"], item, "no")


def test_closed_round_refuses_creation_and_submission(world):
    author = world.users["contributor"]
    with pytest.raises(WorkflowError, match="not open"):
        services.create_feedback(author, world.round, make_input(), today=world.round.closes_on + timedelta(days=1))
    with pytest.raises(WorkflowError):
        services.create_feedback(author, world.round, make_input(), today=world.round.opens_on - timedelta(days=1))
    with pytest.raises(WorkflowError):
        services.submit_feedback(author, world.draft, today=world.round.closes_on + timedelta(days=1))


def test_extension_keeps_the_round_open_for_one_country(world):
    late = world.round.closes_on + timedelta(days=3)
    world.round.participant(world.users["contributor"].country_id).extended_until = late
    item = services.create_feedback(world.users["contributor"], world.round, make_input(), today=late, submit=True)
    assert item.state == FeedbackState.submitted
    with pytest.raises(WorkflowError):
        services.create_feedback(world.users["contributor_other"], world.round, make_input(), today=late)


def test_version_section_and_tags_must_match_the_round(world):
    author = world.users["contributor"]
    bad_section = make_input("G.2.1")
    bad_section.version_id = factories.get_version("B").id
    with pytest.raises(ValidationError):
        services.create_feedback(author, world.round, bad_section, today=TODAY)
    with pytest.raises(ValidationError):
        services.create_feedback(author, world.round, make_input(objective_ids=[99999]), today=TODAY)
    with pytest.raises(ValidationError):
        services.create_feedback(author, world.round, make_input(comment=" \x01 "), today=TODAY)
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 4  # only the world's


def test_non_participating_country_cannot_give_feedback(world):
    stranger = factories.create_user("contributor", "EC")
    with pytest.raises(WorkflowError):
        services.create_feedback(stranger, world.round, make_input(), today=TODAY)


def test_focal_point_edit_keeps_original_and_conflict_is_refused(world):
    fp, item = world.users["focal_point"], world.submitted
    loaded = item.lock_version
    services.update_feedback(
        fp, item, make_input(item.section.code, comment="Edited"), expected_version=loaded, reason="Clearer"
    )
    db.session.flush()
    assert [e.comment for e in item.edits][-1] == "Edited" and len(item.edits) == 2
    assert item.edits[0].comment != "Edited" and item.edits[1].reason == "Clearer"
    with pytest.raises(ConflictError) as caught:
        services.update_feedback(fp, item, make_input(item.section.code, comment="Late"), expected_version=loaded)
    assert caught.value.current.comment == "Edited"


def test_acknowledge_published_response(world):
    services.acknowledge_response(world.users["contributor"], world.answered, agree=False, comment="Not quite")
    assert world.answered.response.acknowledgement.value == "disagree"
    with pytest.raises(WorkflowError):
        services.acknowledge_response(world.users["contributor_other"], world.answered, agree=True, comment=None)


def test_on_behalf_entry_by_co_lead_is_forwarded(world):
    co_lead = world.users["co_lead"]
    country = factories.get_country("MA")
    late = world.round.closes_on + timedelta(days=30)
    item = services.create_feedback(co_lead, world.round, make_input(), today=late, country=country)
    assert item.country_id == country.id and item.entered_by_id == co_lead.id
    assert item.state == FeedbackState.forwarded and item.status == TriageStatus.new
    with pytest.raises(WorkflowError):  # a contributor cannot pick another country
        services.create_feedback(world.users["contributor"], world.round, make_input(), today=TODAY, country=country)


def test_guiding_answers_drafted_by_anyone_submitted_by_focal_point(world):
    q1, q2 = world.round.questions
    a1 = services.save_guiding_answer(world.users["contributor"], world.round, q1, "Oui", expected_version=None)
    db.session.flush()
    with pytest.raises(ConflictError):
        services.save_guiding_answer(world.users["focal_point"], world.round, q1, "Non", expected_version=None)
    services.save_guiding_answer(
        world.users["focal_point"], world.round, q1, "Oui, mais", expected_version=a1.lock_version
    )
    with pytest.raises(WorkflowError):
        services.submit_guiding_answers(world.users["contributor"], world.round)
    with pytest.raises(ValidationError, match="2"):
        services.submit_guiding_answers(world.users["focal_point"], world.round)
    services.save_guiding_answer(world.users["contributor"], world.round, q2, "Deux", expected_version=None)
    answers = services.submit_guiding_answers(world.users["focal_point"], world.round)
    assert {a.state for a in answers} == {AnswerState.submitted}
    assert answers[0].text == "Oui, mais"
    with pytest.raises(WorkflowError):
        services.save_guiding_answer(
            world.users["contributor"], world.round, q2, "x", expected_version=answers[1].lock_version
        )
