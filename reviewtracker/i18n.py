"""Interface language (user setting → session → browser) and translated labels for every enum."""

from __future__ import annotations

import enum
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from reviewtracker.models import (
    Acknowledgement,
    ActivityCategory,
    AnswerState,
    ExportKind,
    FeedbackLanguage,
    FeedbackState,
    FeedbackType,
    Priority,
    RevisionStatus,
    Role,
    TriageStatus,
    VersionStatus,
)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def select_locale() -> str:
    """The user's saved language, else the one chosen this session, else the browser's best match."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, importer and services run in an app context only
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The two-letter interface language ('en' outside a request)."""
    if not has_request_context():
        return "en"
    locale = get_locale()
    return locale.language if locale else "en"


def translation_domains() -> list[str]:
    """One gettext domain per feature catalogue found under translations/ (messages, feedback, ...)."""
    return sorted({po.stem for po in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po")}) or ["messages"]


def init_app(app: Flask, babel: Babel) -> None:
    """Bind Flask-Babel with one catalogue per feature, so features translate independently."""
    domains = translation_domains()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(TRANSLATIONS_DIR) for _ in domains)
    app.config["BABEL_DOMAIN"] = ";".join(domains)
    babel.init_app(app, locale_selector=select_locale)


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
