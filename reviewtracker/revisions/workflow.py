"""The ONE table of revision-item status moves (proposed → agreed → drafted → applied / dropped): service and page."""

from __future__ import annotations

from flask_babel import gettext as _

from reviewtracker.errors import WorkflowError
from reviewtracker.i18n import label
from reviewtracker.models import RevisionStatus

R = RevisionStatus
# Allowed revision-item status moves; stepping back one stage corrects a mistake.
REVISION_MOVES: dict[RevisionStatus, frozenset[RevisionStatus]] = {
    R.proposed: frozenset({R.agreed, R.dropped}),
    R.agreed: frozenset({R.drafted, R.dropped, R.proposed}),
    R.drafted: frozenset({R.applied, R.dropped, R.agreed}),
    R.applied: frozenset({R.drafted}),
    R.dropped: frozenset({R.proposed}),
}


def allowed_moves(status: RevisionStatus) -> list[RevisionStatus]:
    """The statuses an item may move to from `status`, in the enum's order (for the status menu)."""
    return [target for target in RevisionStatus if target in REVISION_MOVES[status]]


def check_move(source: RevisionStatus, target: RevisionStatus) -> None:
    """Raise WorkflowError unless the table allows `source` → `target` (staying put is always fine)."""
    if target != source and target not in REVISION_MOVES[source]:
        raise WorkflowError(
            _(
                "A revision item cannot move from “%(source)s” to “%(target)s”.",
                source=_label(source),
                target=_label(target),
            )
        )


def _label(status: RevisionStatus) -> str:
    return label(status)
