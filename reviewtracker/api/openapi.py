"""The OpenAPI 3.1 description of the API, built in code from the same schemas the serializers follow."""

from __future__ import annotations

from flask import jsonify, url_for

from reviewtracker.api import schemas as s
from reviewtracker.api.errors import MAX_ID
from reviewtracker.api.views import bp
from reviewtracker.models import FeedbackLanguage, FeedbackType, Priority, TriageStatus
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_REFERENCE_CHARS
from reviewtracker.triage.filters import SORT_KEYS, VIEWS

ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
ERROR_TEXT = {
    400: "The request is malformed or breaks a rule (the message says which)",
    401: "No valid token",
    403: "The token's user may not do this",
    404: "Not found, or not shared with the token's user",
    409: "The change is not allowed in the item's current state, or someone changed it meanwhile",
    412: "The If-Match version is stale: the body gives the current version",
    428: "The If-Match header is missing",
    429: "Too many requests for this token",
}


def _error(code: int) -> dict:
    return {"description": ERROR_TEXT[code], "content": {"application/json": {"schema": s.ref("Error")}}}


def _ok(schema: dict, description: str, code: int = 200, etag: bool = False) -> dict:
    response: dict = {"description": description, "content": {"application/json": {"schema": schema}}}
    if etag:
        response["headers"] = {
            "ETag": {"description": "The item's version, for If-Match", "schema": {"type": "string"}}
        }
    return {str(code): response}


def _op(summary: str, ok: dict, errors: tuple[int, ...] = (), *, params=(), body: dict | None = None) -> dict:
    """One operation: every one may answer 400, 401 and 429 besides its own errors."""
    responses = dict(ok)
    for code in sorted({400, 401, 429, *errors}):
        responses[str(code)] = _error(code)
    operation: dict = {"summary": summary, "responses": responses, "security": [{"bearer": []}]}
    if params:
        operation["parameters"] = list(params)
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The item's version (its ETag, also `lock_version`)",
    "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string up to 64 characters: a retried request returns the item already created",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
}
PAGING = (
    _query("page", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}),
)
_SORTS = sorted(SORT_KEYS) + ["-" + key for key in sorted(SORT_KEYS)]
FEEDBACK_FILTERS = (
    _query("round", ID, "Review round id"),
    _query("document", ID, "Document id"),
    _query("section", ID, "Section id (its sub-sections included)"),
    _query("country", ID, "Country id"),
    _query("stakeholder_type", ID, "Stakeholder type id of the organisation"),
    _query("type", s.enum_of(FeedbackType)),
    _query("priority", s.enum_of(Priority)),
    {
        **_query("status", {"type": "array", "items": s.enum_of(TriageStatus)}, "Triage status (repeatable)"),
        "style": "form",
        "explode": True,
    },
    _query("assignee", {"type": "string", "pattern": "^(me|none|[1-9][0-9]{0,8})$"}, "A user id, 'me' or 'none'"),
    _query("lead_agency", ID, "Lead agency id"),
    _query("tag", {"type": "string", "maxLength": 60}, "A free tag"),
    _query("revision_item", ID, "Linked to this revision item"),
    _query("covid", {"type": "string", "enum": ["1", "0", "any"]}, "COVID-19 related"),
    _query("language", s.enum_of(FeedbackLanguage)),
    _query("q", {"type": "string", "maxLength": 200}, "Words in the comment or the proposed change"),
    _query("view", {"type": "string", "enum": list(VIEWS)}, "mine, unassigned or awaiting a response"),
    _query("sort", {"type": "string", "enum": _SORTS, "default": "-received"}, "Sort key; '-' for descending"),
    *PAGING,
)

NEW_FEEDBACK = {
    "type": "object",
    "required": ["round_id", "version_id", "type", "comment"],
    "properties": {
        "round_id": ID,
        "version_id": ID,
        "section_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
        "type": s.enum_of(FeedbackType),
        "comment": {"type": "string", "minLength": 1, "maxLength": MAX_COMMENT_CHARS},
        "priority": s.enum_of(Priority),
        "reference": {"type": ["string", "null"], "maxLength": MAX_REFERENCE_CHARS},
        "proposed_change": {"type": ["string", "null"], "maxLength": MAX_COMMENT_CHARS},
        "language": s.enum_of(FeedbackLanguage),
        "covid": {"type": "boolean"},
        "principle_ids": {"type": "array", "items": ID, "maxItems": 10},
        "objective_ids": {"type": "array", "items": ID, "maxItems": 23},
        "usefulness_rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        "clarity_rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        "submit": {"type": "boolean", "description": "Submit at once instead of keeping a draft"},
    },
}
STATUS_CHANGE = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": s.enum_of(TriageStatus),
        "duplicate_of_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
    },
}
ASSIGNMENT = {
    "type": "object",
    "properties": {
        "assignee_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
        "lead_agency": {"type": ["string", "null"], "maxLength": 20, "description": "IOM, OHCHR, UNDP"},
    },
}
TAGS = {
    "type": "object",
    "description": "The working group's tags; the submitter's principle_ids and objective_ids are not changed here",
    "properties": {
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 20},
        "working_group_principle_ids": {"type": "array", "items": ID, "maxItems": 10},
        "working_group_objective_ids": {"type": "array", "items": ID, "maxItems": 23},
    },
}
RESPONSE_BODY = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": MAX_COMMENT_CHARS},
        "language": s.enum_of(FeedbackLanguage),
        "publish": {"type": "boolean"},
    },
}
LINK = {"type": "object", "required": ["revision_item_id"], "properties": {"revision_item_id": ID}}

ITEM = s.ref("Feedback")
WRITE_ERRORS = (403, 404, 409, 412, 428)


def build_document(server_url: str = "/api/v1") -> dict:
    """The whole OpenAPI document."""
    fid = _path_id("feedback_id")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ReviewTracker API",
            "version": "1.0.0",
            "description": "Feedback on the draft GCM implementation guidance. Authenticate with a personal API "
            "token from your profile page: `Authorization: Bearer <token>`. Writes send the item's version "
            "(its ETag) in `If-Match`.",
        },
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": s.COMPONENTS,
        },
        "paths": {
            "/me": {"get": _op("The token's user", _ok(s.ref("User"), "The user"))},
            "/countries": {"get": _op("Countries", _ok(s.list_of("Country"), "Every country"))},
            "/documents": {"get": _op("Guidance documents", _ok(s.list_of("Document"), "Documents and versions"))},
            "/documents/{document_id}": {
                "get": _op(
                    "One document", _ok(s.ref("Document"), "The document"), (404,), params=[_path_id("document_id")]
                )
            },
            "/versions/{version_id}": {
                "get": _op(
                    "One version with its section tree",
                    _ok(s.ref("VersionDetail"), "The version"),
                    (404,),
                    params=[_path_id("version_id")],
                )
            },
            "/rounds": {"get": _op("Review rounds the user takes part in", _ok(s.list_of("Round"), "Rounds"))},
            "/rounds/{round_id}": {
                "get": _op("One round", _ok(s.ref("Round"), "The round"), (404,), params=[_path_id("round_id")])
            },
            "/feedback": {
                "get": _op(
                    "Feedback the user may see, filtered like the triage queue",
                    _ok(s.ref("FeedbackPage"), "One page of feedback"),
                    params=FEEDBACK_FILTERS,
                ),
                "post": _op(
                    "Create feedback (country users)",
                    _ok(ITEM, "The new item", 201, etag=True),
                    (403, 409),
                    params=[IDEMPOTENCY_KEY],
                    body=NEW_FEEDBACK,
                ),
            },
            "/feedback/{feedback_id}": {
                "get": _op("One feedback item", _ok(ITEM, "The item", etag=True), (404,), params=[fid])
            },
            "/feedback/{feedback_id}/submit": {
                "post": _op(
                    "Submit a draft (its author)",
                    _ok(ITEM, "The item", etag=True),
                    WRITE_ERRORS,
                    params=[fid, IF_MATCH],
                )
            },
            "/feedback/{feedback_id}/status": {
                "put": _op(
                    "Change the triage status (co-leads)",
                    _ok(ITEM, "The item", etag=True),
                    WRITE_ERRORS,
                    params=[fid, IF_MATCH],
                    body=STATUS_CHANGE,
                )
            },
            "/feedback/{feedback_id}/assignment": {
                "put": _op(
                    "Assign to a co-lead and a lead agency (co-leads)",
                    _ok(ITEM, "The item", etag=True),
                    WRITE_ERRORS,
                    params=[fid, IF_MATCH],
                    body=ASSIGNMENT,
                )
            },
            "/feedback/{feedback_id}/tags": {
                "put": _op(
                    "Replace the working group's tags, guiding principles and objectives (co-leads)",
                    _ok(ITEM, "The item", etag=True),
                    WRITE_ERRORS,
                    params=[fid, IF_MATCH],
                    body=TAGS,
                )
            },
            "/feedback/{feedback_id}/response": {
                "put": _op(
                    "Draft, revise or publish the response (co-leads)",
                    _ok(ITEM, "The item", etag=True),
                    WRITE_ERRORS,
                    params=[fid, IF_MATCH],
                    body=RESPONSE_BODY,
                )
            },
            "/feedback/{feedback_id}/revision-links": {
                "post": _op(
                    "Link to a revision item (co-leads)",
                    _ok(ITEM, "The item", 201, etag=True),
                    WRITE_ERRORS,
                    params=[fid, IF_MATCH],
                    body=LINK,
                )
            },
            "/revision-items": {
                "get": _op(
                    "Revision items (working group)",
                    _ok(s.page_of("RevisionItem"), "One page of revision items"),
                    (403,),
                    params=PAGING,
                )
            },
            "/revision-items/{item_id}": {
                "get": _op(
                    "One revision item (working group)",
                    _ok(s.ref("RevisionItem"), "The revision item"),
                    (403, 404),
                    params=[_path_id("item_id")],
                )
            },
            "/exports": {
                "get": _op(
                    "Stored exports the user may download (metadata)",
                    _ok(s.page_of("Export"), "One page of exports"),
                    (403,),
                    params=PAGING,
                )
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document (public: it holds no data, and tools read it before they have a token)."""
    return jsonify(build_document(url_for("api.openapi").rsplit("/", 1)[0]))
