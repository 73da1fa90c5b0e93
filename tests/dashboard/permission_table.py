"""Permission rows for the dashboards."""

from tests.permission_cases import case
from tests.world import WORKING_GROUP

CASES = [
    case("dashboard.index", lambda w: "/dashboard/", WORKING_GROUP),
    case("dashboard.index", lambda w: f"/dashboard/?round={w.round.id}&depth=1", WORKING_GROUP, note="round+depth"),
    case("dashboard.country", lambda w: "/dashboard/country", {"focal_point", "focal_point_other"}),
    case(
        "dashboard.country",
        lambda w: f"/dashboard/country?round={w.round.id}",
        {"focal_point", "focal_point_other"},
        note="round",
    ),
]
