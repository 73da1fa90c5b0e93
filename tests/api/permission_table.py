"""Permission rows for the API and token routes, as the shared table test sees them (session cookie only).

The API accepts tokens only, so a signed-in browser session gets 401 everywhere but the public OpenAPI
document; per-role access with tokens is checked in test_api_access.py.
"""

from tests.permission_cases import case
from tests.world import ACTORS, EVERYONE

NOBODY: set[str] = set()

CASES = [
    case("api.openapi", lambda w: "/api/v1/openapi.json", set(ACTORS), note="public description"),
    case("api.me", lambda w: "/api/v1/me", NOBODY),
    case("api.countries", lambda w: "/api/v1/countries", NOBODY),
    case("api.documents", lambda w: "/api/v1/documents", NOBODY),
    case("api.document", lambda w: f"/api/v1/documents/{w.forwarded.version.document_id}", NOBODY),
    case("api.version", lambda w: f"/api/v1/versions/{w.forwarded.version_id}", NOBODY),
    case("api.rounds", lambda w: "/api/v1/rounds", NOBODY),
    case("api.round_detail", lambda w: f"/api/v1/rounds/{w.round.id}", NOBODY),
    case("api.feedback_list", lambda w: "/api/v1/feedback", NOBODY),
    case("api.feedback_detail", lambda w: f"/api/v1/feedback/{w.forwarded.id}", NOBODY),
    case("api.revision_items", lambda w: "/api/v1/revision-items", NOBODY),
    case("api.revision_item", lambda w: f"/api/v1/revision-items/{w.revision.id}", NOBODY),
    case("api.exports", lambda w: "/api/v1/exports", NOBODY),
    case("api.create_feedback", lambda w: "/api/v1/feedback", NOBODY, method="POST", data=lambda w: {}),
    case("api.submit_feedback", lambda w: f"/api/v1/feedback/{w.draft.id}/submit", NOBODY, method="POST"),
    case("api.change_status", lambda w: f"/api/v1/feedback/{w.forwarded.id}/status", NOBODY, method="PUT"),
    case("api.assign_feedback", lambda w: f"/api/v1/feedback/{w.forwarded.id}/assignment", NOBODY, method="PUT"),
    case("api.set_tags", lambda w: f"/api/v1/feedback/{w.forwarded.id}/tags", NOBODY, method="PUT"),
    case("api.save_response", lambda w: f"/api/v1/feedback/{w.answered.id}/response", NOBODY, method="PUT"),
    case(
        "api.link_revision_item",
        lambda w: f"/api/v1/feedback/{w.forwarded.id}/revision-links",
        NOBODY,
        method="POST",
    ),
    case(
        "tokens.create_token",
        lambda w: "/profile/tokens",
        EVERYONE,
        method="POST",
        data=lambda w: {"token-name": "CI"},
        expect=200,
        note="shows the token once",
    ),
    case(
        "tokens.revoke_token",
        lambda w: "/profile/tokens/999999/revoke",
        NOBODY,
        method="POST",
        note="someone else's or unknown token",
    ),
]
