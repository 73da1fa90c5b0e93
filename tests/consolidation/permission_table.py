"""Permission rows for the focal point's queue: only the country's focal point consolidates its items."""

from tests import factories
from tests.permission_cases import case

FOCAL_POINT_A = {"focal_point"}


def _second_submitted(w):
    return factories.create_feedback(w.users["contributor"], w.round, state="submitted", section="G.2.4")


CASES = [
    case("consolidation.queue", lambda w: "/feedback/queue", {"focal_point", "focal_point_other"}),
    case("consolidation.forward", lambda w: f"/feedback/{w.submitted.id}/forward", FOCAL_POINT_A, method="POST"),
    case(
        "consolidation.forward_selected",
        lambda w: "/feedback/forward-selected",
        FOCAL_POINT_A,
        method="POST",
        data=lambda w: {"ids": [str(w.submitted.id)]},
    ),
    case(
        "consolidation.return_item",
        lambda w: f"/feedback/{w.submitted.id}/return",
        FOCAL_POINT_A,
        method="POST",
        data=lambda w: {"note": "Please add the page."},
    ),
    case(
        "consolidation.merge",
        lambda w: f"/feedback/{w.submitted.id}/merge",
        FOCAL_POINT_A,
        method="POST",
        data=lambda w: {"target_id": str(_second_submitted(w).id)},
    ),
]
