"""The shape of a row in the permission table: route × method × which actors may pass.

Each feature lists its rows in tests/<feature>/permission_table.py as `CASES`;
tests/test_permissions.py runs them all and checks that every route of the app is listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import World


@dataclass(frozen=True)
class Case:
    """One route: who may use it. `url` and `data` build the request from a fresh World."""

    endpoint: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    method: str = "GET"
    data: Callable[[World], dict] | None = field(default=None)
    # Statuses that count as "refused" for actors outside `allowed` (404 hides other countries' items).
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}{' ' + self.note if self.note else ''}"


def case(endpoint: str, url, allowed, method: str = "GET", data=None, note: str = "") -> Case:
    """Shorthand constructor accepting any iterable of actor names."""
    return Case(endpoint, url, frozenset(allowed), method, data, note)
