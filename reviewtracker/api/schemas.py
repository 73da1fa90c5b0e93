"""JSON shapes of the API: one function per resource turns a model into a dict, next to its JSON Schema.

Keeping each serializer beside its schema keeps the OpenAPI document (openapi.py) and the responses in step;
schemathesis checks them against each other in the test suite.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from reviewtracker.models import (
    Country,
    DocumentVersion,
    Export,
    Feedback,
    FeedbackLanguage,
    FeedbackState,
    FeedbackType,
    GuidanceDocument,
    Priority,
    ReviewRound,
    RevisionItem,
    RevisionStatus,
    Role,
    Section,
    TriageStatus,
    User,
    VersionStatus,
)
from reviewtracker.permissions import triage_outcome


def _iso(value: date | datetime | None) -> str | None:
    """ISO 8601; times always carry their zone (SQLite hands back naive UTC values, PostgreSQL aware ones)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat() if value is not None else None


def _titles(obj: Any) -> dict[str, str | None]:
    return {"en": obj.title_en, "fr": obj.title_fr, "es": obj.title_es}


# --- JSON Schema building blocks -----------------------------------------------------------------

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NSTR = {"type": ["string", "null"]}
NINT = {"type": ["integer", "null"]}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
DATE = {"type": "string", "format": "date"}
TITLES = {
    "type": "object",
    "required": ["en", "fr", "es"],
    "properties": {"en": STR, "fr": NSTR, "es": NSTR},
}


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def enum_of(enum_cls, nullable: bool = False) -> dict:
    """A string schema limited to an enum's values."""
    values: list[Any] = [member.value for member in enum_cls]
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None]}
    return {"type": "string", "enum": values}


def obj(properties: dict, required: list[str] | None = None) -> dict:
    """An object schema; every listed property is required unless told otherwise."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def page_of(item: str) -> dict:
    """A paginated list of one component."""
    return obj(
        {"items": {"type": "array", "items": ref(item)}, "page": INT, "per_page": INT, "pages": INT, "total": INT}
    )


def list_of(item: str) -> dict:
    """A non-paginated list of one component."""
    return obj({"items": {"type": "array", "items": ref(item)}})


# --- Serializers with their schemas -----------------------------------------------------------------


def user_json(user: User) -> dict:
    """The token's owner (GET /me)."""
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "country": user.country.code if user.country else None,
        "lead_agency": user.lead_agency.code if user.lead_agency else None,
    }


USER = obj(
    {"id": INT, "name": STR, "email": STR, "role": enum_of(Role), "country": NSTR, "lead_agency": NSTR},
)


def country_json(country: Country) -> dict:
    """A country."""
    return {"id": country.id, "code": country.code, "name": _titles(country), "active": country.active}


COUNTRY = obj({"id": INT, "code": STR, "name": TITLES, "active": BOOL})


def version_json(version: DocumentVersion) -> dict:
    """A document version without its sections."""
    return {
        "id": version.id,
        "document_id": version.document_id,
        "document_code": version.document.code,
        "number": version.number,
        "label": version.label,
        "status": version.status.value,
        "predecessor_id": version.predecessor_id,
        "created_at": _iso(version.created_at),
    }


VERSION = obj(
    {
        "id": INT,
        "document_id": INT,
        "document_code": STR,
        "number": INT,
        "label": STR,
        "status": enum_of(VersionStatus),
        "predecessor_id": NINT,
        "created_at": DATETIME,
    }
)


def document_json(document: GuidanceDocument) -> dict:
    """A guidance document with the list of its versions."""
    return {
        "id": document.id,
        "code": document.code,
        "title": _titles(document),
        "versions": [version_json(v) for v in document.versions],
    }


DOCUMENT = obj({"id": INT, "code": STR, "title": TITLES, "versions": {"type": "array", "items": ref("Version")}})


def section_tree(version: DocumentVersion) -> list[dict]:
    """The version's sections as a nested tree, in document order."""
    by_parent: dict[int | None, list[Section]] = {}
    for section in version.sections:
        by_parent.setdefault(section.parent_id, []).append(section)

    def node(section: Section) -> dict:
        children = sorted(by_parent.get(section.id, []), key=lambda s: (s.position, s.code))
        return {
            "id": section.id,
            "code": section.code,
            "title": _titles(section),
            "predecessor_id": section.predecessor_id,
            "children": [node(c) for c in children],
        }

    return [node(s) for s in sorted(by_parent.get(None, []), key=lambda s: (s.position, s.code))]


SECTION = obj(
    {
        "id": INT,
        "code": STR,
        "title": TITLES,
        "predecessor_id": NINT,
        "children": {"type": "array", "items": ref("Section")},
    }
)
VERSION_DETAIL = {"allOf": [ref("Version"), obj({"sections": {"type": "array", "items": ref("Section")}})]}


def round_json(review_round: ReviewRound) -> dict:
    """A review round with its versions, participating countries and guiding questions."""
    return {
        "id": review_round.id,
        "name": review_round.name,
        "description": review_round.description,
        "opens_on": _iso(review_round.opens_on),
        "closes_on": _iso(review_round.closes_on),
        "allow_direct_submission": review_round.allow_direct_submission,
        "version_ids": sorted(v.id for v in review_round.versions),
        "countries": [
            {"code": p.country.code, "extended_until": _iso(p.extended_until)}
            for p in sorted(review_round.participants, key=lambda p: p.country.code)
        ],
        "questions": [
            {"id": q.id, "position": q.position, "text": {"en": q.text_en, "fr": q.text_fr, "es": q.text_es}}
            for q in review_round.questions
        ],
    }


ROUND = obj(
    {
        "id": INT,
        "name": STR,
        "description": NSTR,
        "opens_on": DATE,
        "closes_on": DATE,
        "allow_direct_submission": BOOL,
        "version_ids": {"type": "array", "items": INT},
        "countries": {
            "type": "array",
            "items": obj({"code": STR, "extended_until": {"type": ["string", "null"], "format": "date"}}),
        },
        "questions": {"type": "array", "items": obj({"id": INT, "position": INT, "text": TITLES})},
    }
)


def response_json(feedback: Feedback, visible: bool) -> dict | None:
    """The response to an item when its viewer may see the triage (permissions.can_see_triage_outcome): the
    working group sees drafts, a country only the response to a published decision."""
    response = getattr(feedback, "response", None)
    if response is None or not visible:
        return None
    return {
        "text": response.text,
        "language": response.language.value,
        "published": response.published,
        "published_at": _iso(response.published_at),
        "acknowledgement": response.acknowledgement.value if response.acknowledgement else None,
    }


RESPONSE = {
    "type": ["object", "null"],
    "required": ["text", "language", "published", "published_at", "acknowledgement"],
    "properties": {
        "text": STR,
        "language": enum_of(FeedbackLanguage),
        "published": BOOL,
        "published_at": DATETIME,
        "acknowledgement": {"type": ["string", "null"]},
    },
}


def feedback_json(feedback: Feedback, viewer: User) -> dict:
    """One feedback item as its viewer may see it (private triage notes are never part of the API)."""
    working_group = viewer.role.is_working_group
    outcome = triage_outcome(viewer, feedback)  # the decision, response and revision items, once published
    return {
        "id": feedback.id,
        "display_id": feedback.display_id,
        "round_id": feedback.round_id,
        "version_id": feedback.version_id,
        "section_id": feedback.section_id,
        "section_code": feedback.section.code if feedback.section else None,
        "reference": feedback.reference,
        "type": feedback.type.value,
        "priority": feedback.priority.value,
        "comment": feedback.comment,
        "proposed_change": feedback.proposed_change,
        "language": feedback.language.value,
        "covid": feedback.covid,
        "usefulness_rating": feedback.usefulness_rating,
        "clarity_rating": feedback.clarity_rating,
        "country": feedback.country.code,
        "organisation": feedback.organisation.name if feedback.organisation else None,
        "state": feedback.state.value,
        "submitted_at": _iso(feedback.submitted_at),
        "forwarded_at": _iso(feedback.forwarded_at),
        "status": outcome.status.value if outcome.status else None,
        "assignee_id": feedback.assignee_id if working_group else None,
        "lead_agency": feedback.lead_agency.code if feedback.lead_agency else None,
        "duplicate_of_id": feedback.duplicate_of_id if outcome.visible else None,  # it says "duplicate"
        "tags": [t.name for t in feedback.tags] if working_group else [],
        # The submitter's choice; the working group's own tags are separate and, like free tags, its business.
        "principle_ids": [p.id for p in feedback.principles],
        "objective_ids": [o.id for o in feedback.objectives],
        "working_group_principle_ids": [p.id for p in feedback.triage_principles] if working_group else [],
        "working_group_objective_ids": [o.id for o in feedback.triage_objectives] if working_group else [],
        "revision_item_ids": sorted(item.id for item in outcome.revision_items),
        "response": response_json(feedback, outcome.visible),
        "lock_version": feedback.lock_version,
    }


def _ids(description: str) -> dict:
    return {"type": "array", "items": INT, "description": description}


FEEDBACK = obj(
    {
        "id": INT,
        "display_id": STR,
        "round_id": INT,
        "version_id": INT,
        "section_id": NINT,
        "section_code": NSTR,
        "reference": NSTR,
        "type": enum_of(FeedbackType),
        "priority": enum_of(Priority),
        "comment": STR,
        "proposed_change": NSTR,
        "language": enum_of(FeedbackLanguage),
        "covid": BOOL,
        "usefulness_rating": NINT,
        "clarity_rating": NINT,
        "country": STR,
        "organisation": NSTR,
        "state": enum_of(FeedbackState),
        "submitted_at": DATETIME,
        "forwarded_at": DATETIME,
        "status": enum_of(TriageStatus, nullable=True),
        "assignee_id": NINT,
        "lead_agency": NSTR,
        "duplicate_of_id": NINT,
        "tags": {"type": "array", "items": STR},
        "principle_ids": _ids("Guiding principles chosen by the submitter"),
        "objective_ids": _ids("Objectives chosen by the submitter"),
        "working_group_principle_ids": _ids("Guiding principles added by the working group (empty for countries)"),
        "working_group_objective_ids": _ids("Objectives added by the working group (empty for countries)"),
        "revision_item_ids": {"type": "array", "items": INT},
        "response": RESPONSE,
        "lock_version": INT,
    }
)


def revision_item_json(item: RevisionItem) -> dict:
    """A revision item with its target sections and linked feedback."""
    return {
        "id": item.id,
        "code": item.code,
        "title": item.title,
        "description": item.description,
        "status": item.status.value,
        "owner_agency": item.owner_agency.code if item.owner_agency else None,
        "applied_version_id": item.applied_version_id,
        "section_codes": [s.code for s in item.sections],
        "feedback_ids": sorted(link.feedback_id for link in item.links),
        "lock_version": item.lock_version,
    }


REVISION_ITEM = obj(
    {
        "id": INT,
        "code": STR,
        "title": STR,
        "description": NSTR,
        "status": enum_of(RevisionStatus),
        "owner_agency": NSTR,
        "applied_version_id": NINT,
        "section_codes": {"type": "array", "items": STR},
        "feedback_ids": {"type": "array", "items": INT},
        "lock_version": INT,
    }
)


def export_json(export: Export) -> dict:
    """An export's metadata (the file itself is downloaded from the exports page)."""
    return {
        "id": export.id,
        "kind": export.kind.value,
        "round_id": export.round_id,
        "country": export.country.code if export.country else None,
        "filename": export.filename,
        "rows": export.rows,
        "size_bytes": export.size_bytes,
        "sha256": export.sha256,
        "created_at": _iso(export.created_at),
    }


EXPORT = obj(
    {
        "id": INT,
        "kind": STR,
        "round_id": NINT,
        "country": NSTR,
        "filename": STR,
        "rows": INT,
        "size_bytes": INT,
        "sha256": STR,
        "created_at": DATETIME,
    }
)

ERROR = obj(
    {"error": STR, "message": STR, "status": INT, "current_version": INT, "incident": STR},
    required=["error", "message", "status"],
)

COMPONENTS = {
    "User": USER,
    "Country": COUNTRY,
    "Version": VERSION,
    "VersionDetail": VERSION_DETAIL,
    "Section": SECTION,
    "Document": DOCUMENT,
    "Round": ROUND,
    "Feedback": FEEDBACK,
    "FeedbackPage": page_of("Feedback"),
    "RevisionItem": REVISION_ITEM,
    "Export": EXPORT,
    "Error": ERROR,
}
