"""Request bodies loaded by their schemas: the same messages, and the same order of checks, as before APIFlask."""

from __future__ import annotations

import pytest

from reviewtracker.extensions import db
from tests.api.conftest import make_token

JSON_OBJECT = "Send a JSON object in the request body (Content-Type: application/json)."


def _message(response) -> str:
    assert response.is_json
    return response.get_json()["message"]


def _new(world, **fields) -> dict:
    base = {"round_id": world.round.id, "version_id": world.draft.version_id, "type": "general", "comment": "c"}
    return {**base, **fields}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"round_id": True}, "The field 'round_id' has the wrong type."),
        ({"round_id": "1"}, "The field 'round_id' has the wrong type."),
        ({"round_id": 2**40}, "The field 'round_id' is out of range."),
        ({"round_id": 0}, "Unknown review round."),
        ({"comment": None}, "The field 'comment' has the wrong type."),
        ({"type": "x"}, "The field 'type' has an unknown value."),
        ({"principle_ids": "x"}, "The field 'principle_ids' has the wrong type."),
        ({"principle_ids": [True]}, "The field 'principle_ids' must be a list of ids."),
        ({"principle_ids": [0]}, "The field 'principle_ids' must be a list of ids."),
        ({"objective_ids": list(range(1, 120))}, "The field 'objective_ids' must be a list of ids."),
        ({"covid": 1}, "The field 'covid' has the wrong type."),
        ({"submit": "yes"}, "The field 'submit' has the wrong type."),
        ({"usefulness_rating": 1.0}, "The field 'usefulness_rating' has the wrong type."),
        ({"reference": 5}, "The field 'reference' has the wrong type."),
    ],
)
def test_new_feedback_body_messages(api, world, fields, message):
    response = api.call("POST", "/api/v1/feedback", world.users["contributor"], json=_new(world, **fields))
    assert response.status_code == 400
    assert _message(response) == message


def test_missing_field_and_unknown_round_come_in_the_old_order(api, world):
    contributor = world.users["contributor"]
    response = api.call("POST", "/api/v1/feedback", contributor, json={"round_id": 0})
    assert _message(response) == "Unknown review round."  # the round is looked up before the rest is read
    response = api.call("POST", "/api/v1/feedback", contributor, json={"round_id": world.round.id})
    assert _message(response) == "The field 'version_id' is required."


def test_null_means_not_sent_and_extra_fields_are_ignored(api, world):
    body = _new(world, covid=None, priority=None, language=None, country_id=999, status="accepted")
    response = api.call("POST", "/api/v1/feedback", world.users["contributor"], json=body)
    assert response.status_code == 201
    item = response.get_json()
    assert (item["covid"], item["priority"], item["language"], item["status"]) == (False, "medium", "en", None)


def test_malformed_json_is_named_after_the_access_and_precondition_checks(api, client, world):
    contributor, co_lead = world.users["contributor"], world.users["co_lead"]
    response = api.call("POST", "/api/v1/feedback", contributor, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and _message(response) == JSON_OBJECT
    bad = {"data": "{not json", "content_type": "application/json"}
    token = {"Authorization": f"Bearer {make_token(co_lead)}"}
    assert client.post("/api/v1/feedback", headers=token, **bad).status_code == 403  # not a country user
    url = f"/api/v1/feedback/{world.forwarded.id}/status"
    assert client.put(url, headers=token, **bad).status_code == 428  # no If-Match
    assert client.put(url, headers={**token, "If-Match": '"999"'}, **bad).status_code == 412
    response = client.put(url, headers={**token, "If-Match": f'"{world.forwarded.lock_version}"'}, **bad)
    assert response.status_code == 400 and _message(response) == JSON_OBJECT
    assert client.put("/api/v1/feedback/99999/status", headers=token, **bad).status_code == 404


@pytest.mark.parametrize(
    ("url", "body", "message"),
    [
        ("tags", {"tags": "x"}, "The field 'tags' has the wrong type."),
        ("tags", {"tags": [1]}, "The field 'tags' must be a list of ids."),
        ("assignment", {"lead_agency": 5}, "The field 'lead_agency' has the wrong type."),
        ("assignment", {"lead_agency": "ZZZ"}, "Unknown lead agency."),
        ("assignment", {"assignee_id": -1}, "Unknown assignee."),
        ("response", {"text": None}, "The field 'text' has the wrong type."),
        ("response", {"text": "t", "publish": 1}, "The field 'publish' has the wrong type."),
        ("status", {}, "The field 'status' is required."),
        ("status", {"status": "nope"}, "The field 'status' has an unknown value."),
        ("status", {"status": "in_review", "duplicate_of_id": 0}, "Unknown original item."),
    ],
)
def test_triage_body_messages(api, world, url, body, message):
    item = world.forwarded
    response = api.call(
        "PUT", f"/api/v1/feedback/{item.id}/{url}", world.users["co_lead"], json=body, if_match=item.lock_version
    )
    assert response.status_code == 400
    assert _message(response) == message


def test_the_tokens_user_and_language_win_over_a_session_cookie(api, login_as, world):
    contributor = world.users["contributor"]
    contributor.locale = "fr"
    db.session.commit()
    login_as(world.users["co_lead"])
    response = api.get("/api/v1/me", contributor)
    assert response.get_json()["email"] == contributor.email
    response = api.get("/api/v1/feedback?page=x", contributor)
    assert "100\u202f000" in _message(response)  # French number format: the token's user's language
