"""RELIABILITY.md, "Unicode and size": right-to-left text, NFC, emoji, NUL and controls, the one length limit."""

from __future__ import annotations

import unicodedata

from reviewtracker.extensions import db
from reviewtracker.models import User
from reviewtracker.models._base import MAX_NAME_CHARS

ARABIC = "تعليق على القسم ٢٫١ — section G.2.1 (مختلط)"


def _save_name(client, name):
    return client.post("/profile", data={"name": name, "locale": "en"})


def test_arabic_and_mixed_text_round_trips_with_dir_auto(client, login_as):
    """Right-to-left text is stored as typed and its input field lets the browser pick the direction."""
    user = login_as("member")
    assert _save_name(client, ARABIC).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).name == ARABIC
    page = client.get("/profile").get_data(as_text=True)
    field = next(tag for tag in page.split("<input") if 'name="name"' in tag)
    assert 'dir="auto"' in field and ARABIC in field


def test_combining_characters_are_stored_composed(client, login_as):
    """`e` + combining acute becomes `é` (NFC), so searches and duplicates compare equal."""
    user = login_as("member")
    _save_name(client, "Jose\u0301 Nun\u0303ez")
    db.session.expire_all()
    stored = db.session.get(User, user.id).name
    assert stored == "José Nuñez" and unicodedata.is_normalized("NFC", stored)


def test_emoji_and_bidi_marks_survive(client, login_as):
    """Emoji (astral plane, ZWJ sequences) and bidi marks are kept, on both databases."""
    user = login_as("member")
    name = "Équipe 👩🏽‍💻 \u200fمرحبا\u200e 🇲🇦"
    _save_name(client, name)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == name


def test_control_characters_are_stripped(client, login_as):
    """Vertical tab, escape and other C0/C1 controls are removed by the input policy."""
    user = login_as("member")
    _save_name(client, "Line\x0bone\x1b[31m red\x85")
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Lineone[31m red"


def test_nul_in_a_form_is_shown_on_its_field_and_nothing_is_written(client, login_as):
    """NUL in a posted form: the form again with a message on the field and the rest of the text kept."""
    user = login_as("member", name="Unchanged")
    response = client.post("/profile", data={"name": "a\x00b", "locale": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NUL character" in page and 'value="ab"' in page
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Unchanged"


def test_nul_in_a_query_string_is_refused_with_a_message(client, login_as):
    """NUL in a URL (nothing typed to keep): 400 with a message (PostgreSQL would otherwise fail with a 500)."""
    login_as("member")
    response = client.get("/profile?q=a%00b")
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_nul_in_the_login_form_is_refused_not_a_crash(client):
    """Anonymous input with NUL never reaches the database query: the form again, with the message."""
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code in (200, 400)
    assert "NUL character" in response.get_data(as_text=True)


def test_the_name_limit_is_enforced_before_the_database(client, login_as):
    """One more character than the documented maximum is refused by the form, on both databases."""
    user = login_as("member", name="Short")
    response = _save_name(client, "n" * (MAX_NAME_CHARS + 1))
    assert response.status_code == 200 and db.session.get(User, user.id).name == "Short"
    assert _save_name(client, "n" * MAX_NAME_CHARS).status_code == 302
