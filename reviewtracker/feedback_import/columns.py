"""The offline template's columns and coded values, in English, French and Spanish, for writing and reading."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from reviewtracker.i18n import label
from reviewtracker.models import FeedbackLanguage, FeedbackType, Priority

TEMPLATE_LANGUAGES = ("en", "fr", "es")
DEFAULT_MAX_ROWS = 5_000


@dataclass(frozen=True)
class Column:
    """One column of the Feedback sheet: `key` is its English heading, which read_sheet_rows returns rows by."""

    key: str
    heading: object  # lazy, translated when the workbook is written
    width: int
    text: bool = False  # formatted as Text in Excel, so "1.10" stays "1.10"


ID = "ID"
SECTION = "Section code"
REFERENCE = "Reference"
TYPE = "Type"
PRIORITY = "Priority"
COMMENT = "Comment"
PROPOSED = "Proposed change"
LANGUAGE = "Language"
COVID = "COVID-19"
PRINCIPLES = "Guiding principles"
OBJECTIVES = "Objectives"
ORGANISATION = "Submitting organisation"
ROW_VERSION = "Row version"

# The headings are written in the chosen language; any of the three languages is accepted back.
COLUMNS = (
    Column(ID, _l("ID"), 12, text=True),
    Column(SECTION, _l("Section code"), 14, text=True),
    Column(REFERENCE, _l("Reference"), 16, text=True),
    Column(TYPE, _l("Type"), 16),
    Column(PRIORITY, _l("Priority"), 12),
    Column(COMMENT, _l("Comment"), 60),
    Column(PROPOSED, _l("Proposed change"), 50),
    Column(LANGUAGE, _l("Language"), 14),
    Column(COVID, _l("COVID-19"), 10),
    Column(PRINCIPLES, _l("Guiding principles"), 14, text=True),
    Column(OBJECTIVES, _l("Objectives"), 14, text=True),
    Column(ORGANISATION, _l("Submitting organisation"), 30),
    Column(ROW_VERSION, _l("Row version"), 8),  # hidden: the item's lock_version when it was downloaded
)
HEADERS = [column.key for column in COLUMNS]
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}


def fold(value: str) -> str:
    """Comparison key for typed values: case, accents and spacing do not matter."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def heading(key: str) -> str:
    """A column's heading in the current language."""
    return str(COLUMNS[COLUMN_INDEX[key]].heading)


def header_aliases() -> dict[str, list[str]]:
    """Headings of every column in French and Spanish (English is the key itself)."""
    aliases: dict[str, list[str]] = {key: [] for key in HEADERS}
    for lang in TEMPLATE_LANGUAGES:
        with force_locale(lang):
            for column in COLUMNS:
                aliases[column.key].append(str(column.heading))
    return aliases


def sheet_names(lang: str | None = None) -> dict[str, str]:
    """The template's sheet names in a language (the current one when None)."""

    def names() -> dict[str, str]:
        return {
            "feedback": _("Feedback"),
            "instructions": _("Instructions"),
            "sections": _("Sections"),
            "questions": _("Guiding questions"),
            "lists": _("Lists"),
        }

    if lang is None:
        return names()
    with force_locale(lang):
        return names()


def feedback_sheet_names() -> set[str]:
    """The Feedback sheet's name in every template language."""
    return {sheet_names(lang)["feedback"] for lang in TEMPLATE_LANGUAGES}


def yes_no() -> tuple[str, str]:
    """'Yes' and 'No' in the current language."""
    return _("Yes"), _("No")


def enum_lookup(enum_class: type[enum.Enum]) -> dict[str, enum.Enum]:
    """Folded label (in any template language) or code → enum member."""
    found: dict[str, enum.Enum] = {}
    for lang in TEMPLATE_LANGUAGES:
        with force_locale(lang):
            for member in enum_class:
                found.setdefault(fold(label(member)), member)
    for member in enum_class:
        found[fold(member.value)] = member
    return found


def yes_no_lookup() -> dict[str, bool]:
    """Folded yes/no words in every template language, and the usual spreadsheet spellings."""
    found = {"true": True, "false": False, "1": True, "0": False, "x": True, "y": True, "n": False, "si": True}
    for lang in TEMPLATE_LANGUAGES:
        with force_locale(lang):
            yes, no = yes_no()
        found[fold(yes)], found[fold(no)] = True, False
    return found


CODED_ENUMS = {TYPE: FeedbackType, PRIORITY: Priority, LANGUAGE: FeedbackLanguage}
