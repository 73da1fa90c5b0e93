"""The feedback pages: form round-trip, extra fields ignored, 409 conflict page, lists."""

from __future__ import annotations

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, FeedbackState
from tests import factories


def _form(**extra):
    section = factories.get_section("G.2.3")
    data = {"section_id": str(section.id), "type": "substantive", "priority": "high", "language": "fr"}
    data["comment"] = "Un commentaire précis."
    data.update(extra)
    return data


def test_form_error_keeps_the_typed_text(world, client, login_as):
    login_as(world.users["contributor"])
    typed = "Texte gardé <script>alert(1)</script> " + "x" * 10_001
    response = client.post(f"/feedback/rounds/{world.round.id}/new", data=_form(comment=typed))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "x" * 10_001 in page
    assert "At most 10000 characters" in page


def test_extra_fields_are_ignored_and_retries_create_one_item(world, client, login_as):
    user = login_as(world.users["contributor"])
    other = factories.get_country("MA")
    data = _form(client_token="abc123", country_id=str(other.id), status="accepted", author_id="1", state="forwarded")
    first = client.post(f"/feedback/rounds/{world.round.id}/new", data=data)
    second = client.post(f"/feedback/rounds/{world.round.id}/new", data=data)
    assert first.status_code == second.status_code == 302
    items = db.session.scalars(select(Feedback).where(Feedback.client_token == "abc123")).all()
    assert len(items) == 1
    item = items[0]
    assert item.country_id == user.country_id and item.author_id == user.id
    assert item.state == FeedbackState.draft and item.status is None


def test_submit_button_submits_and_control_characters_are_reported(world, client, login_as):
    login_as(world.users["contributor"])
    response = client.post(
        f"/feedback/rounds/{world.round.id}/new",
        data=_form(comment="Bad\x07 bell", submit="Submit"),
        follow_redirects=True,
    )
    assert "Invisible control characters were removed" in response.get_data(as_text=True)
    item = db.session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()
    assert item.comment == "Bad bell" and item.state == FeedbackState.submitted


def test_stale_edit_shows_both_versions_with_409(world, client, login_as):
    login_as(world.users["contributor"])
    draft = world.draft
    stale = str(draft.lock_version)
    ok = client.post(f"/feedback/{draft.id}/edit", data=_form(comment="Theirs", lock_version=stale))
    assert ok.status_code == 302
    conflict = client.post(f"/feedback/{draft.id}/edit", data=_form(comment="Mine, typed", lock_version=stale))
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "Mine, typed" in page and "Theirs" in page
    db.session.refresh(draft)
    assert draft.comment == "Theirs"


def test_focal_point_edit_needs_a_reason_and_keeps_the_original(world, client, login_as):
    login_as(world.users["focal_point"])
    item = world.submitted
    original = item.comment
    section_code = item.section.code
    data = {**_form(comment="Clearer wording", lock_version=str(item.lock_version))}
    data["section_id"] = str(factories.get_section(section_code).id)
    assert client.post(f"/feedback/{item.id}/edit", data=data).status_code == 400
    assert client.post(f"/feedback/{item.id}/edit", data={**data, "reason": "Typos"}).status_code == 302
    db.session.refresh(item)
    assert [e.comment for e in item.edits] == [original, "Clearer wording"]
    page = client.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "Typos" in page and original in page


def test_other_country_gets_404_by_url_and_nothing_by_filter(world, client, login_as):
    login_as(world.users["contributor_other"])
    assert client.get(f"/feedback/{world.forwarded.id}").status_code == 404
    page = client.get(f"/feedback/?q={world.forwarded.comment}").get_data(as_text=True)
    assert world.forwarded.display_id not in page
    assert "No feedback matches" in page


def test_list_filters_sort_and_counts(world, client, login_as):
    login_as(world.users["focal_point"])
    page = client.get("/feedback/?state=forwarded&sort=section").get_data(as_text=True)
    assert world.forwarded.display_id in page and world.submitted.display_id not in page
    assert world.draft.display_id not in client.get("/feedback/").get_data(as_text=True)  # someone else's draft
    assert client.get("/feedback/?sort=comment;drop").status_code == 400
    assert client.get("/feedback/?state=nonsense").status_code == 400


def test_closed_round_refuses_new_feedback(world, client, login_as):
    closed = factories.create_round(("KE",), is_open=False)
    login_as(world.users["contributor"])
    response = client.post(f"/feedback/rounds/{closed.id}/new", data=_form(), follow_redirects=True)
    assert "not open for your country" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(Feedback.round_id == closed.id)) == 0


def test_published_response_shows_decision_revision_and_acknowledge(world, client, login_as):
    login_as(world.users["contributor"])
    page = client.get(f"/feedback/{world.answered.id}").get_data(as_text=True)
    assert "Thank you; the text will change." in page and world.revision.code in page and "Accepted" in page
    response = client.post(f"/feedback/{world.answered.id}/acknowledge", data={"agree": "disagree", "comment": "Hmm"})
    assert response.status_code == 302
    db.session.refresh(world.answered.response)
    assert world.answered.response.acknowledgement_comment == "Hmm"
