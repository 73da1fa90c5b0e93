"""Browser journey in French: a Moroccan contributor comments, the focal point consolidates and answers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import AnswerState, Feedback, FeedbackState, GuidingAnswer, User
from reviewtracker.permissions import can_view_feedback
from tests import factories

pytestmark = pytest.mark.browser


def _new_page(browser, live_server, email):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    live_server.sign_in(page, email, factories.PASSWORD)
    return context, page


def _submit(page, button) -> None:
    """Click a submit button and wait for the page it leads to (no race with the old page)."""
    with page.expect_navigation():
        button.click()


def _item_id(page) -> int:
    return int(re.search(r"/feedback/(\d+)$", page.url).group(1))


def test_french_journey(live_server, browser):
    with live_server.app.app_context():
        review_round = factories.create_round(("MA", "KE"), questions=2)
        factories.create_user("contributor", "MA", email="salma@example.org", locale="fr")
        factories.create_user("focal_point", "MA", email="youssef@example.org", locale="fr")
        factories.create_user("co_lead", None, email="colead@example.org")
        factories.create_user("contributor", "KE", email="peter@example.org", locale="en")
        section = factories.get_section("G.2.1")
        round_id, version_id, section_id = review_round.id, section.version_id, section.id
        db.session.commit()
    base = live_server.url

    context, page = _new_page(browser, live_server, "salma@example.org")
    page.goto(f"{base}/feedback/rounds/{round_id}")
    assert page.get_by_role("link", name="Commenter l’ensemble du document").is_visible()
    page.goto(f"{base}/feedback/rounds/{round_id}/new?version={version_id}&section={section_id}")
    page.fill("textarea[name=comment]", "L’étape 1 doit nommer le mécanisme national de coordination.")
    _submit(page, page.get_by_role("button", name="Enregistrer le brouillon"))
    assert "Brouillon" in page.locator("h1").inner_text()  # the state label, in French
    first = _item_id(page)
    _submit(page, page.get_by_role("button", name="Soumettre", exact=True))
    assert "Soumis" in page.locator("h1").inner_text()
    page.goto(f"{base}/feedback/rounds/{round_id}/new?version={version_id}&section={section_id}")
    page.fill("textarea[name=comment]", "Ajouter un exemple régional.")
    _submit(page, page.get_by_role("button", name="Soumettre", exact=True))
    second = _item_id(page)
    context.close()

    context, page = _new_page(browser, live_server, "youssef@example.org")
    page.goto(f"{base}/feedback/queue")
    assert f"FB-{first:06d}" in page.content() and f"FB-{second:06d}" in page.content()
    page.goto(f"{base}/feedback/{first}/edit")
    page.fill("textarea[name=comment]", "L’étape 1 doit nommer le mécanisme national de coordination (précisé).")
    page.fill("input[name=reason]", "Précision")
    _submit(page, page.get_by_role("button", name="Enregistrer le brouillon"))
    assert "(précisé)" in page.content()
    page.goto(f"{base}/feedback/{second}")
    page.fill("textarea[name=note]", "Merci d’indiquer la page.")
    _submit(page, page.get_by_role("button", name="Renvoyer à l’auteur"))
    page.goto(f"{base}/feedback/{first}")
    _submit(page, page.get_by_role("button", name="Transmettre au groupe de travail"))
    assert "Transmis" in page.locator("h1").inner_text()
    page.goto(f"{base}/feedback/rounds/{round_id}/questions")
    # One form holds every answer: the first is saved as a draft, the second typed and submitted directly.
    page.locator("textarea[name$='-text']").nth(0).fill("Réponse 1 du Maroc.")
    _submit(page, page.get_by_role("button", name="Enregistrer le brouillon"))
    assert page.locator("textarea[name$='-text']").nth(0).input_value() == "Réponse 1 du Maroc."
    page.locator("textarea[name$='-text']").nth(1).fill("Réponse 2 du Maroc.")
    _submit(page, page.get_by_role("button", name="Soumettre nos réponses"))
    assert "Les réponses de votre pays sont soumises." in page.content()
    context.close()

    context, page = _new_page(browser, live_server, "peter@example.org")
    response = page.goto(f"{base}/feedback/{first}")
    assert response.status in (403, 404)
    context.close()

    with live_server.app.app_context():
        item = db.session.get(Feedback, first)
        assert item.state == FeedbackState.forwarded and len(item.edits) == 2
        assert db.session.get(Feedback, second).state == FeedbackState.returned
        co_lead = db.session.scalar(select(User).where(User.email == "colead@example.org"))
        kenyan = db.session.scalar(select(User).where(User.email == "peter@example.org"))
        assert can_view_feedback(co_lead, item) and not can_view_feedback(kenyan, item)
        states = set(db.session.scalars(select(GuidingAnswer.state)))
        assert states == {AnswerState.submitted}
