"""What every workbook's rows refer to, resolved once per export: reference rows, per-item lists, coded labels.

Loading them in bulk means rows never lazy-load (no N+1); the labels are computed once in the export's language.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from reviewtracker.extensions import db
from reviewtracker.i18n import label
from reviewtracker.models import (
    Acknowledgement,
    AnswerState,
    Country,
    DocumentVersion,
    FeedbackLanguage,
    FeedbackType,
    GuidanceDocument,
    GuidingPrinciple,
    LeadAgency,
    Objective,
    Organisation,
    Priority,
    RevisionItem,
    RevisionLink,
    RevisionStatus,
    Section,
    StakeholderType,
    Tag,
    TriageStatus,
    User,
)
from reviewtracker.models.feedback import (
    feedback_objectives,
    feedback_principles,
    feedback_tags,
    triage_objectives,
    triage_principles,
)

CODED_ENUMS = (FeedbackType, Priority, FeedbackLanguage, TriageStatus, RevisionStatus, Acknowledgement, AnswerState)
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class SectionInfo:
    """A section's code and title in the export language, its version and its top-level part."""

    code: str
    title: str
    version_id: int
    part_code: str
    part_title: str


@dataclass(frozen=True)
class VersionInfo:
    """A document version: its label and its document's code and title."""

    label: str
    document_id: int
    document_code: str
    document_title: str


def _grouped(stmt: Select) -> dict[int, list]:
    """{feedback_id: [value, ...]} from (feedback_id, value) rows, in the statement's order."""
    groups: dict[int, list] = defaultdict(list)
    for feedback_id, value in db.session.execute(stmt):
        groups[feedback_id].append(value)
    return dict(groups)


class ExportLookups:
    """Everything an exported row refers to, in plain dicts keyed by id (not the importer's lookups)."""

    def __init__(self, lang: str, ids: Select | None = None) -> None:
        self.lang = lang
        self._load_reference()
        self.principles: dict[int, list[str]] = {}  # chosen by the submitter
        self.objectives: dict[int, list[str]] = {}
        self.triage_principles: dict[int, list[str]] = {}  # added by the working group
        self.triage_objectives: dict[int, list[str]] = {}
        self.tags: dict[int, list[str]] = {}
        self.revisions: dict[int, list[int]] = {}
        if ids is not None:
            self._load_per_item(ids)

    def _load_reference(self) -> None:
        lang = self.lang
        documents = {d.id: d for d in db.session.scalars(select(GuidanceDocument))}
        self.versions = {}
        for v in db.session.scalars(select(DocumentVersion)):
            document = documents[v.document_id]
            self.versions[v.id] = VersionInfo(v.label, v.document_id, document.code, document.title_in(lang))
        rows = {s.id: s for s in db.session.scalars(select(Section).order_by(Section.version_id, Section.id))}
        self.sections: dict[int, SectionInfo] = {}
        for sid, section in rows.items():
            top = section
            while top.parent_id is not None and top.parent_id in rows:
                top = rows[top.parent_id]
            info = SectionInfo(section.code, section.title_in(lang), section.version_id, top.code, top.title_in(lang))
            self.sections[sid] = info
        self.section_order = list(rows)  # kept for sheets listing every section
        self.countries = {c.id: (c.code, c.title_in(lang)) for c in db.session.scalars(select(Country))}
        types = {t.id: t.title_in(lang) for t in db.session.scalars(select(StakeholderType))}
        self.organisations = {
            o.id: (o.name, types.get(o.stakeholder_type_id)) for o in db.session.scalars(select(Organisation))
        }
        self.users = dict(db.session.execute(select(User.id, User.name)).all())
        self.agencies = {a.id: a.code for a in db.session.scalars(select(LeadAgency))}
        self.principle_labels = {
            p.id: f"({p.letter}) {p.title_in(lang)}" for p in db.session.scalars(select(GuidingPrinciple))
        }
        self.objective_labels = {o.id: f"{o.number}. {o.short_in(lang)}" for o in db.session.scalars(select(Objective))}
        items = select(RevisionItem).options(selectinload(RevisionItem.sections)).order_by(RevisionItem.code)
        self.revision_items = {r.id: r for r in db.session.scalars(items)}

    def _principles_of(self, table, ids: Select) -> dict[int, list[str]]:
        """{feedback_id: [principle label, ...]} from an association table (the submitter's or the group's)."""
        c = table.c
        grouped = _grouped(
            select(c.feedback_id, c.principle_id)
            .join(GuidingPrinciple, GuidingPrinciple.id == c.principle_id)
            .where(c.feedback_id.in_(ids))
            .order_by(c.feedback_id, GuidingPrinciple.letter)
        )
        return {k: [self.principle_labels[v] for v in vals] for k, vals in grouped.items()}

    def _objectives_of(self, table, ids: Select) -> dict[int, list[str]]:
        """{feedback_id: [objective label, ...]} from an association table (the submitter's or the group's)."""
        c = table.c
        grouped = _grouped(
            select(c.feedback_id, c.objective_id)
            .join(Objective, Objective.id == c.objective_id)
            .where(c.feedback_id.in_(ids))
            .order_by(c.feedback_id, Objective.number)
        )
        return {k: [self.objective_labels[v] for v in vals] for k, vals in grouped.items()}

    def _load_per_item(self, ids: Select) -> None:
        ft = feedback_tags.c
        self.principles = self._principles_of(feedback_principles, ids)
        self.objectives = self._objectives_of(feedback_objectives, ids)
        self.triage_principles = self._principles_of(triage_principles, ids)
        self.triage_objectives = self._objectives_of(triage_objectives, ids)
        self.tags = _grouped(
            select(ft.feedback_id, Tag.name)
            .join(Tag, Tag.id == ft.tag_id)
            .where(ft.feedback_id.in_(ids))
            .order_by(ft.feedback_id, Tag.name)
        )
        self.revisions = _grouped(
            select(RevisionLink.feedback_id, RevisionLink.revision_item_id)
            .join(RevisionItem, RevisionItem.id == RevisionLink.revision_item_id)
            .where(RevisionLink.feedback_id.in_(ids))
            .order_by(RevisionLink.feedback_id, RevisionItem.code)
        )

    def section(self, section_id: int | None) -> SectionInfo | None:
        """The section of an item (None for the whole document)."""
        return self.sections.get(section_id) if section_id is not None else None

    def country_name(self, country_id: int | None) -> str | None:
        """A country's name in the export language."""
        return self.countries[country_id][1] if country_id in self.countries else None


def version_name(lookups: ExportLookups, version_id: int | None) -> str | None:
    """'G — Advanced draft'."""
    if version_id is None or version_id not in lookups.versions:
        return None
    version = lookups.versions[version_id]
    return f"{version.document_code} — {version.label}"


def display_id(feedback_id: int) -> str:
    """FB-000123, as Feedback.display_id, without loading the item."""
    return f"FB-{feedback_id:06d}"


def joined(values: list[str] | None) -> str | None:
    """A list of labels in one cell."""
    return LIST_SEPARATOR.join(values) if values else None


@contextmanager
def export_language(lang: str) -> Iterator[None]:
    """Translate everything inside the block into lang, whatever the interface language is."""
    with force_locale(lang):
        yield


class Labels:
    """Every coded value's label in one language, computed once (an export has many rows, few codes)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        with export_language(lang):
            self._labels: dict[enum.Enum, str] = {m: label(m) for cls in CODED_ENUMS for m in cls}
            self.yes, self.no = _("Yes"), _("No")

    def __call__(self, value: enum.Enum | None) -> str | None:
        """The label of a coded value (None stays empty)."""
        return None if value is None else self._labels.get(value, str(value))

    def yes_no(self, value: bool | None) -> str | None:
        """Yes / No in the export's language."""
        return None if value is None else (self.yes if value else self.no)

    def headers(self, texts: Iterable[object]) -> list[str]:
        """Translate lazy header texts into the export's language."""
        with export_language(self.lang):
            return [str(text) for text in texts]
