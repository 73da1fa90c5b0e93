"""The French and Spanish interfaces are complete (every message, every plural form), and read naturally."""

from __future__ import annotations

import gettext

import pytest

from reviewtracker.catalogues import extract_catalog, placeholders, read_catalogue, untranslated_forms
from reviewtracker.extensions import db
from reviewtracker.models import Export, ExportKind
from tests import factories

LANGS = ["fr", "es"]
# Which plural form gettext picks for n (GNU gettext's rules: French puts 0 with 1, Spanish does not).
PLURAL_FORM = {"fr": {0: 0, 1: 0, 2: 1, 4: 1, 1_000_000: 1}, "es": {0: 1, 1: 0, 2: 1, 4: 1, 1_000_000: 1}}


def _where(message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:2])


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_has_the_languages_plural_forms(lang):
    """Two forms for fr and es, chosen as gettext does (a third, empty form showed English: issue 11, item 22)."""
    catalogue = read_catalogue(lang)
    assert catalogue.num_plurals == 2
    choose = gettext.c2py(catalogue.plural_expr)
    assert {n: choose(n) for n in PLURAL_FORM[lang]} == PLURAL_FORM[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_code_and_templates_is_in_the_catalogue(lang):
    """What `make translations-extract` finds is in messages.po, with the same plural shape."""
    catalogue = read_catalogue(lang)
    absent = [
        f"{message.id!r} ({_where(message)})"
        for message in extract_catalog()
        if message.id and (catalogue.get(message.id) is None or catalogue.get(message.id).id != message.id)
    ]
    assert not absent, f"{len(absent)} messages are not in {lang}/messages.po (make translations-update): " + (
        "; ".join(absent[:10])
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_form_of_every_message_is_translated_and_none_is_fuzzy(lang):
    """No English left: the singular and each plural form are filled in, and no entry waits for review."""
    catalogue = read_catalogue(lang)
    gaps = []
    for message in extract_catalog():
        entry = catalogue.get(message.id) if message.id else None
        if entry is not None and (forms := untranslated_forms(entry, catalogue.num_plurals)):
            gaps.append(f"{message.id!r} form(s) {forms}{' (fuzzy)' if entry.fuzzy else ''} ({_where(message)})")
    assert not gaps, f"{len(gaps)} messages are not fully translated in {lang}: " + "; ".join(gaps[:10])


@pytest.mark.parametrize("lang", LANGS)
def test_every_form_keeps_the_placeholders_of_its_message(lang):
    """Each form keeps %(name)s / {name} of the English it translates, so formatting never fails or loses data."""
    broken = []
    for entry in read_catalogue(lang):
        if not entry.id or not entry.string:
            continue
        forms = entry.string if entry.pluralizable else (entry.string,)
        singular, plural = entry.id if entry.pluralizable else (entry.id, entry.id)
        for index, text in enumerate(forms):
            # The form used for n = 1 translates the singular; every other form the plural.
            english = singular if PLURAL_FORM[lang][1] == index else plural
            if text and placeholders(text) != placeholders(english):
                broken.append(f"{english!r} → {text!r}")
    assert not broken, "; ".join(broken[:10])


FORWARDED = {
    ("fr", 1): "1 commentaire a été transmis.",
    ("fr", 4): "4 commentaires ont été transmis.",
    ("es", 1): "1 comentario se transmitió.",
    ("es", 4): "4 comentarios se transmitieron.",
}


@pytest.mark.parametrize(("lang", "n"), list(FORWARDED))
def test_plural_message_is_translated_for_one_and_for_several(client, login_as, world, lang, n):
    """A focal point forwarding n items reads the count in her language ("4 items were forwarded." before)."""
    items = [factories.create_feedback(world.users["contributor"], world.round, state="submitted") for _ in range(n)]
    login_as("focal_point", country="KE", locale=lang)
    page = client.post("/feedback/forward-selected", data={"ids": [str(i.id) for i in items]}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert FORWARDED[lang, n] in html
    assert "forwarded." not in html


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "12,000 rows"), ("fr", "12\u202f000 lignes"), ("es", "12.000 filas")]
)
def test_numbers_are_written_the_languages_way(client, login_as, world, app, monkeypatch, lang, expected):
    """The import page's row limit and the exports list's row counts use the language's digit grouping."""
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 12_000)
    login_as("focal_point", country="KE", locale=lang)
    page = client.get(f"/feedback/rounds/{world.round.id}/import").get_data(as_text=True)
    assert expected in page
    login_as("co_lead", locale=lang)
    params = {"round_id": world.round.id, "lang": lang}
    db.session.add(
        Export(
            kind=ExportKind.csv, params=params, filename="big.csv", rows=123_456, size_bytes=2_560_000, sha256="0" * 64
        )
    )
    db.session.commit()
    page = client.get("/exports/").get_data(as_text=True)
    assert {"en": "123,456", "fr": "123\u202f456", "es": "123.456"}[lang] in page
    assert {"en": "2,500 KB", "fr": "2\u202f500 KB", "es": "2.500 KB"}[lang] in page


@pytest.mark.parametrize(
    ("lang", "code", "heading"),
    [
        ("fr", "MA", "Commentaires du Maroc"),
        ("fr", "CO", "Commentaires de la Colombie"),
        ("fr", "EC", "Commentaires de l’Équateur"),
        ("es", "MA", "Comentarios de Marruecos"),
        ("es", "SV", "Comentarios de El Salvador"),
        ("en", "MA", "Feedback of Morocco"),
    ],
)
def test_country_names_take_their_article(client, login_as, world, lang, code, heading):
    """ "Commentaires de Maroc" was wrong: the reference data carries each country's article."""
    login_as("focal_point", country=code, locale=lang)
    assert heading in client.get("/feedback/").get_data(as_text=True)


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
    db.session.refresh(user)
    assert user.locale == "es"


def test_enum_labels_follow_the_language(client, login_as):
    """Roles are shown translated (Point focal)."""
    login_as("focal_point", locale="fr")
    assert "Point focal" in client.get("/profile").get_data(as_text=True)
