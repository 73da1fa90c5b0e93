"""The focal point returns a comment: she lands back on her queue, and a "returned" filter lists it with her note."""

from __future__ import annotations

from reviewtracker.extensions import db
from reviewtracker.models import FeedbackState
from reviewtracker.models._base import MAX_NOTE_CHARS


def test_returning_from_the_item_page_lands_on_the_queue(world, client, login_as):
    login_as(world.users["focal_point"])
    item = world.submitted
    response = client.post(f"/feedback/{item.id}/return", data={"note": "Précisez la page, merci.", "next": "detail"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/feedback/queue")
    landed = client.get(response.headers["Location"])
    assert landed.status_code == 200
    assert f"{item.display_id} was returned to its author." in landed.get_data(as_text=True)
    db.session.refresh(item)
    assert item.state == FeedbackState.returned


def test_the_returned_filter_shows_what_she_sent_back_with_her_note(world, client, login_as):
    login_as(world.users["focal_point"])
    item = world.submitted
    assert client.post(f"/feedback/{item.id}/return", data={"note": "Précisez la page, merci."}).status_code == 302
    waiting = client.get("/feedback/queue").get_data(as_text=True)
    assert f"/feedback/{item.id}/forward" not in waiting  # no longer waiting with her
    returned = client.get("/feedback/queue?show=returned")
    assert returned.status_code == 200
    page = returned.get_data(as_text=True)
    assert item.display_id in page and "Précisez la page, merci." in page

    login_as(world.users["focal_point_other"])  # another country's focal point sees none of it
    other = client.get("/feedback/queue?show=returned").get_data(as_text=True)
    assert item.display_id not in other and "Précisez la page" not in other


def test_an_unknown_queue_filter_is_refused(world, client, login_as):
    login_as(world.users["focal_point"])
    assert client.get("/feedback/queue?show=everything").status_code == 400


def test_a_refused_note_is_shown_on_the_queue_form_with_the_text_kept(world, client, login_as):
    login_as(world.users["focal_point"])
    item = world.submitted
    typed = "Trop long. " * (MAX_NOTE_CHARS // 10)
    response = client.post(f"/feedback/{item.id}/return", data={"note": typed, "next": "detail"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Country queue" in page and "At most" in page and "is-invalid" in page
    assert typed.strip() in page
    db.session.refresh(item)
    assert item.state == FeedbackState.submitted
