"""Read-only queries of the revisions feature: items grouped by section, an item's linked feedback."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import selectinload

from reviewtracker.extensions import db
from reviewtracker.models import Country, Feedback, RevisionItem, RevisionLink, RevisionStatus, User
from reviewtracker.permissions import feedback_visibility


def link_counts(user: User) -> dict[int, tuple[int, int]]:
    """Per revision item: (linked comments, countries) among the feedback the user may see."""
    stmt = (
        select(RevisionLink.revision_item_id, func.count(RevisionLink.id), func.count(distinct(Feedback.country_id)))
        .join(Feedback, Feedback.id == RevisionLink.feedback_id)
        .where(feedback_visibility(user))
        .group_by(RevisionLink.revision_item_id)
    )
    return {item_id: (n, countries) for item_id, n, countries in db.session.execute(stmt)}


def grouped_by_section(status: RevisionStatus | None = None) -> list[tuple[str, list[RevisionItem]]]:
    """Revision items under each target section ('' for items without a section), sections in code order."""
    stmt = select(RevisionItem).options(selectinload(RevisionItem.sections)).order_by(RevisionItem.code)
    if status is not None:
        stmt = stmt.where(RevisionItem.status == status)
    groups: dict[str, list[RevisionItem]] = {}
    for item in db.session.scalars(stmt):
        keys = [f"{s.code} {s.title}" for s in item.sections] or [""]
        for key in dict.fromkeys(keys):
            groups.setdefault(key, []).append(item)
    return sorted(groups.items(), key=lambda pair: (pair[0] == "", pair[0]))


def linked_feedback(user: User, item: RevisionItem) -> list[tuple[RevisionLink, Feedback]]:
    """The visible feedback linked to an item with its link (who, when), by country then id."""
    stmt = (
        select(RevisionLink, Feedback)
        .join(Feedback, Feedback.id == RevisionLink.feedback_id)
        .where(RevisionLink.revision_item_id == item.id, feedback_visibility(user))
        .options(selectinload(Feedback.country), selectinload(Feedback.section))
        .order_by(Feedback.country_id, Feedback.id)
    )
    return [(link, fb) for link, fb in db.session.execute(stmt)]


def country_counts(rows: list[tuple[RevisionLink, Feedback]]) -> list[tuple[Country, int]]:
    """How many linked comments each country made, most first."""
    counter = Counter(fb.country for _link, fb in rows)
    return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0].code))
