"""Review rounds: dates, versions, countries, per-country extensions and guiding questions."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import GuidingAnswer, GuidingQuestion, ReviewRound
from tests.factories import create_feedback, create_round, create_user, get_country, get_version


def _round_data(**changes) -> dict:
    data = {
        "name": "Second round",
        "description": "Revised draft review",
        "versions": [str(get_version("G").id)],
        "opens_on": "2026-03-01",
        "closes_on": "2026-04-30",
        "countries": [str(get_country("KE").id), str(get_country("MA").id)],
    }
    data.update(changes)
    return data


def test_create_round_and_refuse_closing_before_opening(app, client, admin):
    bad = client.post("/admin/rounds/new", data=_round_data(closes_on="2026-02-01"))
    assert "The closing date must be on or after the opening date." in bad.get_data(as_text=True)
    assert db.session.scalar(select(ReviewRound)) is None
    no_version = client.post("/admin/rounds/new", data=_round_data(versions=[]))
    assert "Choose at least one version." in no_version.get_data(as_text=True)
    ok = client.post("/admin/rounds/new", data=_round_data(allow_direct_submission="y"))
    assert ok.status_code == 302
    review_round = db.session.scalar(select(ReviewRound))
    assert review_round.closes_on == date(2026, 4, 30) and review_round.allow_direct_submission
    assert sorted(p.country.code for p in review_round.participants) == ["KE", "MA"]
    page = client.get(f"/admin/rounds/{review_round.id}").get_data(as_text=True)
    assert "Second round" in page and "KE — " in page


def test_a_country_with_feedback_cannot_leave_the_round(app, client, admin):
    review_round = create_round(("KE", "MA"))
    create_feedback(create_user("contributor", "MA"), review_round)
    response = client.post(
        f"/admin/rounds/{review_round.id}/edit", data=_round_data(countries=[str(get_country("KE").id)])
    )
    assert "must stay in it: MA" in response.get_data(as_text=True)
    db.session.refresh(review_round)
    assert len(review_round.participants) == 2


def test_extension_must_not_end_before_the_round_closes(app, client, admin):
    review_round = create_round(("KE", "MA"))
    kenya = get_country("KE")
    url = f"/admin/rounds/{review_round.id}/extensions/{kenya.id}"
    early = (review_round.closes_on - timedelta(days=1)).isoformat()
    page = client.post(url, data={"extended_until": early}, follow_redirects=True).get_data(as_text=True)
    assert "An extension cannot end before the round closes." in page
    later = review_round.closes_on + timedelta(days=14)
    assert client.post(url, data={"extended_until": later.isoformat()}).status_code == 302
    db.session.refresh(review_round)
    assert review_round.closes_on_for(kenya.id) == later
    assert review_round.closes_on_for(get_country("MA").id) == review_round.closes_on
    client.post(url, data={"extended_until": ""})
    db.session.refresh(review_round)
    assert review_round.participant(kenya.id).extended_until is None
    outsider = get_country("EC") or get_country("KE")
    if outsider.code == "EC":
        refused = client.post(
            f"/admin/rounds/{review_round.id}/extensions/{outsider.id}",
            data={"extended_until": later.isoformat()},
            follow_redirects=True,
        )
        assert "does not take part in this round" in refused.get_data(as_text=True)


def test_guiding_questions_add_edit_reorder_delete(app, client, admin):
    review_round = create_round(questions=2)
    url = f"/admin/rounds/{review_round.id}/questions"
    assert client.post(url, data={"text_en": "What is missing?", "text_fr": "Que manque-t-il ?"}).status_code == 302
    questions = sorted(review_round.questions, key=lambda q: q.position)
    assert [q.text_en for q in questions] == ["Question 1?", "Question 2?", "What is missing?"]
    third = questions[2]
    client.post(f"/admin/questions/{third.id}/move", data={"direction": "up"})
    db.session.refresh(review_round)
    assert [q.text_en for q in review_round.questions] == ["Question 1?", "What is missing?", "Question 2?"]
    client.post(f"/admin/questions/{third.id}", data={"text_en": "What else?", "text_fr": "", "text_es": "¿Qué más?"})
    db.session.refresh(third)
    assert (third.text_en, third.text_fr, third.text_es) == ("What else?", None, "¿Qué más?")
    assert client.post(url, data={"text_en": ""}).status_code == 400
    answered = review_round.questions[0]
    db.session.add(GuidingAnswer(question=answered, country=get_country("KE"), text="Our answer"))
    db.session.commit()
    page = client.post(f"/admin/questions/{answered.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Countries have answered this question" in page
    assert client.post(f"/admin/questions/{third.id}/delete").status_code == 302
    remaining = db.session.scalars(select(GuidingQuestion.text_en).order_by(GuidingQuestion.position)).all()
    assert remaining == ["Question 1?", "Question 2?"]
