"""Reading an uploaded offline template: every row checked against the round, an ImportPlan, nothing written."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from reviewtracker.extensions import db
from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.feedback_import import columns as cols
from reviewtracker.feedback_import.changes import changed_columns, why_locked
from reviewtracker.feedback_import.columns import fold
from reviewtracker.feedback_import.template_builder import country_organisations, ordered_sections
from reviewtracker.models import (
    Feedback,
    FeedbackImport,
    FeedbackLanguage,
    FeedbackType,
    GuidingPrinciple,
    Objective,
    Priority,
    ReviewRound,
    User,
)
from reviewtracker.parsing import STALE, parse_version, to_int
from reviewtracker.permissions import can_edit_feedback, can_view_feedback
from reviewtracker.spreadsheets import SpreadsheetError, read_sheet_rows

PREVIEW_ROWS = 20
_SPLIT = re.compile(r"[,;/\s]+")
_ID = re.compile(r"(?:FB-?)?0*([0-9]{1,12})", re.IGNORECASE)  # ASCII digits: \d would accept "١"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class Problem:
    """One thing wrong with the file: where (Excel row, column heading) and what, already translated."""

    row: int | None
    column: str | None  # the column's English key; shown with cols.heading()
    message: str

    @property
    def column_heading(self) -> str:
        """The column's heading in the current language."""
        if self.column in cols.COLUMN_INDEX:
            return cols.heading(self.column)
        return self.column or ""

    def __str__(self) -> str:
        where = [_("Row %(row)d", row=self.row)] if self.row is not None else []
        where += [self.column_heading] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class PlannedRow:
    """A valid row: a new item (item None) or a change to an existing one."""

    row: int
    data: FeedbackInput
    code: str
    item: Feedback | None = None
    expected_version: int | None = None
    blocked: str | None = None  # why the row's item can no longer be changed (the row is then not imported)


@dataclass
class ImportPlan:
    """What confirming would do, and what stops it."""

    new: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[tuple[int, Feedback]] = field(default_factory=list)
    locked: list[PlannedRow] = field(default_factory=list)  # changed rows of items the user can no longer edit
    problems: list[Problem] = field(default_factory=list)
    round_id: int | None = None
    duplicate_of: FeedbackImport | None = None

    @property
    def ok(self) -> bool:
        """Whether the file may be imported (conflict rows are skipped, not fatal)."""
        return not self.problems and self.duplicate_of is None

    @property
    def counts(self) -> dict[str, int]:
        """The numbers the preview and the CLI report."""
        return {
            "new": len(self.new),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
            "conflicts": len(self.conflicts),
            "locked": len(self.locked),
            "errors": len(self.problems),
        }

    @property
    def importable(self) -> int:
        """How many rows confirming would write (new items and changed ones)."""
        return len(self.new) + len(self.updates)


def translate_spreadsheet_error(error: SpreadsheetError) -> str:
    """The generic module's English template, translated when a catalogue has it, then filled in."""
    params = dict(error.params)
    if params.get("column") in cols.COLUMN_INDEX:
        params["column"] = cols.heading(params["column"])
    if params.get("headings"):
        params["headings"] = ", ".join(cols.heading(key) for key in cols.HEADERS)
    if params.get("kind"):  # "an HTML page": English words of the generic module, translated here too
        params["kind"] = _(params["kind"])
    template = _(error.message_template)  # the generic module's templates, translated here
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a broken translation must not hide the problem
        return error.message


def find_feedback_sheet(data: bytes) -> str | None:
    """The Feedback sheet's name (in any template language), else None for the first sheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    except (KeyError, zipfile.BadZipFile, ValueError):
        return None
    wanted = {fold(name) for name in cols.feedback_sheet_names()}
    for sheet in root.iter(f"{_MAIN_NS}sheet"):
        if fold(sheet.get("name", "")) in wanted:
            return sheet.get("name")
    return None


def find_duplicate(review_round: ReviewRound, country_id: int, sha256: str) -> FeedbackImport | None:
    """An earlier, not undone import of the same file for the same round and country."""
    stmt = select(FeedbackImport).where(
        FeedbackImport.sha256 == sha256,
        FeedbackImport.round_id == review_round.id,
        FeedbackImport.country_id == country_id,
        FeedbackImport.undone_at.is_(None),
    )
    return db.session.scalars(stmt.order_by(FeedbackImport.id)).first()


class _Lookups:
    """Every code the rows may use, loaded once so that validating 10,000 rows makes no query per row."""

    def __init__(self, review_round: ReviewRound, user: User) -> None:
        self.round = review_round
        self.versions = sorted(review_round.versions, key=lambda v: (v.document.position, v.document.code, v.number))
        self.sections: dict[str, tuple[int, int | None]] = {}
        for version in self.versions:
            for code in (version.document.code, f"{version.document.code} *"):
                self.sections.setdefault(code.upper(), (version.id, None))
            for section in ordered_sections(version):
                self.sections.setdefault(section.code.upper(), (version.id, section.id))
        self.types = cols.enum_lookup(FeedbackType)
        self.priorities = cols.enum_lookup(Priority)
        self.languages = cols.enum_lookup(FeedbackLanguage)
        self.yes_no = cols.yes_no_lookup()
        self.principles = {p.letter.lower(): p.id for p in db.session.scalars(select(GuidingPrinciple))}
        self.objectives = {o.number: o.id for o in db.session.scalars(select(Objective))}
        self.organisations: dict[str, int] = {}
        for org in country_organisations(user.country_id):
            for name in (org.name, org.acronym):
                if name:
                    self.organisations.setdefault(fold(name), org.id)

    def unknown_section(self, code: str) -> str:
        prefix = code.split(".")[0].split(" ")[0].upper()
        version = next((v for v in self.versions if v.document.code.upper() == prefix), None)
        if version is not None:
            return _("'%(code)s' is not a section of the %(version)s.", code=code, version=version.display_name)
        return _(
            "'%(code)s' is not a section of the documents under review in this round (%(versions)s).",
            code=code,
            versions="; ".join(v.display_name for v in self.versions),
        )


def read_plan(data: bytes, review_round: ReviewRound, user: User, *, max_rows: int, sha256: str | None) -> ImportPlan:
    """Read and check every row of an upload that passed check_xlsx_upload; nothing is written."""
    plan = ImportPlan(round_id=review_round.id)
    if sha256:
        plan.duplicate_of = find_duplicate(review_round, user.country_id, sha256)
    try:
        rows, errors = read_sheet_rows(
            data,
            find_feedback_sheet(data),
            expected_headers=cols.HEADERS,
            header_aliases=cols.header_aliases(),
            max_rows=max_rows,
            text_columns=[cols.SECTION],
        )
    except SpreadsheetError as error:
        plan.problems.append(Problem(None, None, translate_spreadsheet_error(error)))
        return plan
    for error in errors:
        if error.params.get("column") == cols.ROW_VERSION and "missing" in error.message_template:
            continue  # an old or hand-made sheet may lack the hidden column; rows with an ID then say so
        column = error.column if error.column in cols.COLUMN_INDEX else None
        plan.problems.append(Problem(error.row, column, translate_spreadsheet_error(error)))
    if any(problem.row == 1 for problem in plan.problems):
        return plan  # the columns are wrong: checking rows would only repeat that
    lookups = _Lookups(review_round, user)
    items = _load_items(rows)
    seen_ids: dict[int, int] = {}
    reported: dict[int | None, set] = {}  # row → columns the reader already reported
    for problem in plan.problems:
        reported.setdefault(problem.row, set()).add(problem.column)
    for record in rows:
        _check_row(record, lookups, items, seen_ids, user, plan, reported)
    return plan


def _load_items(rows: list[dict]) -> dict[int, Feedback]:
    wanted = {number for number in (_parse_id(r[cols.ID]) for r in rows) if number is not None}
    found: dict[int, Feedback] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):
        stmt = (
            select(Feedback)
            .where(Feedback.id.in_(ordered[start : start + 500]))
            .options(selectinload(Feedback.principles), selectinload(Feedback.objectives))
        )
        found.update({item.id: item for item in db.session.scalars(stmt)})
    return found


def _parse_id(value: str) -> int | None:
    match = _ID.fullmatch(value.strip()) if value else None
    return to_int(match.group(1), low=1) if match else None  # past the id range: no item, not a crash


def _check_row(record: dict, lookups: _Lookups, items: dict, seen_ids, user: User, plan: ImportPlan, reported) -> None:
    row = record["_row"]
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        if column not in reported.get(row, ()):  # a formula cell reads as empty: its own message is enough
            problems.append(Problem(row, column, message))

    code = record[cols.SECTION].strip()
    target = lookups.sections.get(code.upper()) if code else None
    if not code:
        problem(cols.SECTION, _("The section code is empty."))
    elif target is None:
        problem(cols.SECTION, lookups.unknown_section(code))
    values = {}
    for key, table in (
        (cols.TYPE, lookups.types),
        (cols.PRIORITY, lookups.priorities),
        (cols.LANGUAGE, lookups.languages),
    ):
        text = record[key]
        if not text:
            values[key] = None
        elif fold(text) in table:
            values[key] = table[fold(text)]
        else:
            problem(key, _("'%(value)s' is not one of the values of the drop-down list.", value=text))
    if values.get(cols.TYPE) is None and not record[cols.TYPE]:
        problem(cols.TYPE, _("The type is empty; choose general, substantive or editorial."))
    covid = False
    if record[cols.COVID]:
        covid = lookups.yes_no.get(fold(record[cols.COVID]))
        if covid is None:
            problem(cols.COVID, _("'%(value)s' is not yes or no.", value=record[cols.COVID]))
    principle_ids = _codes(record[cols.PRINCIPLES], lambda t: lookups.principles.get(t.strip("()").lower()))
    if principle_ids is None:
        problem(cols.PRINCIPLES, _("Use letters a to j separated by commas, e.g. a, f."))
    objective_ids = _codes(record[cols.OBJECTIVES], lambda t: lookups.objectives.get(to_int(t)))
    if objective_ids is None:
        problem(cols.OBJECTIVES, _("Use objective numbers 1 to 23 separated by commas, e.g. 7, 15."))
    organisation_id = None
    if record[cols.ORGANISATION]:
        organisation_id = lookups.organisations.get(fold(record[cols.ORGANISATION]))
        if organisation_id is None:
            problem(
                cols.ORGANISATION,
                _("'%(value)s' is not an organisation of your country.", value=record[cols.ORGANISATION]),
            )
    if problems or target is None or row in reported:
        _add_content_problems(record, problem)
        plan.problems.extend(problems)
        return
    data = FeedbackInput(
        version_id=target[0],
        section_id=target[1],
        type=values[cols.TYPE],
        comment=record[cols.COMMENT],
        priority=values.get(cols.PRIORITY) or Priority.medium,
        reference=record[cols.REFERENCE] or None,
        proposed_change=record[cols.PROPOSED] or None,
        language=values.get(cols.LANGUAGE) or FeedbackLanguage.en,
        covid=bool(covid),
        principle_ids=principle_ids or [],
        objective_ids=objective_ids or [],
        organisation_id=organisation_id,
    )
    for name, message in data.problems().items():
        problem({"comment": cols.COMMENT, "proposed_change": cols.PROPOSED}.get(name, cols.REFERENCE), message)
    if problems:
        plan.problems.extend(problems)
        return
    if not record[cols.ID]:
        plan.new.append(PlannedRow(row, data, code))
        return
    _check_existing(record, data, code, items, seen_ids, user, plan)


def _add_content_problems(record: dict, problem) -> None:
    """Text problems are reported even when a code in the same row is wrong, so one upload shows them all."""
    probe = FeedbackInput(
        version_id=0,
        section_id=None,
        type=FeedbackType.general,
        comment=record[cols.COMMENT],
        reference=record[cols.REFERENCE] or None,
        proposed_change=record[cols.PROPOSED] or None,
    )
    for name, message in probe.problems().items():
        problem({"comment": cols.COMMENT, "proposed_change": cols.PROPOSED}.get(name, cols.REFERENCE), message)


def _codes(text: str, resolve) -> list[int] | None:
    """Several codes in one cell ("a, f" or "7; 15") → ids; None when any of them is unknown."""
    ids: list[int] = []
    for token in (t for t in _SPLIT.split(text or "") if t):
        found = resolve(token)
        if found is None:
            return None
        if found not in ids:
            ids.append(found)
    return ids


def _check_existing(record, data: FeedbackInput, code: str, items, seen_ids, user: User, plan: ImportPlan) -> None:
    row, round_id = record["_row"], plan.round_id
    number = _parse_id(record[cols.ID])
    item = items.get(number) if number is not None else None
    mine = item is not None and item.country_id == user.country_id and item.round_id == round_id
    if not mine or not can_view_feedback(user, item):
        plan.problems.append(
            Problem(
                row,
                cols.ID,
                _("'%(value)s' is not an item of your country in this round.", value=record[cols.ID]),
            )
        )
        return
    if number in seen_ids:
        plan.problems.append(
            Problem(row, cols.ID, _("%(item)s is also on row %(other)d.", item=item.display_id, other=seen_ids[number]))
        )
        return
    seen_ids[number] = row
    # Ratings and the organisation are not in the template: keep the item's own values.
    data.usefulness_rating, data.clarity_rating = item.usefulness_rating, item.clarity_rating
    if _same_content(item, data):
        plan.unchanged += 1
        return
    version = record[cols.ROW_VERSION]
    if not version:
        plan.problems.append(
            Problem(row, cols.ID, _("The row has an ID but no row version; download your feedback again."))
        )
        return
    if parse_version(version) == STALE:
        message = _("'%(value)s' must be a whole number; download your feedback again.", value=version)
        plan.problems.append(Problem(row, cols.ROW_VERSION, message))
        return
    if parse_version(version) != item.lock_version:
        plan.conflicts.append((row, item))
        return
    if not can_edit_feedback(user, item):
        # Not fatal: the preview names the row and why, and offers to import the other rows without it.
        plan.locked.append(PlannedRow(row, data, code, item=item, blocked=why_locked(item)))
        return
    plan.updates.append(PlannedRow(row, data, code, item=item, expected_version=parse_version(version)))


def _same_content(item: Feedback, data: FeedbackInput) -> bool:
    return not changed_columns(item, data)
