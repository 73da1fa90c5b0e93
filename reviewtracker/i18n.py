"""Interface language (user setting → session → browser), translated enum labels, country names in a sentence."""

from __future__ import annotations

import enum
from functools import lru_cache
from pathlib import Path

import yaml
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import inspect
from wtforms.fields.choices import SelectChoice

from reviewtracker.errors import DATABASE_UNAVAILABLE
from reviewtracker.locale import current_language  # re-exported: callers import it from i18n
from reviewtracker.models import (
    Acknowledgement,
    ActivityCategory,
    AnswerState,
    Country,
    ExportKind,
    FeedbackLanguage,
    FeedbackState,
    FeedbackType,
    Priority,
    RevisionStatus,
    Role,
    TriageStatus,
    User,
    VersionStatus,
)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
REFERENCE_DATA = Path(__file__).resolve().parent / "seed" / "data" / "reference.yaml"
_FRENCH_ELISION = frozenset("aeiouyéèêàâîïôûh")  # "d’Haïti"; the reference data covers the exceptions
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def select_locale() -> str:
    """The user's saved language, else the one chosen this session, else the browser's best match."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, importer and services run in an app context only
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if (saved := _saved_locale()) in languages:
        return saved
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _saved_locale() -> str | None:
    """The signed-in user's saved language; with the database down, only from what is already in memory.

    The error page of an outage picks its language too: loading the user (or an expired attribute of it)
    would be a query that raises again inside the error handler.
    """

    if g.get(DATABASE_UNAVAILABLE):
        user = g.get("_login_user")  # where Flask-Login keeps the user it has loaded for this request
        if not isinstance(user, User):
            return None
        history = inspect(user).attrs.locale.history  # read from memory, never loaded
        saved = history.deleted or history.unchanged  # the stored value, not a change the failed save held
        return saved[0] if saved else None
    return current_user.locale if current_user and current_user.is_authenticated else None


def init_app(app: Flask, babel: Babel) -> None:
    """Bind Flask-Babel to translations/<lang>/LC_MESSAGES/messages.mo (its default domain)."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel also gives templates |numberformat, |decimalformat and |percentformat.
    app.jinja_env.filters.update(country_in_text=country_in_text, of_country=of_country)


@lru_cache(maxsize=1)
def _names_with_article() -> dict[str, dict[str, str]]:
    """Country code → {language: name with its article} from the reference data ("le Maroc")."""
    with REFERENCE_DATA.open(encoding="utf-8") as handle:
        countries = yaml.safe_load(handle)["countries"]
    return {item["code"]: item.get("with_article") or {} for item in countries}


def country_in_text(country: Country | None) -> str:
    """The country's name as it reads inside a sentence: "le Maroc" in French, "Marruecos", "Morocco"."""
    if country is None:
        return ""
    name = country.name
    with_article = _names_with_article().get(country.code, {}).get(current_language(), "")
    # An administrator may have renamed the country since: the reference form only counts if it still fits.
    return with_article if with_article.endswith(name) else name


def of_country(country: Country | None) -> str:
    """'of' and the country: "of Morocco", "du Maroc", "de la Colombie", "de l’Équateur", "de Marruecos"."""
    if country is None:
        return ""
    text, lang = country_in_text(country), current_language()
    if lang == "fr":
        for article, contracted in (("le ", "du "), ("les ", "des ")):
            if text.startswith(article):
                return contracted + text.removeprefix(article)
        return ("d’" if text[:1].lower() in _FRENCH_ELISION else "de ") + text
    if lang == "es":
        return "del " + text.removeprefix("el ") if text.startswith("el ") else "de " + text
    return "of " + text


# Pairs, not a dict literal: StrEnum members of different enums with the same value are equal
# (FeedbackState.draft == AnswerState.draft == "draft"), so they are keyed by (enum class, value).
_LABEL_PAIRS: list[tuple[enum.Enum, object]] = [
    (Role.contributor, _l("Contributor")),
    (Role.focal_point, _l("Focal point")),
    (Role.co_lead, _l("Co-lead")),
    (Role.member, _l("Working group member")),
    (Role.admin, _l("Administrator")),
    (FeedbackType.general, _l("General")),
    (FeedbackType.substantive, _l("Substantive")),
    (FeedbackType.editorial, _l("Editorial")),
    (Priority.high, _l("High")),
    (Priority.medium, _l("Medium")),
    (Priority.low, _l("Low")),
    (FeedbackLanguage.en, _l("English")),
    (FeedbackLanguage.fr, _l("French")),
    (FeedbackLanguage.es, _l("Spanish")),
    (FeedbackLanguage.other, _l("Other language")),
    (FeedbackState.draft, _l("Draft")),
    (FeedbackState.submitted, _l("Submitted to focal point")),
    (FeedbackState.returned, _l("Returned to author")),
    (FeedbackState.forwarded, _l("Forwarded to working group")),
    (FeedbackState.withdrawn, _l("Withdrawn")),
    (FeedbackState.merged, _l("Merged")),
    (TriageStatus.new, _l("New")),
    (TriageStatus.in_review, _l("In review")),
    (TriageStatus.accepted, _l("Accepted")),
    (TriageStatus.accepted_modified, _l("Accepted with modifications")),
    (TriageStatus.noted, _l("Noted")),
    (TriageStatus.not_accepted, _l("Not accepted")),
    (TriageStatus.duplicate, _l("Duplicate")),
    (TriageStatus.deferred, _l("Deferred")),
    (RevisionStatus.proposed, _l("Proposed")),
    (RevisionStatus.agreed, _l("Agreed")),
    (RevisionStatus.drafted, _l("Drafted")),
    (RevisionStatus.applied, _l("Applied")),
    (RevisionStatus.dropped, _l("Dropped")),
    (VersionStatus.draft, _l("In preparation")),
    (VersionStatus.under_review, _l("Under review")),
    (VersionStatus.final, _l("Final")),
    (AnswerState.draft, _l("Draft answer")),
    (AnswerState.submitted, _l("Answer submitted")),
    (Acknowledgement.agree, _l("Agrees")),
    (Acknowledgement.disagree, _l("Disagrees")),
    (ExportKind.consolidated, _l("Consolidated workbook")),
    (ExportKind.matrix, _l("Comment-resolution matrix")),
    (ExportKind.revisions, _l("Revision summary")),
    (ExportKind.csv, _l("Feedback register (CSV)")),
    (ActivityCategory.auth, _l("Sign-in")),
    (ActivityCategory.access, _l("Access denied")),
    (ActivityCategory.feedback, _l("Feedback")),
    (ActivityCategory.triage, _l("Triage")),
    (ActivityCategory.revision, _l("Revision items")),
    (ActivityCategory.import_, _l("Import")),
    (ActivityCategory.export, _l("Export")),
    (ActivityCategory.admin, _l("Administration")),
]
ENUM_LABELS: dict[tuple[type, str], object] = {(type(member), member.value): text for member, text in _LABEL_PAIRS}


def label(value: enum.Enum | None) -> str:
    """The translated label of an enum value ('' for None)."""
    if value is None:
        return ""
    return str(ENUM_LABELS.get((type(value), value.value), value.value))


def choices(enum_class: type[enum.Enum]) -> list[SelectChoice]:
    """Translated options of a form's select field for every member of an enum."""
    return [SelectChoice(member.value, label(member)) for member in enum_class]
