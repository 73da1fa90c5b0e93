"""Queue filters and sorting from URL arguments, shared by the triage queue, the JSON API and exports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, exists, false, or_, select
from werkzeug.datastructures import MultiDict

from reviewtracker.errors import ValidationError
from reviewtracker.extensions import db
from reviewtracker.models import (
    Country,
    DocumentVersion,
    Feedback,
    FeedbackLanguage,
    FeedbackType,
    Organisation,
    Priority,
    Response,
    RevisionLink,
    Section,
    Tag,
    TriageStatus,
    User,
)
from reviewtracker.models.feedback import feedback_tags
from reviewtracker.parsing import parse_id, to_int
from reviewtracker.permissions import feedback_visibility
from reviewtracker.triage.workflow import DECIDED

_PRIORITY_RANK = case((Feedback.priority == Priority.high, 1), (Feedback.priority == Priority.medium, 2), else_=3)
_STATUS_RANK = case({s.value: i for i, s in enumerate(TriageStatus)}, value=Feedback.status, else_=99)
_SECTION_CODE = select(Section.code).where(Section.id == Feedback.section_id).correlate(Feedback).scalar_subquery()
_COUNTRY_CODE = select(Country.code).where(Country.id == Feedback.country_id).correlate(Feedback).scalar_subquery()

# Allow-list: the URL names a key, never a column.
SORT_KEYS: dict[str, Any] = {
    "id": Feedback.id,
    "received": Feedback.forwarded_at,
    "changed": Feedback.last_changed_at,
    "priority": _PRIORITY_RANK,
    "status": _STATUS_RANK,
    "section": _SECTION_CODE,
    "country": _COUNTRY_CODE,
}
DEFAULT_SORT = "-received"
VIEWS = ("mine", "unassigned", "awaiting")


def _int(args: MultiDict, name: str) -> int | None:
    return parse_id(args.get(name), name)  # malformed → 400, an id no row can have → 404


def _enum(args: MultiDict, name: str, enum_class: type[enum.Enum]) -> Any:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return enum_class(raw)
    except ValueError:
        raise ValidationError(_("Invalid value for the filter “%(name)s”.", name=name)) from None


def _bool(args: MultiDict, name: str) -> bool | None:
    raw = (args.get(name) or "").strip().lower()
    if raw in ("", "any"):
        return None
    if raw in ("1", "yes", "true", "on"):
        return True
    if raw in ("0", "no", "false", "off"):
        return False
    raise ValidationError(_("Invalid value for the filter “%(name)s”.", name=name))


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so that user text matches literally (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class QueueFilters:
    """What the queue shows: every filter is optional; `user_id` resolves assignee=me and view=mine."""

    round: int | None = None
    document: int | None = None
    section: int | None = None
    country: int | None = None
    stakeholder_type: int | None = None
    type: FeedbackType | None = None
    priority: Priority | None = None
    status: list[TriageStatus] = field(default_factory=list)
    assignee: str | None = None  # a user id, "me" or "none"
    lead_agency: int | None = None
    tag: str | None = None
    revision_item: int | None = None
    covid: bool | None = None
    language: FeedbackLanguage | None = None
    q: str | None = None
    view: str | None = None
    sort: str = DEFAULT_SORT
    user_id: int | None = None

    @classmethod
    def from_args(cls, args: MultiDict, user: User | None = None) -> QueueFilters:
        """Parse URL arguments; unknown sort keys and malformed values raise ValidationError (400)."""
        sort = (args.get("sort") or DEFAULT_SORT).strip()
        if sort.lstrip("-") not in SORT_KEYS:
            raise ValidationError(_("Unknown sort order “%(sort)s”.", sort=sort[:40]))
        assignee = (args.get("assignee") or "").strip() or None
        if assignee not in (None, "me", "none"):
            assignee = str(parse_id(args.get("assignee"), "assignee"))
        view = (args.get("view") or "").strip() or None
        if view is not None and view not in VIEWS:
            raise ValidationError(_("Invalid value for the filter “%(name)s”.", name="view"))
        try:
            statuses = [TriageStatus(s) for s in args.getlist("status") if s]
        except ValueError:
            raise ValidationError(_("Invalid value for the filter “%(name)s”.", name="status")) from None
        return cls(
            round=_int(args, "round"),
            document=_int(args, "document"),
            section=_int(args, "section"),
            country=_int(args, "country"),
            stakeholder_type=_int(args, "stakeholder_type"),
            type=_enum(args, "type", FeedbackType),
            priority=_enum(args, "priority", Priority),
            status=statuses,
            assignee=assignee,
            lead_agency=_int(args, "lead_agency"),
            tag=(args.get("tag") or "").strip()[:60] or None,
            revision_item=_int(args, "revision_item"),
            covid=_bool(args, "covid"),
            language=_enum(args, "language", FeedbackLanguage),
            q=(args.get("q") or "").strip()[:200] or None,
            view=view,
            sort=sort,
            user_id=user.id if user is not None and getattr(user, "is_authenticated", False) else None,
        )

    def to_args(self, **overrides: Any) -> dict[str, Any]:
        """The filters as URL arguments (for links, hidden form fields and 'everything matching')."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "user_id":
                continue
            value = overrides.get(f.name, getattr(self, f.name))
            if value is None or value == [] or (f.name == "sort" and value == DEFAULT_SORT):
                continue
            if isinstance(value, list):
                out[f.name] = [v.value if isinstance(v, enum.Enum) else v for v in value]
            elif isinstance(value, bool):
                out[f.name] = "1" if value else "0"
            else:
                out[f.name] = value.value if isinstance(value, enum.Enum) else value
        return out

    @property
    def active(self) -> bool:
        """Whether any filter (not just the sort order) is set."""
        return bool(set(self.to_args()) - {"sort"})

    def where(self, stmt: Select) -> Select:
        """Add the filter conditions (no ordering: also right for counts)."""
        for condition in self._conditions():
            stmt = stmt.where(condition)
        return stmt

    def order(self, stmt: Select) -> Select:
        """Add the ORDER BY of the chosen sort key, with the id as a stable tie-breaker."""
        key = self.sort.lstrip("-")
        column = SORT_KEYS[key]
        descending = self.sort.startswith("-")
        tie = Feedback.id.desc() if descending else Feedback.id.asc()
        if key == "id":
            return stmt.order_by(tie)
        return stmt.order_by(column.desc() if descending else column.asc(), tie)

    def apply(self, stmt: Select) -> Select:
        """Filters and ordering on a select of Feedback."""
        return self.order(self.where(stmt))

    def _conditions(self) -> list:
        c: list = []
        if self.round is not None:
            c.append(Feedback.round_id == self.round)
        if self.document is not None:
            c.append(
                Feedback.version_id.in_(select(DocumentVersion.id).where(DocumentVersion.document_id == self.document))
            )
        if self.section is not None:
            c.append(_section_and_below(self.section))
        if self.country is not None:
            c.append(Feedback.country_id == self.country)
        if self.stakeholder_type is not None:
            orgs = select(Organisation.id).where(Organisation.stakeholder_type_id == self.stakeholder_type)
            c.append(Feedback.organisation_id.in_(orgs))
        if self.type is not None:
            c.append(Feedback.type == self.type)
        if self.priority is not None:
            c.append(Feedback.priority == self.priority)
        if len(self.status) == 1:  # plain equality lets the queue index serve the ORDER BY too
            c.append(Feedback.status == self.status[0])
        elif self.status:
            c.append(Feedback.status.in_(self.status))
        c += self._assignment_conditions()
        if self.tag:
            tagged = (
                select(feedback_tags.c.feedback_id)
                .join(Tag, Tag.id == feedback_tags.c.tag_id)
                .where(Tag.name.ilike(escape_like(self.tag), escape="\\"))
            )
            c.append(Feedback.id.in_(tagged))
        if self.revision_item is not None:
            linked = select(RevisionLink.feedback_id).where(RevisionLink.revision_item_id == self.revision_item)
            c.append(Feedback.id.in_(linked))
        if self.covid is not None:
            c.append(Feedback.covid.is_(self.covid))
        if self.language is not None:
            c.append(Feedback.language == self.language)
        if self.q:
            pattern = f"%{escape_like(self.q)}%"
            c.append(
                or_(Feedback.comment.ilike(pattern, escape="\\"), Feedback.proposed_change.ilike(pattern, escape="\\"))
            )
        return c

    def _assignment_conditions(self) -> list:
        c: list = []
        if self.assignee == "me" or self.view == "mine":
            c.append(Feedback.assignee_id == self.user_id if self.user_id else false())
        if self.assignee == "none" or self.view == "unassigned":
            c.append(Feedback.assignee_id.is_(None))
        if self.assignee and (assignee_id := to_int(self.assignee, low=1)) is not None:
            c.append(Feedback.assignee_id == assignee_id)
        if self.lead_agency is not None:
            c.append(Feedback.lead_agency_id == self.lead_agency)
        if self.view == "awaiting":
            published = exists().where(Response.feedback_id == Feedback.id, Response.published.is_(True))
            c.append(Feedback.status.in_(DECIDED))
            c.append(~published)
        return c


def _section_and_below(section_id: int):
    """Feedback on a section or any of its sub-sections (by code prefix within the same version)."""
    section = db.session.get(Section, section_id)
    if section is None:
        return false()
    below = select(Section.id).where(
        Section.version_id == section.version_id,
        or_(Section.code == section.code, Section.code.like(escape_like(section.code) + ".%", escape="\\")),
    )
    return Feedback.section_id.in_(below)


def base_query(user: User) -> Select:
    """Every feedback item the user may see in the working group's queue."""

    return select(Feedback).where(feedback_visibility(user))
