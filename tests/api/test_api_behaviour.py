"""What an API client notices: token auth, country isolation, pagination, filters, If-Match, idempotency, limits."""

from __future__ import annotations

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import ApiToken, Feedback, TriageStatus
from tests import factories
from tests.api.conftest import make_token


def _bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def test_no_bad_or_revoked_token_gets_401_json(api, client, world):
    raw = make_token(world.users["co_lead"])
    assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 200
    for headers in ({}, _bearer("rt_not-a-token"), {"Authorization": "Basic abc"}, _bearer(raw + "x")):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["status"] == 401 and "Bearer" in response.get_json()["message"]
    token = db.session.scalar(select(ApiToken).where(ApiToken.prefix == raw[:10]))
    assert token.token_hash != raw and raw not in token.token_hash  # only the hash is stored
    assert token.last_used_at is not None
    token.revoked_at = token.created_at
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 401


def test_inactive_users_token_stops_working(client, world):
    user = world.users["focal_point"]
    raw = make_token(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 401


def test_session_cookie_is_not_accepted_on_the_api(client, login_as, world):
    login_as(world.users["admin"])
    assert client.get("/profile").status_code == 200
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.is_json


def test_api_needs_no_csrf_token_but_profile_forms_do(app, api, client, login_as, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = api.call(
            "PUT",
            f"/api/v1/feedback/{world.forwarded.id}/status",
            world.users["co_lead"],
            json={"status": "in_review"},
            if_match=world.forwarded.lock_version,
        )
        assert response.status_code == 200
        login_as(world.users["co_lead"])
        assert client.post("/profile/tokens", data={"token-name": "x"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_token_is_shown_once_listed_by_prefix_and_revocable(client, login_as, world):
    user = login_as(world.users["focal_point"])
    page = client.post("/profile/tokens", data={"token-name": "Ministry dashboard"})
    assert page.status_code == 200
    raw = page.get_data(as_text=True).split('id="new-token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert raw.startswith("rt_")
    assert client.get("/api/v1/me", headers=_bearer(raw)).get_json()["email"] == user.email
    profile = client.get("/profile").get_data(as_text=True)
    assert "Ministry dashboard" in profile and raw[:10] in profile and raw not in profile
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    response = client.post(f"/profile/tokens/{token.id}/revoke", follow_redirects=True)
    assert "is revoked" in response.get_data(as_text=True)
    assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, login_as, world):
    make_token(world.users["co_lead"])
    token = db.session.scalar(select(ApiToken))
    login_as(world.users["admin"])
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_empty_token_name_is_refused(client, login_as, world):
    login_as(world.users["member"])
    response = client.post("/profile/tokens", data={"token-name": "  "}, follow_redirects=True)
    assert "Give the token a name" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_country_token_never_sees_another_country(api, world):
    other = world.users["contributor_other"]
    factories.create_feedback(other, world.round, state="forwarded")
    db.session.commit()
    ke = factories.get_country("KE")
    listed = api.get(f"/api/v1/feedback?per_page=100&country={ke.id}", other).get_json()
    assert listed["total"] == 0 and listed["items"] == []
    everything = api.get("/api/v1/feedback?per_page=100", other).get_json()
    assert {item["country"] for item in everything["items"]} == {"MA"}
    for item in (world.draft, world.submitted, world.forwarded, world.answered):
        assert api.get(f"/api/v1/feedback/{item.id}", other).status_code == 404


def test_working_group_sees_forwarded_items_only_with_filters_and_pages(api, world):
    co_lead = world.users["co_lead"]
    for _ in range(3):
        factories.create_feedback(world.users["contributor"], world.round, state="forwarded")
    db.session.commit()
    page = api.get("/api/v1/feedback?per_page=2&sort=id", co_lead).get_json()
    assert page["total"] == 5 and len(page["items"]) == 2 and page["pages"] == 3
    assert {i["state"] for i in page["items"]} == {"forwarded"}
    assert api.get("/api/v1/feedback?page=9", co_lead).get_json()["items"] == []
    accepted = api.get("/api/v1/feedback?status=accepted", co_lead).get_json()
    assert [i["id"] for i in accepted["items"]] == [world.answered.id]
    assert accepted["items"][0]["response"]["published"] is True
    for bad in ("per_page=101", "page=0", "per_page=x", "sort=comment;drop", "status=nope", "round=99999999999"):
        response = api.get(f"/api/v1/feedback?{bad}", co_lead)
        assert response.status_code == 400, bad
        assert response.get_json()["status"] == 400


def test_write_needs_if_match_and_refuses_stale_versions(api, world):
    co_lead, item = world.users["co_lead"], world.forwarded
    url = f"/api/v1/feedback/{item.id}/status"
    missing = api.call("PUT", url, co_lead, json={"status": "in_review"})
    assert missing.status_code == 428
    stale = api.call("PUT", url, co_lead, json={"status": "in_review"}, if_match=item.lock_version + 5)
    assert stale.status_code == 412
    assert stale.get_json()["current_version"] == item.lock_version
    db.session.refresh(item)
    assert item.status == TriageStatus.new  # nothing overwritten
    loaded = item.lock_version
    done = api.call("PUT", url, co_lead, json={"status": "in_review"}, if_match=loaded)
    assert done.status_code == 200 and done.get_json()["status"] == "in_review"
    assert done.headers["ETag"] == f'"{done.get_json()["lock_version"]}"'
    again = api.call("PUT", url, co_lead, json={"status": "accepted"}, if_match=loaded)
    assert again.status_code == 412  # a second client still holding the old version
    assert again.get_json()["current_version"] == done.get_json()["lock_version"]


def test_illegal_status_move_is_409_json(api, world):
    response = api.call(
        "PUT",
        f"/api/v1/feedback/{world.forwarded.id}/status",
        world.users["co_lead"],
        json={"status": "accepted"},
        if_match=world.forwarded.lock_version,
    )
    assert response.status_code == 409 and response.get_json()["message"]


def test_response_is_drafted_then_published(api, world):
    co_lead, item = world.users["co_lead"], world.answered
    url = f"/api/v1/feedback/{item.id}/response"
    body = {"text": "Thank you, we changed step 1.", "language": "en", "publish": True}
    response = api.call("PUT", url, co_lead, json=body, if_match=item.lock_version)
    assert response.status_code == 200
    assert response.get_json()["response"]["text"] == body["text"]
    seen_by_country = api.get(f"/api/v1/feedback/{item.id}", world.users["contributor"]).get_json()
    assert seen_by_country["response"]["published"] is True


def test_contributor_creates_and_submits_feedback_once(api, world):
    author = world.users["contributor"]
    body = {
        "round_id": world.round.id,
        "version_id": world.forwarded.version_id,
        "section_id": world.forwarded.section_id,
        "type": "substantive",
        "comment": "Add an example.",
        "submit": True,
    }
    headers = {"Idempotency-Key": "retry-safe-key-1"}
    first = api.call("POST", "/api/v1/feedback", author, json=body, headers=headers)
    second = api.call("POST", "/api/v1/feedback", author, json=body, headers=headers)
    assert first.status_code == 201 and second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    assert first.get_json()["state"] == "submitted"
    assert db.session.scalar(select(func.count(Feedback.id)).where(Feedback.comment == "Add an example.")) == 1


def test_create_feedback_rejects_bad_bodies(api, world):
    author = world.users["contributor"]
    good = {"round_id": world.round.id, "version_id": world.forwarded.version_id, "type": "general", "comment": "x"}
    for bad in (
        {**good, "type": "rant"},
        {**good, "comment": ""},
        {**good, "round_id": "1"},
        {**good, "covid": 1},
        {**good, "usefulness_rating": 9},
        {k: v for k, v in good.items() if k != "comment"},
        ["not", "object"],
    ):
        response = api.call("POST", "/api/v1/feedback", author, json=bad)
        assert response.status_code == 400, bad
    assert db.session.scalar(select(func.count(Feedback.id))) == 4


def test_rate_limit_answers_429_json(app, api, world):
    raw = make_token(world.users["member"])
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [api.client.get("/api/v1/me", headers=_bearer(raw)).status_code for _ in range(4)]
    finally:
        app.config["API_RATE_LIMIT"] = "10000 per minute"
    assert codes == [200, 200, 200, 429]


def test_openapi_document_covers_every_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented
