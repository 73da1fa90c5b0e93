"""Permission rows for the rounds routes: every page and action is for administrators only."""

from tests.factories import get_country, get_version
from tests.permission_cases import case

ADMIN = {"admin"}


def _question_id(w) -> int:
    return w.round.questions[0].id


def _round(w, name: str = "Second round") -> dict:
    return {"name": name, "versions": [str(get_version("G").id)], "opens_on": "2026-01-05",
            "closes_on": "2026-03-31", "countries": [str(get_country("KE").id)]}  # fmt: skip


CASES = [
    case("rounds.rounds", lambda w: "/admin/rounds", ADMIN),
    case("rounds.round_new", lambda w: "/admin/rounds/new", ADMIN),
    case("rounds.round_new", lambda w: "/admin/rounds/new", ADMIN, method="POST", data=_round, lands="/admin/rounds/"),
    case("rounds.round_detail", lambda w: f"/admin/rounds/{w.round.id}", ADMIN),
    case("rounds.round_edit", lambda w: f"/admin/rounds/{w.round.id}/edit", ADMIN),
    case(
        "rounds.round_edit",
        lambda w: f"/admin/rounds/{w.round.id}/edit",
        ADMIN,
        method="POST",
        data=lambda w: _round(w, w.round.name),
        lands=lambda w: f"/admin/rounds/{w.round.id}",
    ),
    case(
        "rounds.round_extend",
        lambda w: f"/admin/rounds/{w.round.id}/extensions/{get_country('KE').id}",
        ADMIN,
        method="POST",
        data=lambda w: {"extended_until": ""},
    ),
    case(
        "rounds.question_add",
        lambda w: f"/admin/rounds/{w.round.id}/questions",
        ADMIN,
        method="POST",
        data=lambda w: {"text_en": "Why?"},
    ),
    case("rounds.question_edit", lambda w: f"/admin/questions/{_question_id(w)}", ADMIN),
    case(
        "rounds.question_edit", lambda w: f"/admin/questions/{_question_id(w)}", ADMIN, method="POST", data=lambda w: {}
    ),
    case(
        "rounds.question_move",
        lambda w: f"/admin/questions/{_question_id(w)}/move",
        ADMIN,
        method="POST",
        data=lambda w: {"direction": "down"},
    ),
    case("rounds.question_delete", lambda w: f"/admin/questions/{_question_id(w)}/delete", ADMIN, method="POST"),
]
