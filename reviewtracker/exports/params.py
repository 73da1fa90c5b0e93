"""What an export covers: round, language and filters, kept as one value object (stored in Export.params).

Also its plain-language description, for the workbooks' Summary and About sheets and the Exports page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.i18n import LANGUAGE_NAMES, label
from reviewtracker.models import Country, GuidanceDocument, ReviewRound, TriageStatus

LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True)
class ExportParams:
    """The round, the language of headers and coded values, and the optional filters of an export."""

    round_id: int
    lang: str = "en"
    country_id: int | None = None  # the country of a comment-resolution matrix
    document_ids: tuple[int, ...] = ()
    country_ids: tuple[int, ...] = ()
    statuses: tuple[TriageStatus, ...] = field(default=())
    date_from: date | None = None  # forwarded on or after
    date_to: date | None = None  # forwarded on or before

    def __post_init__(self) -> None:
        # Fall back to English for an unknown language rather than failing deep inside a writer.
        if self.lang not in LANGUAGES:
            object.__setattr__(self, "lang", "en")

    def to_json(self) -> dict[str, Any]:
        """The parameters as stored in Export.params (JSON-safe, empty filters left out)."""
        data: dict[str, Any] = {"round_id": self.round_id, "lang": self.lang}
        if self.country_id is not None:
            data["country_id"] = self.country_id
        if self.document_ids:
            data["document_ids"] = list(self.document_ids)
        if self.country_ids:
            data["country_ids"] = list(self.country_ids)
        if self.statuses:
            data["statuses"] = [status.value for status in self.statuses]
        if self.date_from:
            data["date_from"] = self.date_from.isoformat()
        if self.date_to:
            data["date_to"] = self.date_to.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportParams:
        """Rebuild parameters stored by to_json."""
        return cls(
            round_id=int(data["round_id"]),
            lang=data.get("lang", "en"),
            country_id=data.get("country_id"),
            document_ids=tuple(data.get("document_ids", ())),
            country_ids=tuple(data.get("country_ids", ())),
            statuses=tuple(TriageStatus(s) for s in data.get("statuses", ())),
            date_from=date.fromisoformat(data["date_from"]) if data.get("date_from") else None,
            date_to=date.fromisoformat(data["date_to"]) if data.get("date_to") else None,
        )


def _country_names(ids) -> str:
    countries = db.session.scalars(select(Country).where(Country.id.in_(ids)).order_by(Country.code))
    return ", ".join(c.title for c in countries)


def describe_filters(params: ExportParams) -> list[tuple[str, str]]:
    """(label, value) pairs for every filter set, in the current (or forced) language."""
    parts: list[tuple[str, str]] = []
    if params.country_id is not None:
        parts.append((_("Country"), _country_names([params.country_id])))
    if params.document_ids:
        docs = db.session.scalars(select(GuidanceDocument).where(GuidanceDocument.id.in_(params.document_ids)))
        parts.append((_("Documents"), ", ".join(sorted(d.code for d in docs))))
    if params.country_ids:
        parts.append((_("Countries"), _country_names(params.country_ids)))
    if params.statuses:
        parts.append((_("Statuses"), ", ".join(label(s) for s in params.statuses)))
    if params.date_from:
        parts.append((_("Forwarded from"), params.date_from.isoformat()))
    if params.date_to:
        parts.append((_("Forwarded until"), params.date_to.isoformat()))
    return parts


def describe(params: ExportParams) -> str:
    """One line: round, language and filters."""
    review_round = db.session.get(ReviewRound, params.round_id)
    text = [review_round.name if review_round else f"#{params.round_id}", LANGUAGE_NAMES.get(params.lang, params.lang)]
    text += [f"{name}: {value}" for name, value in describe_filters(params)]
    return " · ".join(text)
