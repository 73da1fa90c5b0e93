"""Every API endpoint × every role (with a personal token) × own and other country, on the shared World."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from reviewtracker.extensions import db
from tests import factories
from tests.world import ACTORS, EVERYONE, WORKING_GROUP, build_world

TRIAGERS = {"co_lead", "admin"}
COUNTRY_USERS = {"contributor", "contributor_other", "focal_point", "focal_point_other"}


@dataclass(frozen=True)
class ApiCase:
    """One endpoint: who gets through with their own token; everyone else gets 403 or 404 (anonymous 401)."""

    method: str
    url: object
    allowed: frozenset[str]
    body: object = None
    if_match: object = None
    note: str = ""
    ok: tuple[int, ...] = field(default=(200, 201))

    @property
    def id(self) -> str:
        return f"{self.method} {self.note}"


def c(method, url, allowed, body=None, if_match=None, note=""):
    return ApiCase(method, url, frozenset(allowed), body, if_match, note)


def _fresh_revision(w) -> dict:
    return {"revision_item_id": factories.create_revision_item("Another change").id}


def _new_feedback(w) -> dict:
    return {"round_id": w.round.id, "version_id": w.forwarded.version_id, "type": "editorial", "comment": "Typo in 2.1"}


CASES = [
    c("GET", lambda w: "/api/v1/me", EVERYONE, note="me"),
    c("GET", lambda w: "/api/v1/countries", EVERYONE, note="countries"),
    c("GET", lambda w: "/api/v1/documents", EVERYONE, note="documents"),
    c("GET", lambda w: f"/api/v1/documents/{w.forwarded.version.document_id}", EVERYONE, note="document"),
    c("GET", lambda w: f"/api/v1/versions/{w.forwarded.version_id}", EVERYONE, note="version"),
    c("GET", lambda w: "/api/v1/rounds", EVERYONE, note="rounds"),
    c("GET", lambda w: f"/api/v1/rounds/{w.round.id}", EVERYONE, note="round"),
    c(
        "GET",
        lambda w: f"/api/v1/rounds/{w.extra['ke_round'].id}",
        WORKING_GROUP | {"contributor", "focal_point"},
        note="round of country A only",
    ),
    c("GET", lambda w: "/api/v1/feedback", EVERYONE, note="feedback list"),
    c(
        "GET",
        lambda w: f"/api/v1/feedback/{w.forwarded.id}",
        WORKING_GROUP | {"contributor", "focal_point"},
        note="forwarded item",
    ),
    c("GET", lambda w: f"/api/v1/feedback/{w.submitted.id}", {"contributor", "focal_point"}, note="submitted item"),
    c("GET", lambda w: f"/api/v1/feedback/{w.draft.id}", {"contributor"}, note="draft item"),
    c("GET", lambda w: "/api/v1/revision-items", WORKING_GROUP, note="revision items"),
    c("GET", lambda w: f"/api/v1/revision-items/{w.revision.id}", WORKING_GROUP, note="revision item"),
    c("GET", lambda w: "/api/v1/exports", WORKING_GROUP | {"focal_point", "focal_point_other"}, note="exports"),
    c("POST", lambda w: "/api/v1/feedback", COUNTRY_USERS, body=_new_feedback, note="create feedback"),
    c(
        "POST",
        lambda w: f"/api/v1/feedback/{w.draft.id}/submit",
        {"contributor"},
        if_match=lambda w: w.draft,
        note="submit draft",
    ),
    c(
        "PUT",
        lambda w: f"/api/v1/feedback/{w.forwarded.id}/status",
        TRIAGERS,
        body=lambda w: {"status": "in_review"},
        if_match=lambda w: w.forwarded,
        note="status",
    ),
    c(
        "PUT",
        lambda w: f"/api/v1/feedback/{w.forwarded.id}/assignment",
        TRIAGERS,
        body=lambda w: {"assignee_id": w.users["co_lead"].id, "lead_agency": "IOM"},
        if_match=lambda w: w.forwarded,
        note="assignment",
    ),
    c(
        "PUT",
        lambda w: f"/api/v1/feedback/{w.forwarded.id}/tags",
        TRIAGERS,
        body=lambda w: {"tags": ["data"], "principle_ids": [], "objective_ids": []},
        if_match=lambda w: w.forwarded,
        note="tags",
    ),
    c(
        "PUT",
        lambda w: f"/api/v1/feedback/{w.answered.id}/response",
        TRIAGERS,
        body=lambda w: {"text": "We agree.", "language": "en", "publish": False},
        if_match=lambda w: w.answered,
        note="response",
    ),
    c(
        "POST",
        lambda w: f"/api/v1/feedback/{w.forwarded.id}/revision-links",
        TRIAGERS,
        body=_fresh_revision,
        if_match=lambda w: w.forwarded,
        note="revision link",
    ),
]


def _world():
    world = build_world()
    world.extra["ke_round"] = factories.create_round(("KE",), name="KE only")
    db.session.commit()
    return world


def _send(api, case: ApiCase, world, actor: str):
    user = world.users[actor]
    body = case.body(world) if case.body else None
    version = case.if_match(world).lock_version if case.if_match else None
    return api.call(case.method, case.url(world), user, json=body, if_match=version)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_api_access(app, api, case: ApiCase):
    """Allowed roles get a 2xx JSON answer; others 403/404 (another country's item: 404); no token: 401."""
    from tests.conftest import reset_database

    world = _world()
    for actor in ACTORS:
        if actor in case.allowed:
            continue
        response = _send(api, case, world, actor)
        expected = (401,) if actor == "anonymous" else (403, 404)
        assert response.status_code in expected, f"{actor}: {response.status_code} {response.get_json()}"
        assert response.is_json and set(response.get_json()) >= {"error", "message", "status"}
        if actor.endswith("_other") and "/feedback/" in case.url(world):
            assert response.status_code == 404, "another country's item must not even exist"
    for actor in sorted(case.allowed):
        if case.method != "GET":
            db.session.rollback()
            reset_database()
            world = _world()
        response = _send(api, case, world, actor)
        assert response.status_code in case.ok, f"{actor}: {response.status_code} {response.get_json()}"
        assert response.is_json
