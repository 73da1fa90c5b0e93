"""A NUL character in a form field: the same form again, a message on that field, the typed text kept without it."""

from __future__ import annotations

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.forms import NUL_MESSAGE
from reviewtracker.models import Feedback, TriageNote
from tests import factories
from tests.feedback.test_answers_form import box, form_of

MESSAGE = str(NUL_MESSAGE)


def test_nul_in_a_comment_shows_the_form_with_the_text_minus_the_nul(world, client, login_as):
    login_as(world.users["contributor"])
    section = factories.get_section("G.2.1")
    before = db.session.scalar(select(func.count(Feedback.id)))
    response = client.post(
        f"/feedback/rounds/{world.round.id}/new",
        data={"section_id": str(section.id), "type": "general", "priority": "low", "language": "fr",
              "comment": "Bonjour\x00 le monde", "proposed_change": "Nouveau texte"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert MESSAGE in page
    assert "Bonjour le monde</textarea>" in page and "Nouveau texte</textarea>" in page  # both boxes kept
    assert 'name="comment"' in page and "is-invalid" in page  # the message sits on the field
    assert db.session.scalar(select(func.count(Feedback.id))) == before


def test_nul_in_the_login_form_is_a_message_on_the_e_mail_field(client, make_user):
    user = make_user("contributor", "KE")
    db.session.commit()
    response = client.post("/login", data={"email": user.email + "\x00", "password": "whatever"})
    assert response.status_code in (200, 400)
    page = response.get_data(as_text=True)
    assert MESSAGE in page and f'value="{user.email}"' in page


def test_nul_in_a_guiding_answer_is_shown_on_its_box(world, client, login_as):
    q1, q2 = world.round.questions
    login_as(world.users["contributor"])
    fields = form_of(client.get(f"/feedback/rounds/{world.round.id}/questions").get_data(as_text=True))
    fields[box(fields, q1.id)], fields[box(fields, q2.id)] = "Un\x00 deux", "Trois"
    response = client.post(f"/feedback/rounds/{world.round.id}/questions", data={**fields, "save": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert MESSAGE in page
    kept = form_of(page)
    assert kept[box(fields, q1.id)] == "Un deux" and kept[box(fields, q2.id)] == "Trois"


def test_nul_in_a_triage_note_keeps_the_note(world, client, login_as):
    login_as(world.users["co_lead"])
    response = client.post(f"/triage/{world.forwarded.id}/notes", data={"body": "Vérifier\x00 la source"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert MESSAGE in page and "Vérifier la source</textarea>" in page
    assert db.session.scalar(select(func.count(TriageNote.id))) == 0


def test_nul_in_the_query_string_is_still_refused(world, client, login_as):
    login_as(world.users["contributor"])
    assert client.get("/feedback/?q=a%00b").status_code == 400
