"""The revision-item status table: every pair of statuses is allowed exactly when the table says so."""

from __future__ import annotations

import itertools

from reviewtracker.errors import WorkflowError
from reviewtracker.extensions import db
from reviewtracker.models import RevisionStatus
from reviewtracker.revisions import services
from reviewtracker.revisions.workflow import REVISION_MOVES, allowed_moves
from tests import factories

R = RevisionStatus


def test_menu_lists_the_table_in_enum_order():
    assert allowed_moves(R.proposed) == [R.agreed, R.dropped]
    assert allowed_moves(R.drafted) == [R.agreed, R.applied, R.dropped]
    for status in R:
        assert set(allowed_moves(status)) == REVISION_MOVES[status] and status not in REVISION_MOVES[status]


def test_service_follows_the_table(world, rq):
    co_lead, item = world.users["co_lead"], world.revision
    version = factories.get_version("G")
    for source, target in itertools.product(R, R):
        item.status = source
        item.applied_version_id = version.id if source == R.applied else None
        db.session.flush()
        try:
            with db.session.begin_nested():
                services.update_revision_item(
                    co_lead, item, expected_version=item.lock_version, status=target, applied_version_id=version.id
                )
        except WorkflowError:
            assert target != source and target not in REVISION_MOVES[source], f"{source} → {target} refused"
            assert item.status == source
            continue
        assert target == source or target in REVISION_MOVES[source], f"{source} → {target} allowed"
        assert item.status == target
