"""One parser for numbers from the outside world (ids, pages, versions): ASCII digits only, within a range."""

from __future__ import annotations

import re
from collections.abc import Iterable

import click
from flask import Flask, abort
from flask_babel import format_number
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

# Ids and lock versions are INTEGER columns: 32 bits on PostgreSQL (SQLite's INTEGER would hold 2**63-1).
# A larger number can name nothing, and sending it to the database is a crash, not a miss.
MAX_ID = 2**31 - 1
MAX_PAGE = MAX_ID  # (page - 1) * per_page stays far inside both databases' 64-bit OFFSET

# Not r"\d": Unicode digit tests and \d accept "²" or "١", which int() refuses or reads as another number.
_DIGITS = re.compile(r"[0-9]+")


def to_int(raw: object, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """The whole number written in `raw` with ASCII digits, if it lies in [low, high]; else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw) and len(raw) <= 20:
        value = int(raw)
    else:
        return None
    return value if low <= value <= high else None


def whole_number_message(name: str, limit: str | None = None) -> str:
    """The one message every malformed number gets, naming the parameter (and its range; ids: "≥ 1")."""
    limit = limit or f"≥ {format_number(1)}"
    return _("The parameter '%(name)s' must be a whole number (%(limit)s).", name=name, limit=limit)


def _bad_request(name: str, limit: str | None = None):
    """400 with that message (an HTML page, or the API's JSON error under /api)."""
    abort(400, description=whole_number_message(name, limit))


def parse_number(raw: str | None, name: str, *, low: int, high: int, default: int | None = None) -> int | None:
    """A bounded count (per_page, depth): empty → default; malformed or outside [low, high] → 400."""
    if raw is None or raw == "":
        return default
    value = to_int(raw, low=low, high=high)
    if value is None:
        _bad_request(name, f"{format_number(low)}–{format_number(high)}")
    return value


def parse_id(raw: str | None, name: str) -> int | None:
    """An id from a query or form field: empty → None; malformed → 400; a number no row can have → 404."""
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        _bad_request(name)
    value = to_int(raw, low=1)
    if value is None:
        abort(404)
    return value


def parse_id_list(values: Iterable[str], name: str) -> list[int]:
    """Several ids (repeated field, e.g. ids=1&ids=2), each as parse_id, without duplicates, in order."""
    ids = (parse_id(value, name) for value in values if value != "")
    return list(dict.fromkeys(i for i in ids if i is not None))


def parse_page(raw: str | None, name: str = "page") -> int:
    """A page number: empty → 1; malformed or 0 → 400; past any possible page → 404."""
    if raw is None or raw == "":
        return 1
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw) or to_int(raw, low=0) == 0:
        _bad_request(name)
    value = to_int(raw, low=1, high=MAX_PAGE)
    if value is None:
        abort(404)
    return value


STALE = -1  # matches no row's lock version, so an unreadable one takes the conflict path


def parse_version(raw: object) -> int:
    """The lock version a form sent back (a hidden field); STALE when it is not one, so the caller's conflict page
    shows both versions with the typed text, and nothing is overwritten."""
    version = to_int(raw, low=0)
    return STALE if version is None else version


class IdConverter(IntegerConverter):
    """The app's `<int:...>`: ASCII digits only, at most MAX_ID, so an id no row can have is a 404, not a 500."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed=False):
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)

    def to_python(self, value: str) -> int:
        """The id; NotFound past the range (a ValidationError would let a same-path rule for another method
        answer 405 instead)."""
        if to_int(value, low=0, high=self.max) is None:
            raise NotFound()
        return super().to_python(value)


class IdParamType(click.ParamType):
    """A click type for ids: the same rule as the web, a clean usage error instead of a traceback."""

    name = "id"

    def convert(self, value, param, ctx):
        """The id as an int, or a click usage error naming the option."""
        number = to_int(value, low=1)
        if number is None:
            self.fail(f"{value!r} is not a whole number from 1 to {MAX_ID}.", param, ctx)
        return number


CLI_ID = IdParamType()


def init_app(app: Flask) -> None:
    """Replace Flask's `int` URL converter app-wide; call before the blueprints add their routes."""
    app.url_map.converters["int"] = IdConverter
