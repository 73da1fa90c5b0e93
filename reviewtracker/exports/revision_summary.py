"""The revision summary: per revision item, the change, the comments and countries behind it, and its status."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from reviewtracker.exports.lookups import ExportLookups, Labels, display_id, export_language, version_name
from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.queries import feedback_conditions
from reviewtracker.extensions import db
from reviewtracker.models import Feedback, RevisionLink, User
from reviewtracker.spreadsheets import Column, Formats, Table, new_xlsxwriter_workbook, sheet_name

ITEM_COLUMNS = (
    Column(_l("Code"), 9),
    Column(_l("Title"), 36, "wrap"),
    Column(_l("Change"), 60, "wrap"),
    Column(_l("Status"), 12),
    Column(_l("Owner"), 10),
    Column(_l("Target sections"), 18, "wrap"),
    Column(_l("Applied in"), 22),
    Column(_l("Number of comments"), 12, "number"),
    Column(_l("Countries"), 24, "wrap"),
    Column(_l("Feedback IDs"), 30, "wrap"),
)
COMMENT_COLUMNS = (
    Column(_l("Revision item"), 12),
    Column(_l("ID"), 11),
    Column(_l("Country"), 14),
    Column(_l("Section code"), 10),
    Column(_l("Comment"), 70, "wrap"),
    Column(_l("Status"), 18),
)


@dataclass
class LinkedComment:
    """A feedback item behind a revision item."""

    id: str
    country: str | None
    section: str
    comment: str
    status: str | None


@dataclass
class RevisionEntry:
    """One revision item with its exported comments."""

    code: str
    title: str
    change: str | None
    status: str | None
    owner: str | None
    sections: str
    applied_in: str | None
    comments: list[LinkedComment] = field(default_factory=list)

    @property
    def countries(self) -> str:
        """The countries behind the item, by name."""
        return ", ".join(sorted({c.country for c in self.comments if c.country}))


def revision_entries(params: ExportParams, user: User | None) -> list[RevisionEntry]:
    """Every revision item with the round's exported comments linked to it (the user's visibility applies)."""
    labels = Labels(params.lang)
    lookups = ExportLookups(params.lang)
    stmt = (
        select(RevisionLink.revision_item_id, Feedback.id, Feedback.country_id, Feedback.version_id)
        .add_columns(Feedback.section_id, Feedback.comment, Feedback.status)
        .join(Feedback, Feedback.id == RevisionLink.feedback_id)
        .where(*feedback_conditions(params, user))
        .order_by(RevisionLink.revision_item_id, Feedback.id)
    )
    comments: dict[int, list[LinkedComment]] = defaultdict(list)
    for revision_id, fid, country_id, version_id, section_id, comment, status in db.session.execute(stmt):
        section = lookups.section(section_id)
        code = section.code if section else f"{lookups.versions[version_id].document_code} *"
        comments[revision_id].append(
            LinkedComment(display_id(fid), lookups.country_name(country_id), code, comment, labels(status))
        )
    return [
        RevisionEntry(
            code=item.code,
            title=item.title,
            change=item.description,
            status=labels(item.status),
            owner=lookups.agencies.get(item.owner_agency_id),
            sections=", ".join(s.code for s in item.sections),
            applied_in=version_name(lookups, item.applied_version_id),
            comments=comments.get(revision_id, []),
        )
        for revision_id, item in lookups.revision_items.items()
    ]


def write_revision_summary(path: str, params: ExportParams, user: User | None, generated_at: datetime) -> int:
    """Write the revision summary workbook; return its number of revision items."""
    entries = revision_entries(params, user)
    labels = Labels(params.lang)
    workbook = new_xlsxwriter_workbook(path, constant_memory=True)
    try:
        fmt = Formats(workbook)
        with export_language(params.lang):
            items_sheet = workbook.add_worksheet(sheet_name(_("Revision items")))
            comments_sheet = workbook.add_worksheet(sheet_name(_("Linked comments")))
        items = Table(items_sheet, fmt, ITEM_COLUMNS, labels.headers(c.header for c in ITEM_COLUMNS))
        linked = Table(comments_sheet, fmt, COMMENT_COLUMNS, labels.headers(c.header for c in COMMENT_COLUMNS))
        for entry in entries:
            items.add(
                [
                    entry.code,
                    entry.title,
                    entry.change,
                    entry.status,
                    entry.owner,
                    entry.sections,
                    entry.applied_in,
                    len(entry.comments),
                    entry.countries,
                    ", ".join(c.id for c in entry.comments),
                ]
            )
            for comment in entry.comments:
                linked.add([entry.code, comment.id, comment.country, comment.section, comment.comment, comment.status])
        items.finish()
        linked.finish()
    except BaseException:
        with contextlib.suppress(Exception):
            workbook.close()
        raise
    workbook.close()
    return items.rows
