"""The French and Spanish interfaces are complete, and the language choice is remembered."""

from __future__ import annotations

import pytest

from reviewtracker.catalogues import conflicting_translations, extract_messages, load_translations


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_interface_message_is_translated(lang):
    """No English left: every message in the code and templates has a translation in the catalogues."""
    translations = load_translations(lang)
    missing = {m: where for m, where in extract_messages().items() if m not in translations}
    assert not missing, f"{len(missing)} messages lack a {lang} translation, e.g. " + "; ".join(
        f"{m!r} ({w[0]})" for m, w in list(missing.items())[:10]
    )


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_each_message_has_one_translation_across_catalogues(lang):
    """Feature catalogues are merged at run time: a message translated two ways would show either at random."""
    conflicts = conflicting_translations(lang)
    assert not conflicts, f"{len(conflicts)} messages translated differently, e.g. {list(conflicts.items())[:5]}"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_placeholders_survive_translation(lang):
    """A translation keeps the %(name)s placeholders of its message, so formatting never fails."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for msgid, text in load_translations(lang).items():
        assert sorted(pattern.findall(msgid)) == sorted(pattern.findall(text)), msgid


def test_login_page_in_french_from_browser_language(client):
    """A French browser gets the French sign-in page."""
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert "Se connecter" in page
    assert "Sign in" not in page


def test_language_choice_is_remembered_for_a_signed_in_user(client, login_as):
    """Choosing Spanish is saved in the profile and used on the next page."""
    user = login_as("focal_point")
    client.post("/language/es", data={"next": "/profile"})
    page = client.get("/profile").get_data(as_text=True)
    assert "Su perfil" in page
    from reviewtracker.extensions import db

    db.session.refresh(user)
    assert user.locale == "es"


def test_enum_labels_follow_the_language(client, login_as):
    """Roles are shown translated (Point focal)."""
    login_as("focal_point", locale="fr")
    assert "Point focal" in client.get("/profile").get_data(as_text=True)
