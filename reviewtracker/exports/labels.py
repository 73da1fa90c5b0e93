"""Headers and coded values in the language of an export (English, French or Spanish)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask_babel import force_locale
from flask_babel import gettext as _

from reviewtracker.i18n import label
from reviewtracker.models import (
    Acknowledgement,
    AnswerState,
    FeedbackLanguage,
    FeedbackType,
    Priority,
    RevisionStatus,
    TriageStatus,
)

CODED_ENUMS = (FeedbackType, Priority, FeedbackLanguage, TriageStatus, RevisionStatus, Acknowledgement, AnswerState)


@contextmanager
def export_language(lang: str) -> Iterator[None]:
    """Translate everything inside the block into lang, whatever the interface language is."""
    with force_locale(lang):
        yield


class Labels:
    """Every coded value's label in one language, computed once (an export has many rows, few codes)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        with export_language(lang):
            self._labels: dict[enum.Enum, str] = {m: label(m) for cls in CODED_ENUMS for m in cls}
            self.yes, self.no = _("Yes"), _("No")

    def __call__(self, value: enum.Enum | None) -> str | None:
        """The label of a coded value (None stays empty)."""
        return None if value is None else self._labels.get(value, str(value))

    def yes_no(self, value: bool | None) -> str | None:
        """Yes / No in the export's language."""
        return None if value is None else (self.yes if value else self.no)

    def headers(self, texts: Iterable[object]) -> list[str]:
        """Translate lazy header texts into the export's language."""
        with export_language(self.lang):
            return [str(text) for text in texts]
