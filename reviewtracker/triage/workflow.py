"""The ONE table of allowed triage status moves (from → to, which roles), used by the service and the status menu."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from reviewtracker.errors import WorkflowError
from reviewtracker.i18n import label
from reviewtracker.models import Feedback, FeedbackState, Role, TriageStatus

S = TriageStatus
TRIAGERS = Role.triagers()

# A decision has been taken: the submitter is owed a response, and the item can be reopened.
DECIDED = frozenset({S.accepted, S.accepted_modified, S.noted, S.not_accepted, S.duplicate, S.deferred})


@dataclass(frozen=True)
class Move:
    """One allowed move: from a status to another, by some roles."""

    source: TriageStatus
    target: TriageStatus
    roles: frozenset[Role] = TRIAGERS


def _moves() -> tuple[Move, ...]:
    moves = [Move(S.new, target) for target in (S.in_review, S.duplicate, S.noted, S.deferred)]
    moves += [
        Move(S.in_review, target)
        for target in (S.accepted, S.accepted_modified, S.noted, S.not_accepted, S.duplicate, S.deferred)
    ]
    # Reopening: any decision goes back to review (never straight to another decision, so it is discussed).
    moves += [Move(source, S.in_review) for source in sorted(DECIDED)]
    return tuple(moves)


MOVES: tuple[Move, ...] = _moves()
_INDEX: dict[tuple[TriageStatus, TriageStatus], Move] = {(m.source, m.target): m for m in MOVES}


def allowed_moves(status: TriageStatus | None, role: Role) -> list[TriageStatus]:
    """The statuses a role may move an item to from `status`, in the enum's order (for the status menu)."""
    current = status or S.new
    return [t for t in TriageStatus if (m := _INDEX.get((current, t))) is not None and role in m.roles]


def check_move(feedback: Feedback, status: TriageStatus, role: Role, *, duplicate_of: Feedback | None = None) -> None:
    """Raise WorkflowError with the reason unless `role` may move `feedback` to `status` now."""
    current = feedback.status or S.new
    if feedback.state != FeedbackState.forwarded or feedback.deleted_at is not None:
        raise WorkflowError(_("Only feedback forwarded to the working group can be triaged."))
    if current == status:
        raise WorkflowError(_("The item already has this status."))
    move = _INDEX.get((current, status))
    if move is None:
        raise WorkflowError(
            _(
                "An item cannot move from “%(source)s” to “%(target)s”.",
                source=_label(current),
                target=_label(status),
            )
        )
    if role not in move.roles:
        raise WorkflowError(_("Your role cannot make this change."))
    if status == S.duplicate:
        _check_duplicate(feedback, duplicate_of)
    elif duplicate_of is not None:
        raise WorkflowError(_("Only a duplicate points to another item."))


def _check_duplicate(feedback: Feedback, original: Feedback | None) -> None:
    """A duplicate points to another live, forwarded item that is not itself a duplicate (no chains, no loops)."""
    if original is None:
        raise WorkflowError(_("Say which item this one duplicates."))
    if original.id == feedback.id:
        raise WorkflowError(_("An item cannot duplicate itself."))
    if original.state != FeedbackState.forwarded or original.deleted_at is not None:
        raise WorkflowError(_("The original item must be forwarded feedback."))
    if original.status == S.duplicate:
        raise WorkflowError(_("The original item is itself a duplicate: point to the item it duplicates."))


def _label(status: TriageStatus) -> str:
    return label(status)
