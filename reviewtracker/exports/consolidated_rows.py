"""The consolidated workbook's Feedback sheet: its columns and one item's values (the CSV export writes the same)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row

from reviewtracker.exports.lookups import ExportLookups, Labels, display_id, joined
from reviewtracker.permissions import country_may_see_triage, visible_triage
from reviewtracker.spreadsheets import Column

FEEDBACK_SHEET = (
    Column(_l("ID"), 11),
    Column(_l("Round"), 24),
    Column(_l("Document"), 30),
    Column(_l("Version"), 16),
    Column(_l("Section code"), 10),
    Column(_l("Section title"), 30, "wrap"),
    Column(_l("Reference"), 14),
    Column(_l("Country"), 14),
    Column(_l("Organisation"), 28, "wrap"),
    Column(_l("Stakeholder type"), 20),
    Column(_l("Submitted by"), 20),
    Column(_l("Submitted on"), 17, "datetime"),
    Column(_l("Type"), 13),
    Column(_l("Priority"), 10),
    Column(_l("COVID-19"), 9),
    Column(_l("Guiding principles chosen by the submitter"), 28, "wrap"),
    Column(_l("Objectives chosen by the submitter"), 28, "wrap"),
    Column(_l("Comment"), 60, "wrap"),
    Column(_l("Proposed change"), 50, "wrap"),
    Column(_l("Language"), 11),
    Column(_l("Usefulness rating"), 10, "number"),
    Column(_l("Clarity rating"), 10, "number"),
    Column(_l("Status"), 18),
    Column(_l("Assignee"), 20),
    Column(_l("Lead agency"), 11),
    Column(_l("Tags"), 18, "wrap"),
    Column(_l("Guiding principles added by the working group"), 28, "wrap"),
    Column(_l("Objectives added by the working group"), 28, "wrap"),
    Column(_l("Revision items"), 16, "wrap"),
    Column(_l("Response"), 50, "wrap"),
    Column(_l("Response published on"), 17, "datetime"),
    Column(_l("Acknowledgement"), 14),
    Column(_l("Last change"), 17, "datetime"),
    Column(_l("Link"), 40),
)


def item_link_builder() -> Callable[[int], str]:
    """Return id -> absolute URL of the item's triage page (PUBLIC_URL + /triage/<id>), built once, not per row."""
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    marker = 987_654_321
    # Bound without a request, so the CLI builds the same links as the web.
    path = current_app.url_map.bind("localhost").build("triage.detail", {"feedback_id": marker})
    prefix, _, suffix = path.partition(str(marker))
    return lambda feedback_id: f"{base}{prefix}{feedback_id}{suffix}"


class FeedbackRowBuilder:
    """Turns a streamed row into the Feedback sheet's values, using the bulk lookups only."""

    columns = FEEDBACK_SHEET

    def __init__(
        self, lookups: ExportLookups, labels: Labels, round_name: str, *, sees_unpublished: bool = True
    ) -> None:
        self.lk = lookups
        self.labels = labels
        self.round_name = round_name
        # False when a country reads the file: the triage shows only once its response is published.
        self.sees_unpublished = sees_unpublished
        self.link = item_link_builder()
        # Per-export caches: many rows share few places and countries, so each is resolved once, not per row.
        self._places: dict[tuple[int, int | None], tuple[str, str, str, str | None]] = {}
        self._country_names = {cid: name for cid, (_code, name) in lookups.countries.items()}

    def _place(self, version_id: int, section_id: int | None) -> tuple[str, str, str, str | None]:
        """(document title, version label, section code, section title) of an item, cached per export."""
        key = (version_id, section_id)
        place = self._places.get(key)
        if place is None:
            version = self.lk.versions[version_id]
            section = self.lk.section(section_id)
            code = section.code if section else f"{version.document_code} *"
            place = (version.document_title, version.label, code, section.title if section else None)
            self._places[key] = place
        return place

    def values(self, row: Row) -> list[Any]:
        """The row's cells in FEEDBACK_SHEET order."""
        lk, lab = self.lk, self.labels
        document_title, version_label, section_code, section_title = self._place(row.version_id, row.section_id)
        org_name, org_type = lk.organisations.get(row.organisation_id, (None, None))
        published = bool(row.response_published)
        outcome = visible_triage(
            self.sees_unpublished or country_may_see_triage(row.status, published),
            status=row.status,
            response_text=row.response_text,
            published_at=row.response_published_at if published else None,
            revision_items=[lk.revision_items[rid] for rid in lk.revisions.get(row.id, ())],
        )
        return [
            display_id(row.id),
            self.round_name,
            document_title,
            version_label,
            section_code,
            section_title,
            row.reference,
            self._country_names.get(row.country_id),
            org_name,
            org_type,
            lk.users.get(row.author_id),
            row.submitted_at,
            lab(row.type),
            lab(row.priority),
            lab.yes_no(row.covid),
            joined(lk.principles.get(row.id)),
            joined(lk.objectives.get(row.id)),
            row.comment,
            row.proposed_change,
            lab(row.language),
            row.usefulness_rating,
            row.clarity_rating,
            lab(outcome.status),
            lk.users.get(row.assignee_id),
            lk.agencies.get(row.lead_agency_id),
            joined(lk.tags.get(row.id)),
            joined(lk.triage_principles.get(row.id)),
            joined(lk.triage_objectives.get(row.id)),
            joined([item.code for item in outcome.revision_items]),
            outcome.response_text,
            outcome.published_at,
            lab(row.acknowledgement),
            row.last_changed_at,
            self.link(row.id),
        ]
