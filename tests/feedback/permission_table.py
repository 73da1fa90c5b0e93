"""Permission rows for the feedback routes: own country (A) vs other country (B) vs working group."""

from reviewtracker.extensions import db
from reviewtracker.models import Notification
from tests import factories
from tests.permission_cases import case
from tests.world import COUNTRY_A, EVERYONE, WORKING_GROUP

COUNTRY_USERS = {"contributor", "contributor_other", "focal_point", "focal_point_other"}
AUTHOR = {"contributor"}
FOCAL_POINT_A = {"focal_point"}


def _form(w, **extra):
    section = factories.get_section("G.2.3")
    return {"section_id": str(section.id), "type": "substantive", "priority": "high", "language": "en",
            "comment": "A comment from the permission table.", "client_token": "", **extra}  # fmt: skip


def _note_of_contributor(w):
    note = Notification(user_id=w.users["contributor"].id, kind="feedback.forwarded", params={"by": "X"})
    db.session.add(note)
    db.session.flush()
    return note


CASES = [
    case("feedback.index", lambda w: "/feedback/", COUNTRY_USERS),
    case("feedback.round_overview", lambda w: f"/feedback/rounds/{w.round.id}", COUNTRY_USERS),
    case("feedback.create", lambda w: f"/feedback/rounds/{w.round.id}/new", COUNTRY_USERS),
    case("feedback.create", lambda w: f"/feedback/rounds/{w.round.id}/new", COUNTRY_USERS, method="POST", data=_form),
    case("feedback.detail", lambda w: f"/feedback/{w.draft.id}", AUTHOR, note="draft"),
    case("feedback.detail", lambda w: f"/feedback/{w.submitted.id}", COUNTRY_A, note="submitted"),
    case("feedback.detail", lambda w: f"/feedback/{w.forwarded.id}", COUNTRY_A | WORKING_GROUP, note="forwarded"),
    case("feedback.edit", lambda w: f"/feedback/{w.draft.id}/edit", AUTHOR),
    case("feedback.edit", lambda w: f"/feedback/{w.submitted.id}/edit", FOCAL_POINT_A, note="focal point"),
    case(
        "feedback.edit",
        lambda w: f"/feedback/{w.draft.id}/edit",
        AUTHOR,
        method="POST",
        data=lambda w: _form(w, lock_version=str(w.draft.lock_version)),
    ),
    case("feedback.submit", lambda w: f"/feedback/{w.draft.id}/submit", AUTHOR, method="POST"),
    case("feedback.withdraw", lambda w: f"/feedback/{w.draft.id}/withdraw", AUTHOR, method="POST"),
    case(
        "feedback.acknowledge",
        lambda w: f"/feedback/{w.answered.id}/acknowledge",
        COUNTRY_A,
        method="POST",
        data=lambda w: {"agree": "agree", "comment": "Fine"},
    ),
    case("feedback.on_behalf", lambda w: f"/feedback/rounds/{w.round.id}/on-behalf", {"co_lead", "admin"}),
    case(
        "feedback.on_behalf",
        lambda w: f"/feedback/rounds/{w.round.id}/on-behalf",
        {"co_lead", "admin"},
        method="POST",
        data=lambda w: _form(w, country_id=str(factories.get_country("MA").id)),
    ),
    case("feedback.answers.questions", lambda w: f"/feedback/rounds/{w.round.id}/questions", COUNTRY_USERS),
    case(
        "feedback.answers.questions",
        lambda w: f"/feedback/rounds/{w.round.id}/questions",
        COUNTRY_USERS,
        method="POST",
        data=lambda w: {"answers-0-question_id": str(w.round.questions[0].id), "answers-0-text": "Our answer"},
    ),
    case(
        "feedback.answers.submit",
        lambda w: f"/feedback/rounds/{w.round.id}/questions/submit",
        {"focal_point", "focal_point_other"},
        method="POST",
        data=lambda w: {
            **{f"answers-{i}-question_id": str(q.id) for i, q in enumerate(w.round.questions)},
            **{f"answers-{i}-text": f"Answer {i + 1}" for i, _q in enumerate(w.round.questions)},
        },
    ),
    case("feedback.notifications.index", lambda w: "/feedback/notifications", EVERYONE),
    case(
        "feedback.notifications.read",
        lambda w: f"/feedback/notifications/{_note_of_contributor(w).id}/read",
        AUTHOR,
        method="POST",
    ),
    case("feedback.notifications.read_all", lambda w: "/feedback/notifications/read-all", EVERYONE, method="POST"),
]
