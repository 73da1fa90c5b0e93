"""What a round-trip row changes in an existing item, field by field: decides "unchanged" and feeds the preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.feedback_import import columns as cols
from reviewtracker.feedback_import.template_builder import section_code
from reviewtracker.i18n import label
from reviewtracker.models import Feedback, FeedbackState, GuidingPrinciple, Objective
from reviewtracker.spreadsheets import normalize_text

if TYPE_CHECKING:
    from reviewtracker.feedback.inputs import FeedbackInput
    from reviewtracker.feedback_import.importer import ImportPlan, PlannedRow


@dataclass(frozen=True)
class FieldChange:
    """One field of one row: the column's English key, the value now and the value in the file, as shown."""

    column: str
    before: str
    after: str

    @property
    def heading(self) -> str:
        """The column's heading in the current language."""
        return cols.heading(self.column)


def _as_read(stored: str | None) -> str | None:
    """Stored text as the importer reads it back (older rows may predate today's normalisation)."""
    return normalize_text(stored or "") or None


def compared_values(item: Feedback, data: FeedbackInput) -> dict[str, tuple]:
    """Column → (value now, value in the file), in comparable form, for every column the import can change."""
    return {
        cols.SECTION: ((item.version_id, item.section_id), (data.version_id, data.section_id)),
        cols.REFERENCE: (_as_read(item.reference), data.reference),
        cols.TYPE: (item.type, data.type),
        cols.PRIORITY: (item.priority, data.priority),
        cols.COMMENT: (_as_read(item.comment) or "", data.comment),
        cols.PROPOSED: (_as_read(item.proposed_change), data.proposed_change),
        cols.LANGUAGE: (item.language, data.language),
        cols.COVID: (bool(item.covid), bool(data.covid)),
        cols.PRINCIPLES: (sorted(p.id for p in item.principles), sorted(data.principle_ids)),
        cols.OBJECTIVES: (sorted(o.id for o in item.objectives), sorted(data.objective_ids)),
    }


def why_locked(item: Feedback) -> str:
    """Why the user can no longer change an item a row edits, for the preview."""
    if item.state == FeedbackState.forwarded:
        return _(
            "%(item)s was already forwarded to the working group, so it can no longer be changed.", item=item.display_id
        )
    return _(
        "%(item)s can no longer be changed by you (it is %(state)s).",
        item=item.display_id,
        state=label(item.state).lower(),
    )


def changed_columns(item: Feedback, data: FeedbackInput) -> list[str]:
    """The columns whose value in the file differs from the item's (empty: the row is unchanged)."""
    return [column for column, (now, new) in compared_values(item, data).items() if now != new]


class _Names:
    """Letters of the principles and numbers of the objectives, loaded once per preview."""

    def __init__(self) -> None:
        self.principles = {p.id: p.letter for p in db.session.scalars(select(GuidingPrinciple))}
        self.objectives = {o.id: str(o.number) for o in db.session.scalars(select(Objective))}

    def shown(self, column: str, value, code: str) -> str:
        if column == cols.SECTION:
            return code
        if column == cols.COVID:
            yes, no = cols.yes_no()
            return yes if value else no
        if column == cols.PRINCIPLES:
            return ", ".join(sorted(self.principles.get(i, "?") for i in value))
        if column == cols.OBJECTIVES:
            return ", ".join(sorted((self.objectives.get(i, "?") for i in value), key=lambda n: (len(n), n)))
        if column in cols.CODED_ENUMS:
            return label(value)
        return value or ""


def row_changes(planned: PlannedRow, names: _Names) -> list[FieldChange]:
    """The changes one planned update (or blocked row) would make, field by field."""
    item = planned.item
    values = compared_values(item, planned.data)
    changes = []
    for column in changed_columns(item, planned.data):
        now, new = values[column]
        before = section_code(item.version, item.section) if column == cols.SECTION else names.shown(column, now, "")
        changes.append(FieldChange(column, before, names.shown(column, new, planned.code)))
    return changes


def plan_changes(plan: ImportPlan) -> dict[int, list[FieldChange]]:
    """Row number → its field changes, for every update and every row that can no longer be changed."""
    names = _Names()
    return {planned.row: row_changes(planned, names) for planned in [*plan.updates, *plan.locked]}
