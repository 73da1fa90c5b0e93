"""Moving one item of an ordered list (sections among siblings, a round's questions) one place up or down."""

from __future__ import annotations

from typing import Protocol, TypeVar


class Positioned(Protocol):
    """Anything with an editable `position`."""

    position: int


P = TypeVar("P", bound=Positioned)


def swap_with_neighbour(ordered: list[P], item: P, direction: str) -> P | None:
    """Number `ordered` 1..n, then swap `item` with the one above ("up") or below; the neighbour, or None at an end.

    Renumbering first keeps every move a plain swap, even after gaps or ties left by deletions and imports.
    """
    for position, each in enumerate(ordered, start=1):
        each.position = position
    index = ordered.index(item)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return None
    neighbour = ordered[other]
    item.position, neighbour.position = neighbour.position, item.position
    return neighbour
