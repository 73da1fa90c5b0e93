"""Permission rows for the offline-template routes (download, upload, preview, confirm, history, undo)."""

from reviewtracker.extensions import db
from reviewtracker.models import FeedbackImport
from tests.permission_cases import case

# Both world countries (KE and MA) take part in the round, so every country user may use the round's routes.
COUNTRY_USERS = {"contributor", "contributor_other", "focal_point", "focal_point_other"}


def _import_of_a(world) -> str:
    """An import by A's contributor, whose items are drafts: only that uploader may undo it."""
    record = FeedbackImport(
        round_id=world.round.id,
        country_id=world.users["contributor"].country_id,
        user_id=world.users["contributor"].id,
        filename="a.xlsx",
        sha256="0" * 64,
    )
    db.session.add(record)
    db.session.flush()
    return f"/feedback/imports/{record.id}/undo"


CASES = [
    case("feedback_import.template", lambda w: f"/feedback/rounds/{w.round.id}/template.xlsx", COUNTRY_USERS),
    case("feedback_import.roundtrip", lambda w: f"/feedback/rounds/{w.round.id}/our-feedback.xlsx", COUNTRY_USERS),
    case("feedback_import.start", lambda w: f"/feedback/rounds/{w.round.id}/import", COUNTRY_USERS),
    case(
        "feedback_import.upload",
        lambda w: f"/feedback/rounds/{w.round.id}/import",
        COUNTRY_USERS,
        method="POST",
        data=lambda w: {},
        note="no file: the form again",
        expect=400,
    ),
    case(
        "feedback_import.preview",
        lambda w: "/feedback/imports/preview",
        COUNTRY_USERS,
        note="nothing pending: back to the start",
        expect=302,
        lands=lambda w: "/import",
    ),
    case(
        "feedback_import.confirm",
        lambda w: "/feedback/imports/confirm",
        COUNTRY_USERS,
        method="POST",
        note="nothing pending",
    ),
    case("feedback_import.cancel", lambda w: "/feedback/imports/cancel", COUNTRY_USERS, method="POST"),
    case("feedback_import.history", lambda w: "/feedback/imports", COUNTRY_USERS),
    case("feedback_import.undo", _import_of_a, {"contributor"}, method="POST", note="A's import"),
]
