"""Plain-language descriptions of an export's parameters, for the Summary sheet and the Exports page."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker.exports.params import ExportParams
from reviewtracker.extensions import db
from reviewtracker.i18n import LANGUAGE_NAMES, label
from reviewtracker.models import Country, GuidanceDocument, ReviewRound


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
