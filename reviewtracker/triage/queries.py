"""Read-only triage queries: status counts, the item page's neighbours, likely duplicates and timeline."""

from __future__ import annotations

import dataclasses
from difflib import SequenceMatcher

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from reviewtracker.extensions import db
from reviewtracker.models import Activity, Feedback, TriageNote, TriageStatus, User
from reviewtracker.permissions import feedback_visibility
from reviewtracker.triage.filters import QueueFilters, base_query

DUPLICATE_THRESHOLD = 0.6
DUPLICATE_CANDIDATES = 200  # compare with at most this many items of the same section
DUPLICATES_SHOWN = 5


# What each queue row shows, loaded up front for the page's rows (not one query per row).
_ROW_OPTIONS = (selectinload(Feedback.country), selectinload(Feedback.section), selectinload(Feedback.assignee))


def list_queue(user: User, filters: QueueFilters) -> Select:
    """The queue's items for a user, filtered and sorted, with what each row shows loaded up front."""
    return filters.apply(base_query(user)).options(*_ROW_OPTIONS)


class QueuePage(SelectPagination):
    """A queue page found by its ids first, so that the rows an OFFSET skips are read from the index only."""

    def _query_items(self) -> list[Feedback]:
        session = self._query_args["session"]
        ids = list(session.scalars(self._query_args["select"].limit(self.per_page).offset(self._query_offset)))
        if not ids:
            return []
        found = {f.id: f for f in session.scalars(select(Feedback).where(Feedback.id.in_(ids)).options(*_ROW_OPTIONS))}
        return [found[i] for i in ids if i in found]


def paginate_queue(user: User, filters: QueueFilters, page: int, per_page: int, max_per_page: int) -> QueuePage:
    """One page of the queue (404 past the end); the caller sets `total`."""
    ids = filters.apply(select(Feedback.id).where(feedback_visibility(user)))
    return QueuePage(
        select=ids, session=db.session, page=page, per_page=per_page, max_per_page=max_per_page, count=False
    )


def queue_counts(user: User, filters: QueueFilters) -> tuple[int, dict[TriageStatus, int]]:
    """How many items match, and how many match per status, from ONE grouped count.

    The per-status counts ignore the status filter (so that every tab shows); the page's total is the sum of the
    chosen statuses' counts (all of them when none is chosen), which is exactly the COUNT(*) of the filtered queue
    without scanning the matching rows a second time.
    """
    unfiltered = dataclasses.replace(filters, status=[])
    stmt = unfiltered.where(
        select(Feedback.status, func.count()).where(feedback_visibility(user)).group_by(Feedback.status)
    )
    found: dict[TriageStatus | None, int] = dict(db.session.execute(stmt).all())
    chosen = set(filters.status) if filters.status else found.keys()
    total = sum(found.get(status, 0) for status in chosen)
    return total, {status: found.get(status, 0) for status in TriageStatus}


def same_section(user: User, feedback: Feedback, limit: int = 20) -> list[Feedback]:
    """Other visible feedback on the same section (or on the whole document) of the same version."""
    stmt = (
        base_query(user)
        .where(Feedback.id != feedback.id, Feedback.version_id == feedback.version_id)
        .where(
            Feedback.section_id == feedback.section_id
            if feedback.section_id is not None
            else Feedback.section_id.is_(None)
        )
        .options(selectinload(Feedback.country))
        .order_by(Feedback.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def _text(item: Feedback) -> str:
    return " ".join(f"{item.comment or ''} {item.proposed_change or ''}".lower().split())


def likely_duplicates(user: User, feedback: Feedback) -> list[tuple[Feedback, float]]:
    """Items on the same section whose text is similar (SequenceMatcher ratio ≥ 0.6), most similar first."""
    mine = _text(feedback)
    found = []
    for other in same_section(user, feedback, limit=DUPLICATE_CANDIDATES):
        matcher = SequenceMatcher(None, mine, _text(other), autojunk=False)
        # The cheap upper bounds first: most pairs are dismissed without the full comparison.
        if matcher.real_quick_ratio() < DUPLICATE_THRESHOLD or matcher.quick_ratio() < DUPLICATE_THRESHOLD:
            continue
        ratio = matcher.ratio()
        if ratio >= DUPLICATE_THRESHOLD:
            found.append((other, ratio))
    found.sort(key=lambda pair: -pair[1])
    return found[:DUPLICATES_SHOWN]


def list_notes(feedback: Feedback) -> list[TriageNote]:
    """Top-level private notes of an item (replies hang off each note), oldest first."""
    stmt = (
        select(TriageNote)
        .where(TriageNote.feedback_id == feedback.id, TriageNote.parent_id.is_(None), TriageNote.deleted_at.is_(None))
        .options(selectinload(TriageNote.author), selectinload(TriageNote.replies))
        .order_by(TriageNote.created_at, TriageNote.id)
    )
    return list(db.session.scalars(stmt))


def timeline(feedback: Feedback) -> list[Activity]:
    """Every activity row of an item, oldest first."""
    stmt = (
        select(Activity)
        .where(Activity.feedback_id == feedback.id)
        .options(selectinload(Activity.actor))
        .order_by(Activity.created_at, Activity.id)
    )
    return list(db.session.scalars(stmt))


def get_visible(user: User, feedback_id: int) -> Feedback | None:
    """One item if the user may see it in triage."""
    return db.session.scalar(base_query(user).where(Feedback.id == feedback_id))
