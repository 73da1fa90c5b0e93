"""Guiding answers: one form keeps every box; save, submit, errors and conflicts never lose typed text."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import AnswerState, GuidingAnswer
from tests.races import race, signed_in


class _Form(HTMLParser):
    """The values a browser would send for the questions form (inputs and textareas by name, in order)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.textareas: dict[str, str] = {}
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "questions" in (attrs.get("action") or ""):
            self._in_form = True
        elif self._in_form and tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self._in_form and tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # Like a browser: a newline right after <textarea> is not part of the value.
            value = self.fields[self._textarea]
            self.fields[self._textarea] = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_of(html: str) -> dict[str, str]:
    """Parse the questions form of a page."""
    parser = _Form()
    parser.feed(html)
    return parser.fields


def box(fields: dict[str, str], question_id: int) -> str:
    """The name of the textarea of a question (its index follows the page's order)."""
    for name, value in fields.items():
        if name.endswith("-question_id") and value == str(question_id):
            return name.replace("-question_id", "-text")
    raise AssertionError(f"no box for question {question_id}: {fields}")


def answer_text(question, country_id) -> str | None:
    db.session.expire_all()
    found = db.session.scalar(
        select(GuidingAnswer).where(GuidingAnswer.question_id == question.id, GuidingAnswer.country_id == country_id)
    )
    return found.text if found else None


def url(world) -> str:
    return f"/feedback/rounds/{world.round.id}/questions"


def test_save_draft_keeps_every_box(world, client, login_as):
    q1, q2 = world.round.questions
    user = login_as(world.users["contributor"])
    fields = form_of(client.get(url(world)).get_data(as_text=True))
    fields[box(fields, q1.id)], fields[box(fields, q2.id)] = "Première réponse", "Seconde réponse"
    response = client.post(url(world), data={**fields, "save": "1"})
    assert response.status_code == 302
    assert answer_text(q1, user.country_id) == "Première réponse"
    assert answer_text(q2, user.country_id) == "Seconde réponse"
    page = client.get(url(world)).get_data(as_text=True)
    assert "Première réponse" in page and "Seconde réponse" in page


def test_submit_saves_the_unsaved_text_then_submits(world, client, login_as):
    q1, q2 = world.round.questions
    user = login_as(world.users["focal_point"])
    fields = form_of(client.get(url(world)).get_data(as_text=True))
    fields[box(fields, q1.id)], fields[box(fields, q2.id)] = "Oui", "Non"
    response = client.post(url(world) + "/submit", data={**fields, "submit": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    answers = db.session.scalars(select(GuidingAnswer).where(GuidingAnswer.country_id == user.country_id)).all()
    assert sorted(a.text for a in answers) == ["Non", "Oui"]
    assert {a.state for a in answers} == {AnswerState.submitted}


def test_submit_with_an_empty_box_shows_the_error_inline_and_keeps_the_text(world, client, login_as):
    q1, _q2 = world.round.questions
    user = login_as(world.users["focal_point"])
    fields = form_of(client.get(url(world)).get_data(as_text=True))
    fields[box(fields, q1.id)] = "Texte tapé mais pas encore enregistré"
    response = client.post(url(world) + "/submit", data={**fields, "submit": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Answer this question before submitting." in page and "missing: 2" in page
    assert form_of(page)[box(fields, q1.id)] == "Texte tapé mais pas encore enregistré"
    assert "Guiding questions" in page  # the same page, not a bare error page
    assert answer_text(q1, user.country_id) is None  # refused as a whole: nothing written


def test_too_long_answer_is_an_inline_error_with_every_box_kept(world, client, login_as):
    q1, q2 = world.round.questions
    user = login_as(world.users["contributor"])
    fields = form_of(client.get(url(world)).get_data(as_text=True))
    fields[box(fields, q1.id)], fields[box(fields, q2.id)] = "x" * 20_001, "Gardé"
    response = client.post(url(world), data={**fields, "save": "1"})
    assert response.status_code == 400
    kept = form_of(response.get_data(as_text=True))
    assert kept[box(fields, q2.id)] == "Gardé" and kept[box(fields, q1.id)] == "x" * 20_001
    assert answer_text(q2, user.country_id) is None


def test_conflict_shows_both_texts_inline_and_overwrites_nothing(world, client, login_as):
    q1, q2 = world.round.questions
    country = world.users["contributor"].country_id
    login_as(world.users["contributor"])
    stale = form_of(client.get(url(world)).get_data(as_text=True))  # the page as loaded before the other save
    first = dict(stale)
    first[box(first, q1.id)] = "Premier"
    assert client.post(url(world), data={**first, "save": "1"}).status_code == 302

    login_as(world.users["focal_point"])
    mine = dict(stale)
    mine[box(mine, q1.id)], mine[box(mine, q2.id)] = "Second", "Deux"
    clash = client.post(url(world), data={**mine, "save": "1"})
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    again = form_of(page)
    assert again[box(mine, q1.id)] == "Second" and again[box(mine, q2.id)] == "Deux"
    assert "Premier" in page and "The saved version" in page
    assert answer_text(q1, country) == "Premier" and answer_text(q2, country) is None

    # Saving again from that page is a choice made with the other text in view: it replaces it.
    assert client.post(url(world), data={**again, "save": "1"}).status_code == 302
    assert answer_text(q1, country) == "Second" and answer_text(q2, country) == "Deux"


def test_a_box_left_untouched_does_not_undo_or_block_someone_elses_save(world, client, login_as):
    q1, q2 = world.round.questions
    country = world.users["contributor"].country_id
    login_as(world.users["focal_point"])
    loaded = form_of(client.get(url(world)).get_data(as_text=True))
    login_as(world.users["contributor"])
    other = dict(loaded)
    other[box(other, q1.id)] = "Écrit par un collègue"
    assert client.post(url(world), data={**other, "save": "1"}).status_code == 302

    login_as(world.users["focal_point"])
    mine = dict(loaded)
    mine[box(mine, q2.id)] = "Ma réponse"
    assert client.post(url(world), data={**mine, "save": "1"}).status_code == 302
    assert answer_text(q1, country) == "Écrit par un collègue" and answer_text(q2, country) == "Ma réponse"


def test_parallel_saves_of_one_answer_one_wins_the_other_sees_both(world, live):
    q1, _q2 = world.round.questions
    country = world.users["contributor"].country_id
    sessions = [signed_in(live, world.users["contributor"]), signed_in(live, world.users["focal_point"])]
    loaded = form_of(sessions[0].get(live + url(world)).text)
    texts = ["Version de la contributrice", "Version du point focal"]
    target, name = live + url(world), box(loaded, q1.id)  # read here: the threads have no app context

    def send(i):
        return sessions[i].post(target, data={**loaded, name: texts[i], "save": "1"}, allow_redirects=False)

    answers = race(2, send)
    assert sorted(a.status_code for a in answers) == [302, 409]
    winner = next(i for i, a in enumerate(answers) if a.status_code == 302)
    loser = 1 - winner
    assert answer_text(q1, country) == texts[winner]
    assert texts[winner] in answers[loser].text and texts[loser] in answers[loser].text
