"""Response schemas of the API (marshmallow): they shape every answer and generate the OpenAPI components."""

from __future__ import annotations

from datetime import UTC, datetime

from apiflask import Schema
from apiflask.fields import Boolean, Date, DateTime, Enum, Integer, List, Nested, String
from apiflask.validators import OneOf

from reviewtracker.api.security import current_user
from reviewtracker.models import (
    FeedbackLanguage,
    FeedbackState,
    FeedbackType,
    Priority,
    RevisionStatus,
    Role,
    Section,
    TriageStatus,
    VersionStatus,
)
from reviewtracker.permissions import triage_outcome


class UtcDateTime(DateTime):
    """ISO 8601 with its zone (SQLite hands back naive UTC values, PostgreSQL aware ones)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat() if value is not None else None


def computed(field, getter):
    """A field whose value `getter(obj)` computes: the field's own type still describes it in the document."""
    field.get_value = lambda obj, attr, accessor=None, default=None: getter(obj)
    return field


def _code(attribute: str) -> String:
    """The code of a related row (country, lead agency), or null."""
    return computed(String(allow_none=True), lambda obj: getattr(getattr(obj, attribute), "code", None))


def _str(**kwargs) -> String:
    return String(allow_none=True, **kwargs)


class TitlesSchema(Schema):
    """A text in the three languages (English always present)."""

    en = String(required=True)
    fr = _str(required=True)
    es = _str(required=True)


def _titles(prefix: str = "title") -> Nested:
    return computed(
        Nested(TitlesSchema, required=True),
        lambda obj: {lang: getattr(obj, f"{prefix}_{lang}") for lang in ("en", "fr", "es")},
    )


class UserSchema(Schema):
    """The token's owner (GET /me)."""

    id = Integer(required=True)
    name = String(required=True)
    email = String(required=True)
    role = Enum(Role, by_value=True, required=True)
    country = _code("country")
    lead_agency = _code("lead_agency")


class CountrySchema(Schema):
    """A country."""

    id = Integer(required=True)
    code = String(required=True)
    name = _titles()
    active = Boolean(required=True)


class CountryListSchema(Schema):
    """Every country."""

    items = List(Nested(CountrySchema), required=True)


class VersionSchema(Schema):
    """A document version without its sections."""

    id = Integer(required=True)
    document_id = Integer(required=True)
    document_code = computed(String(), lambda obj: obj.document.code)
    number = Integer(required=True)
    label = String(required=True)
    status = Enum(VersionStatus, by_value=True, required=True)
    predecessor_id = Integer(allow_none=True)
    created_at = UtcDateTime(allow_none=True)


class SectionSchema(Schema):
    """A section with its sub-sections, in document order."""

    id = Integer(required=True)
    code = String(required=True)
    title = _titles()
    predecessor_id = Integer(allow_none=True)
    children = computed(List(Nested(lambda: SectionSchema())), lambda obj: _by_position(obj.children))


def _by_position(sections) -> list[Section]:
    return sorted(sections, key=lambda s: (s.position, s.code))


class VersionDetailSchema(VersionSchema):
    """One version with its section tree."""

    sections = computed(
        List(Nested(SectionSchema)), lambda obj: _by_position(s for s in obj.sections if s.parent_id is None)
    )


class DocumentSchema(Schema):
    """A guidance document with the list of its versions."""

    id = Integer(required=True)
    code = String(required=True)
    title = _titles()
    versions = List(Nested(VersionSchema), required=True)


class DocumentListSchema(Schema):
    """The guidance documents."""

    items = List(Nested(DocumentSchema), required=True)


class RoundCountrySchema(Schema):
    """A participating country and its extension."""

    code = computed(String(), lambda obj: obj.country.code)
    extended_until = Date(allow_none=True)


class QuestionSchema(Schema):
    """A guiding question."""

    id = Integer(required=True)
    position = Integer(required=True)
    text = _titles("text")


class RoundSchema(Schema):
    """A review round with its versions, participating countries and guiding questions."""

    id = Integer(required=True)
    name = String(required=True)
    description = _str()
    opens_on = Date(required=True)
    closes_on = Date(required=True)
    allow_direct_submission = Boolean(required=True)
    version_ids = computed(List(Integer()), lambda obj: sorted(v.id for v in obj.versions))
    countries = computed(
        List(Nested(RoundCountrySchema)), lambda obj: sorted(obj.participants, key=lambda p: p.country.code)
    )
    questions = List(Nested(QuestionSchema), required=True)


class RoundListSchema(Schema):
    """Rounds."""

    items = List(Nested(RoundSchema), required=True)


class ResponseSchema(Schema):
    """The response to an item, when its viewer may see the triage (permissions.triage_outcome)."""

    text = String(required=True)
    language = Enum(FeedbackLanguage, by_value=True, required=True)
    published = Boolean(required=True)
    published_at = UtcDateTime(allow_none=True)
    acknowledgement = computed(_str(), lambda obj: obj.acknowledgement.value if obj.acknowledgement else None)


def _value(enum_member):
    return enum_member.value if enum_member is not None else None


def _group() -> bool:
    """The viewer (the token's user) is of the working group: assignee and tags are its business."""
    return current_user.role.is_working_group


def _visible_response(obj):
    """The response when the viewer may see the triage: drafts for the working group, a country only the
    response to a published decision (permissions.triage_outcome)."""
    response = getattr(obj, "response", None)
    return response if response is not None and triage_outcome(current_user, obj).visible else None


class FeedbackSchema(Schema):
    """One feedback item as its viewer may see it (private triage notes are never part of the API)."""

    id = Integer(required=True)
    display_id = String(required=True)
    round_id = Integer(required=True)
    version_id = Integer(required=True)
    section_id = Integer(allow_none=True)
    section_code = _code("section")
    reference = _str()
    type = Enum(FeedbackType, by_value=True, required=True)
    priority = Enum(Priority, by_value=True, required=True)
    comment = String(required=True)
    proposed_change = _str()
    language = Enum(FeedbackLanguage, by_value=True, required=True)
    covid = Boolean(required=True)
    usefulness_rating = Integer(allow_none=True)
    clarity_rating = Integer(allow_none=True)
    country = computed(String(), lambda obj: obj.country.code)
    organisation = computed(_str(), lambda obj: obj.organisation.name if obj.organisation else None)
    state = Enum(FeedbackState, by_value=True, required=True)
    submitted_at = UtcDateTime(allow_none=True)
    forwarded_at = UtcDateTime(allow_none=True)
    status = computed(
        String(allow_none=True, validate=OneOf([*[s.value for s in TriageStatus], None])),
        lambda obj: _value(triage_outcome(current_user, obj).status),
    )
    assignee_id = computed(Integer(allow_none=True), lambda obj: obj.assignee_id if _group() else None)
    lead_agency = _code("lead_agency")
    # "duplicate" is part of the decision: shown only with it.
    duplicate_of_id = computed(
        Integer(allow_none=True), lambda obj: obj.duplicate_of_id if triage_outcome(current_user, obj).visible else None
    )
    tags = computed(List(String()), lambda obj: [t.name for t in obj.tags] if _group() else [])
    # The submitter's choice; the working group's own tags are separate and, like free tags, its business.
    principle_ids = computed(
        List(Integer(), metadata={"description": "Guiding principles chosen by the submitter"}),
        lambda obj: [p.id for p in obj.principles],
    )
    objective_ids = computed(
        List(Integer(), metadata={"description": "Objectives chosen by the submitter"}),
        lambda obj: [o.id for o in obj.objectives],
    )
    working_group_principle_ids = computed(
        List(Integer(), metadata={"description": "Guiding principles added by the working group (none for countries)"}),
        lambda obj: [p.id for p in obj.triage_principles] if _group() else [],
    )
    working_group_objective_ids = computed(
        List(Integer(), metadata={"description": "Objectives added by the working group (empty for countries)"}),
        lambda obj: [o.id for o in obj.triage_objectives] if _group() else [],
    )
    revision_item_ids = computed(
        List(Integer()), lambda obj: sorted(item.id for item in triage_outcome(current_user, obj).revision_items)
    )
    response = computed(Nested(ResponseSchema, allow_none=True), _visible_response)
    lock_version = Integer(required=True)


class PageSchema(Schema):
    """The paging fields of a list."""

    page = Integer(required=True)
    per_page = Integer(required=True)
    pages = Integer(required=True)
    total = Integer(required=True)


def page_of(name: str, item: type[Schema], doc: str) -> type[Schema]:
    """A page of `item`s: the paging fields and `items` (named, so that the OpenAPI component keeps its name)."""
    return type(name, (PageSchema,), {"__doc__": doc, "items": List(Nested(item), required=True)})


FeedbackPageSchema = page_of("FeedbackPageSchema", FeedbackSchema, "One page of feedback.")


class RevisionItemSchema(Schema):
    """A revision item with its target sections and linked feedback."""

    id = Integer(required=True)
    code = String(required=True)
    title = String(required=True)
    description = _str()
    status = Enum(RevisionStatus, by_value=True, required=True)
    owner_agency = _code("owner_agency")
    applied_version_id = Integer(allow_none=True)
    section_codes = computed(List(String()), lambda obj: [s.code for s in obj.sections])
    feedback_ids = computed(List(Integer()), lambda obj: sorted(link.feedback_id for link in obj.links))
    lock_version = Integer(required=True)


RevisionItemPageSchema = page_of("RevisionItemPageSchema", RevisionItemSchema, "One page of revision items.")


class ExportSchema(Schema):
    """An export's metadata (the file itself is downloaded from the exports page)."""

    id = Integer(required=True)
    kind = computed(String(), lambda obj: obj.kind.value)
    round_id = Integer(allow_none=True)
    country = _code("country")
    filename = String(required=True)
    rows = Integer(required=True)
    size_bytes = Integer(required=True)
    sha256 = String(required=True)
    created_at = UtcDateTime(allow_none=True)


ExportPageSchema = page_of("ExportPageSchema", ExportSchema, "One page of exports.")


class ErrorSchema(Schema):
    """Every error answer (errors.error_response); 412 adds the current version, 500 an incident id."""

    error = String(required=True)
    message = String(required=True)
    status = Integer(required=True)
    current_version = Integer()
    incident = String()
