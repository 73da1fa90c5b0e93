"""Permission rows for the exports routes: focal points get their own country's matrix only."""

from __future__ import annotations

from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.services import run_export
from reviewtracker.models import ExportKind
from tests.permission_cases import case
from tests.world import WORKING_GROUP

EXPORTERS = WORKING_GROUP | {"focal_point", "focal_point_other"}


def _stored(world, kind: ExportKind) -> int:
    """A stored export of country A (matrix) or of the whole round, made once per world."""
    key = f"export_{kind.value}"
    if key not in world.extra:
        params = ExportParams(round_id=world.round.id, country_id=world.forwarded.country_id)
        world.extra[key] = run_export(None, kind, params).id
    return world.extra[key]


def _form(world, kind: str) -> dict:
    return {"kind": kind, "round_id": world.round.id, "lang": "en", "country_id": world.forwarded.country_id}


CASES = [
    case("exports.index", lambda w: "/exports/", EXPORTERS),
    case(
        "exports.create",
        lambda w: "/exports/new",
        WORKING_GROUP | {"focal_point"},
        method="POST",
        data=lambda w: _form(w, "matrix"),
        note="matrix of country A",
    ),
    case(
        "exports.create",
        lambda w: "/exports/new",
        WORKING_GROUP,
        method="POST",
        data=lambda w: _form(w, "consolidated"),
        note="consolidated",
    ),
    case(
        "exports.download",
        lambda w: f"/exports/{_stored(w, ExportKind.matrix)}/download",
        WORKING_GROUP | {"focal_point"},
        note="matrix of country A",
    ),
    case(
        "exports.download",
        lambda w: f"/exports/{_stored(w, ExportKind.consolidated)}/download",
        WORKING_GROUP,
        note="consolidated",
    ),
    case("exports.revisions", lambda w: "/exports/revisions", WORKING_GROUP),
]
