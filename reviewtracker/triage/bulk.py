"""Bulk triage: one action over many items, each in its own savepoint, reporting what changed and what was skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _

from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.models import Feedback, LeadAgency, RevisionItem, TriageStatus, User
from reviewtracker.revisions.services import link_revision_item
from reviewtracker.triage import services

MAX_BULK_ITEMS = 1000
ACTIONS = ("status", "assign", "tags", "link", "publish")


@dataclass
class BulkResult:
    """Items changed, and items skipped with the reason (translated)."""

    changed: list[Feedback] = field(default_factory=list)
    skipped: list[tuple[Feedback, str]] = field(default_factory=list)

    def reasons(self) -> dict[str, list[str]]:
        """Skipped item ids grouped by reason, for the result message."""
        grouped: dict[str, list[str]] = {}
        for item, reason in self.skipped:
            grouped.setdefault(reason, []).append(item.display_id)
        return grouped


@dataclass
class BulkTarget:
    """An item and the version the user saw (None when acting on 'everything matching': see `loaded_at`)."""

    feedback: Feedback
    version: int | None


def _expected(target: BulkTarget, loaded_at: datetime | None) -> int:
    """The version to check: the one the user saw, or the current one if unchanged since the page was loaded."""
    if target.version is not None:
        return target.version
    changed = target.feedback.last_changed_at
    if loaded_at is not None and changed is not None and _aware(changed) > _aware(loaded_at):
        return -1  # changed after the user looked at the list: treat as stale
    return target.feedback.lock_version


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_bulk(
    actor: User,
    targets: Iterable[BulkTarget],
    action: str,
    *,
    loaded_at: datetime | None = None,
    status: TriageStatus | None = None,
    assignee: User | None = None,
    lead_agency: LeadAgency | None = None,
    tag_names: list[str] | None = None,
    revision_item: RevisionItem | None = None,
) -> BulkResult:
    """Apply one action to each target; an item that fails (illegal move, stale version, ...) is skipped."""
    if action not in ACTIONS:
        raise ServiceError(_("Unknown bulk action."))
    operation = _operation(actor, action, status, assignee, lead_agency, tag_names or [], revision_item)
    result = BulkResult()
    for target in list(targets)[:MAX_BULK_ITEMS]:
        savepoint = db.session.begin_nested()
        try:
            skipped = operation(target.feedback, _expected(target, loaded_at))
        except services.ConflictError:
            savepoint.rollback()
            result.skipped.append((target.feedback, _("changed by someone else since you loaded the page")))
            continue
        except ServiceError as error:
            savepoint.rollback()
            result.skipped.append((target.feedback, error.message))
            continue
        savepoint.commit()
        if skipped:
            result.skipped.append((target.feedback, skipped))
        else:
            result.changed.append(target.feedback)
    return result


def _operation(actor, action, status, assignee, lead_agency, tag_names, revision_item) -> Callable:
    """The per-item function: returns a reason to skip (nothing to do), or None when it changed the item."""

    def change_status(item: Feedback, version: int) -> str | None:
        if status is None:
            raise ServiceError(_("Choose a status."))
        services.change_status(actor, item, status, expected_version=version)
        return None

    def assign(item: Feedback, version: int) -> str | None:
        before = (item.assignee_id, item.lead_agency_id)
        services.assign_feedback(actor, item, assignee=assignee, lead_agency=lead_agency, expected_version=version)
        return _("already assigned so") if before == (item.assignee_id, item.lead_agency_id) else None

    def add_tags(item: Feedback, version: int) -> str | None:
        names = [t.name for t in item.tags]
        known = {n.casefold() for n in names}
        new = [n for n in tag_names if n.strip() and n.strip().casefold() not in known]
        if not new:
            services.check_version(item, version)
            return _("already has these tags")
        services.set_tags(
            actor,
            item,
            tag_names=names + new,
            principle_ids=[p.id for p in item.triage_principles],
            objective_ids=[o.id for o in item.triage_objectives],
            expected_version=version,
        )
        return None

    def link(item: Feedback, version: int) -> str | None:
        if revision_item is None:
            raise ServiceError(_("Choose a revision item."))
        services.check_version(item, version)
        link_revision_item(actor, revision_item, item)
        return None

    def publish(item: Feedback, version: int) -> str | None:
        services.check_version(item, version)
        if item.response is None:
            return _("no drafted response")
        if item.response.published:
            return _("response already published")
        services.publish_response(actor, item)
        return None

    return {"status": change_status, "assign": assign, "tags": add_tags, "link": link, "publish": publish}[action]
