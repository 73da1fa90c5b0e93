"""The triage demo: every status, a duplicate, revision items across countries, responses and a next draft."""

from __future__ import annotations

from datetime import date

from sqlalchemy import distinct, func, select

from reviewtracker.extensions import db
from reviewtracker.models import (
    DocumentVersion,
    Feedback,
    Response,
    ResponseTemplate,
    RevisionItem,
    RevisionLink,
    RevisionStatus,
    TriageNote,
    TriageStatus,
)
from reviewtracker.seed.demo import seed_demo


def test_demo_triage(app):
    seed_demo(date.today())
    db.session.commit()
    statuses = set(db.session.scalars(select(Feedback.status).distinct().where(Feedback.status.is_not(None))))
    assert statuses >= {
        TriageStatus.new,
        TriageStatus.in_review,
        TriageStatus.accepted,
        TriageStatus.duplicate,
        TriageStatus.noted,
    }
    assert db.session.scalar(select(func.count()).select_from(ResponseTemplate)) == 3
    assert db.session.scalar(select(func.count()).select_from(RevisionItem)) >= 4
    assert db.session.scalar(select(func.count()).select_from(TriageNote)) >= 2
    countries = db.session.scalar(
        select(func.count(distinct(Feedback.country_id))).join(RevisionLink, RevisionLink.feedback_id == Feedback.id)
    )
    assert countries >= 2
    published = db.session.scalar(select(func.count()).where(Response.published.is_(True)))
    drafts = db.session.scalar(select(func.count()).where(Response.published.is_(False)))
    assert published > drafts >= 1
    assert db.session.scalar(select(func.count()).where(Response.acknowledgement.is_not(None))) == 1
    applied = db.session.scalar(select(RevisionItem).where(RevisionItem.status == RevisionStatus.applied))
    assert applied.applied_version.label == "Revised draft"
    assert db.session.scalar(select(DocumentVersion).where(DocumentVersion.label == "Revised draft")).predecessor_id
