"""Request schemas of the API (marshmallow): they validate bodies and document bodies, headers and queries.

A body is loaded by its schema inside the view, after the item is found and the If-Match checked, so that a
missing item is still 404 and a stale one 412 whatever the body says. Each field names its kind of error;
`load_body` turns the first one into the message the API has always given ("The field 'x' is required.").
"""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Boolean, Integer, List, String
from apiflask.validators import Length, OneOf, Range
from flask import request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError, missing, post_load

from reviewtracker.api.errors import bad_request
from reviewtracker.models import FeedbackLanguage, FeedbackType, Priority, TriageStatus
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_REFERENCE_CHARS
from reviewtracker.parsing import MAX_ID
from reviewtracker.triage.filters import SORT_KEYS, VIEWS

_KINDS = {"required": "required", "null": "type", "invalid": "type", "type": "type"}


def _messages(kind: str | None = None) -> dict[str, str]:
    return {key: kind or value for key, value in _KINDS.items()}


class StrictInteger(Integer):
    """A JSON integer: not a boolean, a float or a string of digits."""

    def _validated(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._validated(value)


class StrictBoolean(Boolean):
    """A JSON true or false (1 and "yes" are not booleans here)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _int(required: bool = False, **metadata) -> StrictInteger:
    # Any integer the database can compare is accepted; the services answer unknown ids.
    return StrictInteger(
        required=required,
        allow_none=not required,
        strict=True,
        validate=Range(-MAX_ID, MAX_ID, error="range"),
        error_messages=_messages(),
        metadata=metadata,
    )


def _id(required: bool = False) -> StrictInteger:
    return _int(required, minimum=1, maximum=MAX_ID)


def _text(required: bool = False, **metadata) -> String:
    return String(required=required, allow_none=not required, error_messages=_messages(), metadata=metadata)


def _bool(**metadata) -> Boolean:
    return StrictBoolean(allow_none=True, load_default=False, error_messages=_messages(), metadata=metadata)


def _enum(enum_class, required: bool = False, default=missing) -> String:
    return String(
        required=required,
        allow_none=not required,
        load_default=default,
        validate=OneOf([member.value for member in enum_class], error="enum"),
        error_messages=_messages(),
    )


def _ids(max_items: int, *, default: bool = True) -> List:
    item = StrictInteger(strict=True, validate=Range(1, MAX_ID, error="ids"), error_messages=_messages("ids"))
    return List(
        item,
        allow_none=True,
        load_default=list if default else missing,
        validate=Length(max=100, error="ids"),
        error_messages=_messages(),
        metadata={"maxItems": max_items},
    )


class Body(Schema):
    """Unknown fields are ignored, as they always were; null stands for "not sent"."""

    class Meta:
        unknown = EXCLUDE

    @post_load
    def defaults_for_null(self, data: dict, **kwargs) -> dict:
        for name, field in self.fields.items():
            if name in data and data[name] is None and field.load_default is not missing:
                data[name] = field.load_default() if callable(field.load_default) else field.load_default
        return data


class NewFeedbackSchema(Body):
    """A new feedback item (a draft, or submitted at once with "submit": true)."""

    round_id = _id(required=True)
    version_id = _id(required=True)
    section_id = _id()
    type = _enum(FeedbackType, required=True)
    comment = _text(required=True, maxLength=MAX_COMMENT_CHARS)
    priority = _enum(Priority, default=Priority.medium.value)
    reference = _text(maxLength=MAX_REFERENCE_CHARS)
    proposed_change = _text(maxLength=MAX_COMMENT_CHARS)
    language = _enum(FeedbackLanguage, default=FeedbackLanguage.en.value)
    covid = _bool()
    principle_ids = _ids(10)
    objective_ids = _ids(23)
    usefulness_rating = _int(minimum=1, maximum=5)
    clarity_rating = _int(minimum=1, maximum=5)
    submit = _bool(description="Submit at once instead of keeping a draft")


class StatusChangeSchema(Body):
    """A new triage status; a duplicate names its original."""

    status = _enum(TriageStatus, required=True)
    duplicate_of_id = _id()


class AssignmentSchema(Body):
    """A co-lead (or nobody) and a lead agency (or none)."""

    assignee_id = _id()
    lead_agency = _text(maxLength=20, description="IOM, OHCHR, UNDP")


class TagsSchema(Body):
    """The working group's tags; the submitter's principle_ids and objective_ids are not changed here."""

    tags = List(
        String(error_messages=_messages("ids")),
        allow_none=True,
        load_default=list,
        validate=Length(max=100, error="ids"),
        error_messages=_messages(),
        metadata={"maxItems": 20},
    )
    working_group_principle_ids = _ids(10)
    working_group_objective_ids = _ids(23)
    # Accepted only unchanged (a client may send back the item it read): absent stays absent.
    principle_ids = _ids(10, default=False)
    objective_ids = _ids(23, default=False)


class ResponseBodySchema(Body):
    """The response's text and language; "publish": true publishes it."""

    text = _text(required=True, minLength=1, maxLength=MAX_COMMENT_CHARS)
    language = _enum(FeedbackLanguage, default=FeedbackLanguage.en.value)
    publish = _bool()


class LinkSchema(Body):
    """The revision item to link."""

    revision_item_id = _id(required=True)


class IfMatchHeader(Schema):
    """Writes send the item's version back."""

    if_match = String(
        data_key="If-Match",
        required=True,
        metadata={"description": "The item's version (its ETag, also `lock_version`)", "pattern": "^[0-9]{1,9}$"},
    )


class IdempotencyHeader(Schema):
    """A retried creation returns the item already created."""

    idempotency_key = String(
        data_key="Idempotency-Key",
        metadata={
            "description": "Any unique string up to 64 characters: a retried request returns the item already created",
            "pattern": "^[A-Za-z0-9_-]{8,64}$",
        },
    )


_ID_QUERY = {"minimum": 1, "maximum": MAX_ID}


class PagingQuery(Schema):
    """Which page (parsing.py reads the numbers: malformed or out of range is 400)."""

    page = Integer(load_default=1, metadata={"minimum": 1, "maximum": 100_000})
    per_page = Integer(load_default=25, metadata={"minimum": 1, "maximum": 100})


class FeedbackQuery(PagingQuery):
    """The triage queue's filters (api/filters.py and triage/filters.py read them)."""

    round = Integer(metadata={**_ID_QUERY, "description": "Review round id"})
    document = Integer(metadata={**_ID_QUERY, "description": "Document id"})
    section = Integer(metadata={**_ID_QUERY, "description": "Section id (its sub-sections included)"})
    country = Integer(metadata={**_ID_QUERY, "description": "Country id"})
    stakeholder_type = Integer(metadata={**_ID_QUERY, "description": "Stakeholder type id of the organisation"})
    type = String(validate=OneOf([t.value for t in FeedbackType]))
    priority = String(validate=OneOf([p.value for p in Priority]))
    status = List(
        String(validate=OneOf([s.value for s in TriageStatus])), metadata={"description": "Triage status (repeatable)"}
    )
    assignee = String(metadata={"pattern": "^(me|none|[1-9][0-9]{0,8})$", "description": "A user id, 'me' or 'none'"})
    lead_agency = Integer(metadata={**_ID_QUERY, "description": "Lead agency id"})
    tag = String(metadata={"maxLength": 60, "description": "A free tag"})
    revision_item = Integer(metadata={**_ID_QUERY, "description": "Linked to this revision item"})
    covid = String(validate=OneOf(["1", "0", "any"]), metadata={"description": "COVID-19 related"})
    language = String(validate=OneOf([lang.value for lang in FeedbackLanguage]))
    q = String(metadata={"maxLength": 200, "description": "Words in the comment or the proposed change"})
    view = String(validate=OneOf(list(VIEWS)), metadata={"description": "mine, unassigned or awaiting a response"})
    sort = String(
        load_default="-received",
        validate=OneOf(sorted(SORT_KEYS) + ["-" + key for key in sorted(SORT_KEYS)]),
        metadata={"description": "Sort key; '-' for descending"},
    )


def _message(name: str, kind: str) -> str:
    if kind == "required":
        return _("The field '%(name)s' is required.", name=name)
    if kind == "range":
        return _("The field '%(name)s' is out of range.", name=name)
    if kind == "ids":
        return _("The field '%(name)s' must be a list of ids.", name=name)
    if kind == "enum":
        return _("The field '%(name)s' has an unknown value.", name=name)
    return _("The field '%(name)s' has the wrong type.", name=name)


def _first_kind(messages) -> str:
    while isinstance(messages, (dict, list)):
        messages = next(iter(messages.values() if isinstance(messages, dict) else messages), "type")
    return str(messages)


def load_body(schema_class: type[Schema], only: tuple[str, ...] | None = None) -> dict:
    """The request's JSON object loaded by its schema (or `only` some fields); 400 naming the first field in error."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        bad_request(_("Send a JSON object in the request body (Content-Type: application/json)."))
    schema = schema_class(only=only)
    try:
        return schema.load(body)
    except ValidationError as error:
        order = list(schema.fields)
        name = min(error.messages, key=lambda n: order.index(n) if n in order else len(order))
        bad_request(_message(name, _first_kind(error.messages[name])))
