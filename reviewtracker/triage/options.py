"""Menu options for the queue's filter bar and bulk actions (translated labels, ids as strings)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.i18n import label
from reviewtracker.models import (
    Country,
    DocumentVersion,
    FeedbackLanguage,
    FeedbackType,
    GuidanceDocument,
    LeadAgency,
    Priority,
    ReviewRound,
    RevisionItem,
    Section,
    StakeholderType,
    Tag,
    TriageStatus,
)
from reviewtracker.models.rounds import round_versions
from reviewtracker.triage.forms import agency_choices, open_revision_choices, triager_choices


def _enum(enum_class) -> dict[str, str]:
    return {m.value: label(m) for m in enum_class}


def _sections() -> dict[str, str]:
    """Sections of the versions under review in some round, grouped in document/code order."""
    reviewed = select(round_versions.c.version_id)
    stmt = (
        select(Section, DocumentVersion)
        .join(DocumentVersion, DocumentVersion.id == Section.version_id)
        .where(Section.version_id.in_(reviewed))
        .order_by(DocumentVersion.document_id, DocumentVersion.number, Section.code)
    )
    return {str(s.id): f"{'  ' * max(s.depth, 0)}{s.code} {s.title} ({v.label})" for s, v in db.session.execute(stmt)}


def filter_choices() -> dict[str, dict[str, str]]:
    """Every filter menu of the queue."""
    rounds = db.session.scalars(select(ReviewRound).order_by(ReviewRound.opens_on.desc()))
    countries = db.session.scalars(select(Country).where(Country.active).order_by(Country.code))
    types = db.session.scalars(select(StakeholderType).order_by(StakeholderType.position))
    documents = db.session.scalars(select(GuidanceDocument).order_by(GuidanceDocument.position))
    return {
        "round": {str(r.id): r.name for r in rounds},
        "document": {str(d.id): f"{d.code} — {d.title}" for d in documents},
        "section": _sections(),
        "country": {str(c.id): c.name for c in countries},
        "stakeholder_type": {str(t.id): t.title for t in types},
        "type": _enum(FeedbackType),
        "priority": _enum(Priority),
        "status": _enum(TriageStatus),
        "assignee": {"me": _("Me"), "none": _("Nobody"), **dict(list(triager_choices("").items())[1:])},
        "lead_agency": {str(a.id): a.code for a in db.session.scalars(select(LeadAgency).order_by(LeadAgency.code))},
        "revision_item": {
            str(i.id): f"{i.code} — {i.title}"
            for i in db.session.scalars(select(RevisionItem).order_by(RevisionItem.code))
        },
        "tag": {t.name: t.name for t in db.session.scalars(select(Tag).order_by(Tag.name))},
        "language": _enum(FeedbackLanguage),
        "covid": {"1": _("Yes"), "0": _("No")},
    }


def bulk_choices() -> dict[str, dict[str, str]]:
    """Menus of the bulk action form."""
    return {
        "status": _enum(s for s in TriageStatus if s != TriageStatus.duplicate),
        "assignee": triager_choices(_("Nobody")),
        "lead_agency": agency_choices(_("None")),
        "revision_item": open_revision_choices(),
    }
