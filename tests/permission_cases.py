"""The shape of a row in the permission table: route × method × which actors may pass.

Each feature lists its rows in tests/<feature>/permission_table.py as `CASES`;
tests/test_permissions.py runs them all and checks that every route of the app is listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    note: str = ""
    # What an allowed actor gets: this status, or {actor: status} with "*" for the others (None: 200 for GET,
    # a 302 redirect otherwise) and, for a redirect, a part of the URL it must land on (None: anywhere but the
    # sign-in page).
    expect: int | Mapping[str, int] | None = None
    lands: str | Callable[[World], str] | None = None

    def expected_status(self, actor: str) -> int:
        """The status an allowed actor must get."""
        expect = self.expect
        if isinstance(expect, Mapping):
            expect = expect.get(actor, expect.get("*"))
        if expect is not None:
            return expect
        return 200 if self.method == "GET" else 302

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}{' ' + self.note if self.note else ''}"


def case(endpoint: str, url, allowed, method: str = "GET", data=None, note: str = "", expect=None, lands=None) -> Case:
    """Shorthand constructor accepting any iterable of actor names."""
    return Case(endpoint, url, frozenset(allowed), method, data, note, expect, lands)
