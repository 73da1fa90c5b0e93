"""The ONE table of feedback lifecycle moves (from → to, by whom, on which condition): services, predicates, pages."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from reviewtracker.models import Feedback, FeedbackState

F = FeedbackState


class Action(enum.StrEnum):
    """What a country user asks to do with an item."""

    submit = "submit"
    forward = "forward"
    return_ = "return"
    merge = "merge"
    withdraw = "withdraw"


class By(enum.StrEnum):
    """Who may make a move, relative to the item (permissions.py says what each means for a user)."""

    author = "author"  # the item's author, a user of the item's country
    focal_point = "focal_point"  # a focal point of the item's country


@dataclass(frozen=True)
class Move:
    """One allowed move of a live (not deleted) item: `action` takes it from `source` to `target`, made by `by`."""

    action: Action
    source: FeedbackState
    target: FeedbackState
    by: By
    condition: str = ""  # what the service checks besides who and from where (documentation, not code)
    # Made only as the tail of another move (a direct submission), never asked for on its own.
    automatic: bool = False


MOVES: tuple[Move, ...] = (
    Move(Action.submit, F.draft, F.submitted, By.author, "round open for the country; comment not empty"),
    Move(Action.submit, F.returned, F.submitted, By.author, "round open for the country; comment not empty"),
    # A direct-submission round, or a focal point's own item: submitting forwards at once (draft → forwarded).
    Move(Action.forward, F.submitted, F.forwarded, By.author, "direct round or focal point's own item", True),
    Move(Action.forward, F.submitted, F.forwarded, By.focal_point),
    Move(Action.return_, F.submitted, F.returned, By.focal_point, "a note for the author"),
    Move(Action.merge, F.submitted, F.merged, By.focal_point, "into another submitted item of the country"),
    Move(Action.withdraw, F.draft, F.withdrawn, By.author),
    Move(Action.withdraw, F.submitted, F.withdrawn, By.author),
    Move(Action.withdraw, F.returned, F.withdrawn, By.author),
)

_INDEX: dict[tuple[FeedbackState, Action], Move] = {(m.source, m.action): m for m in MOVES if not m.automatic}
_AUTOMATIC: dict[tuple[FeedbackState, Action], Move] = {(m.source, m.action): m for m in MOVES if m.automatic}


def move_for(state: FeedbackState, action: Action) -> Move | None:
    """The move a user may ask for from `state` (None: the action is not possible from there)."""
    return _INDEX.get((state, action))


def sources(action: Action, by: By) -> frozenset[FeedbackState]:
    """The states from which `by` may ask for `action`."""
    return frozenset(m.source for m in MOVES if m.action == action and m.by == by and not m.automatic)


# Derived from the table, so editing and visibility follow the lifecycle.
AUTHOR_EDITS = sources(Action.submit, By.author)  # an author edits what they can still submit
FOCAL_POINT_EDITS = sources(Action.forward, By.focal_point)  # the focal point edits what waits in the queue
PRIVATE_TO_AUTHOR = AUTHOR_EDITS  # nobody else in the country sees an item the author is still writing
WITH_WORKING_GROUP = F.forwarded  # the only state the working group sees and triages
IN_COUNTRY_QUEUE = F.submitted  # waiting for the focal point


def apply_move(feedback: Feedback, action: Action, *, automatic: bool = False) -> Move:
    """Set the item's state along the table (who may was checked by the caller's predicate)."""
    table = _AUTOMATIC if automatic else _INDEX
    move = table.get((feedback.state, action))
    if move is None:  # a programming error (the caller skipped its predicate), never a user's message
        raise ValueError(f"no feedback move {action} from {feedback.state}")
    feedback.state = move.target
    return move
