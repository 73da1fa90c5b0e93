"""The feedback list's filters: the triage queue's QueueFilters, with bounds the API adds for robustness."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from sqlalchemy import Select, case

from reviewtracker.api.errors import bad_request
from reviewtracker.api.security import current_user
from reviewtracker.models import Feedback, TriageStatus
from reviewtracker.parsing import MAX_ID, parse_number
from reviewtracker.permissions import sees_unpublished_triage, triage_visibility, visible_status
from reviewtracker.triage.filters import QueueFilters

# Filters that take an id: only plain ASCII numbers within 32 bits reach the database.
# Filters on the working group's private triage (who handles it, its tags, what awaits publication).
COUNTRY_REFUSED = ("assignee", "tag", "view")
ID_FILTERS = ("round", "document", "section", "country", "stakeholder_type", "lead_agency", "revision_item", "assignee")


def filtered_feedback(stmt: Select) -> Select:
    """Apply the queue filters and sort order of the request's query string to a select of Feedback."""
    for name in ID_FILTERS:
        raw = request.args.get(name)
        if name == "assignee" and (raw or "").strip() in ("me", "none"):
            continue
        # Outside the documented schema (1 to MAX_ID) is a 400, like any other malformed parameter.
        parse_number(raw, name, low=1, high=MAX_ID)
    filters = QueueFilters.from_args(request.args, current_user)
    if sees_unpublished_triage(current_user):
        return filters.apply(stmt)
    return _as_country(filters, stmt)


def _as_country(filters: QueueFilters, stmt: Select) -> Select:
    """A country filters and sorts on the decisions it was told of (permissions.visible_status), so neither the
    result nor its order reveals an unpublished one; the working group's own filters are not for countries."""
    for name in COUNTRY_REFUSED:
        if getattr(filters, name):
            bad_request(_("Invalid value for the filter “%(name)s”.", name=name))
    stmt = filters.where(stmt)
    if filters.status or filters.revision_item is not None:
        stmt = stmt.where(triage_visibility(current_user))
    if filters.sort.lstrip("-") != "status":
        return filters.order(stmt)
    rank = case({s.value: i for i, s in enumerate(TriageStatus)}, value=visible_status(current_user), else_=99)
    if filters.sort.startswith("-"):
        return stmt.order_by(rank.desc(), Feedback.id.desc())
    return stmt.order_by(rank.asc(), Feedback.id.asc())
