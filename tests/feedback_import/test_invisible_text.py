"""A comment made only of invisible characters is empty on every entry path: web form, API and import."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback
from tests import factories
from tests.api.conftest import make_token
from tests.feedback_import.conftest import download, fill, page_text, row, upload

INVISIBLE = {
    "zero width space": "\u200b",
    "word joiner and BOM": "\u2060\ufeff\u2060",
    "bidi controls": "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    "combining marks only": "\u0301\u0308\u0327",
    "spaces around a zero width space": " \u3000\u200b\u00a0 ",
    "hangul filler": "\u3164\u3164",
    "variation selector": "\ufe0f",
}
CASES = pytest.mark.parametrize("text", list(INVISIBLE.values()), ids=list(INVISIBLE))


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Feedback.id)))


@CASES
def test_the_online_form_refuses_an_invisible_comment_on_the_comment_field(world, client, login_as, text):
    login_as(world.users["contributor"])
    section = factories.get_section("G.2.1")
    before = _count()
    response = client.post(
        f"/feedback/rounds/{world.round.id}/new",
        data={"section_id": str(section.id), "type": "general", "priority": "low", "language": "en",
              "comment": text, "proposed_change": "Keep this text", "save": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    page = page_text(response)
    assert "This field is required (invisible characters and spaces do not count)." in page
    assert 'id="comment"' in page and "is-invalid" in page  # on the Comment field
    assert "Keep this text</textarea>" in page  # the other text typed is kept
    assert _count() == before


@CASES
def test_the_api_refuses_an_invisible_comment_naming_the_field(world, client, text):
    before = _count()
    body = {"round_id": world.round.id, "version_id": world.draft.version_id, "type": "general", "comment": text}
    token = make_token(world.users["contributor"])
    response = client.post("/api/v1/feedback", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert "The comment is empty." in response.get_data(as_text=True)
    assert _count() == before


@CASES
def test_the_import_refuses_an_invisible_comment_with_its_row_and_column(world, client, login_as, text):
    login_as(world.users["contributor"])
    before = _count()
    data = fill(download(client, world.round.id), [row("A real comment"), row(text)])
    assert upload(client, world.round.id, data).status_code == 302
    page = page_text(client.get("/feedback/imports/preview"))
    assert 'id="count-errors">1<' in page and "Confirm the import" not in page
    assert '<tr><td>3</td><td>Comment</td><td dir="auto">The comment is empty.</td></tr>' in page
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    assert _count() == before


def test_visible_text_with_invisible_characters_is_kept_as_typed(world, client, login_as):
    """The rule removes nothing visible: marks on a letter, RTL text with its bidi marks, an emoji."""
    login_as(world.users["contributor"])
    typed = "\u200fمرحبا\u200f cafe\u0301 \u200b👍"
    section = factories.get_section("G.2.1")
    response = client.post(
        f"/feedback/rounds/{world.round.id}/new",
        data={"section_id": str(section.id), "type": "general", "priority": "low", "language": "en",
              "comment": typed, "save": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    stored = db.session.scalar(select(Feedback).order_by(Feedback.id.desc()))
    assert stored.comment == "\u200fمرحبا\u200f café \u200b👍"
