"""The validated content of one feedback item, shared by the web form, the Excel importer, the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from reviewtracker.models import FeedbackLanguage, FeedbackType, Priority
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_REFERENCE_CHARS
from reviewtracker.spreadsheets import normalize_text


@dataclass
class FeedbackInput:
    """What a submitter writes; text fields are normalised (NFC, no control characters, trimmed).

    section_id None means "the whole document" of version_id.
    """

    version_id: int
    section_id: int | None
    type: FeedbackType
    comment: str
    priority: Priority = Priority.medium
    reference: str | None = None
    proposed_change: str | None = None
    language: FeedbackLanguage = FeedbackLanguage.en
    covid: bool = False
    principle_ids: list[int] = field(default_factory=list)
    objective_ids: list[int] = field(default_factory=list)
    usefulness_rating: int | None = None
    clarity_rating: int | None = None
    organisation_id: int | None = None

    def __post_init__(self) -> None:
        self.comment = normalize_text(self.comment or "")
        self.proposed_change = normalize_text(self.proposed_change) or None if self.proposed_change else None
        self.reference = normalize_text(self.reference) or None if self.reference else None

    def problems(self) -> dict[str, str]:
        """Field name → translated problem, for the rules every entry path shares (forms also check them)."""
        found: dict[str, str] = {}
        if not self.comment:
            found["comment"] = _("The comment is empty.")
        elif len(self.comment) > MAX_COMMENT_CHARS:
            found["comment"] = _("The comment is longer than %(n)d characters.", n=MAX_COMMENT_CHARS)
        if self.proposed_change and len(self.proposed_change) > MAX_COMMENT_CHARS:
            found["proposed_change"] = _("The proposed change is longer than %(n)d characters.", n=MAX_COMMENT_CHARS)
        if self.reference and len(self.reference) > MAX_REFERENCE_CHARS:
            found["reference"] = _("The reference is longer than %(n)d characters.", n=MAX_REFERENCE_CHARS)
        for name in ("usefulness_rating", "clarity_rating"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= 5:
                found[name] = _("Ratings go from 1 to 5.")
        return found
