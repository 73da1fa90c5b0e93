"""Importing a version's outline from YAML or Excel: parse, validate every row, preview, then apply in one go.

Nothing is written until `apply_outline` runs (after the admin confirmed the preview), and it re-plans against
the database as it is then, so a preview made stale by another admin is never applied blindly.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

import yaml
from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker.audit import record_activity
from reviewtracker.documents.outline import tree_order
from reviewtracker.documents.services import clean_titles, code_problem, section_references
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, DocumentVersion, Section, User
from reviewtracker.models._base import MAX_TITLE_CHARS
from reviewtracker.spreadsheets import (
    SpreadsheetError,
    check_xlsx_upload,
    new_xlsxwriter_workbook,
    normalize_text,
    read_sheet_rows,
    write_row,
)

HEADERS = ["Code", "Parent code", "Title (English)", "Title (French)", "Title (Spanish)"]
TITLE_COLUMNS = {"en": "Title (English)", "fr": "Title (French)", "es": "Title (Spanish)"}
MAX_OUTLINE_ROWS = 5_000
MAX_YAML_BYTES = 1024 * 1024
MAX_DEPTH = 12  # YAML anchors can make a node its own child: a depth limit ends the walk
MODES = ("extend", "replace")


@dataclass
class OutlineRow:
    """One section as the file describes it; `where` names it for messages (Excel row or YAML node path)."""

    code: str
    parent_code: str | None
    titles: dict[str, str | None]
    where: str
    index: int = 0


@dataclass
class OutlineProblem:
    """A bad row: where (row or node path), which column or key, and what is wrong."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        return ", ".join(part for part in (self.where, self.column) if part) + f": {self.message}"


@dataclass
class OutlinePlan:
    """What an import would do to a version; `errors` empty means it may be applied."""

    mode: str
    rows: list[OutlineRow] = field(default_factory=list)
    errors: list[OutlineProblem] = field(default_factory=list)
    added: list[OutlineRow] = field(default_factory=list)
    renamed: list[tuple[Section, OutlineRow, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    moved: list[tuple[Section, OutlineRow]] = field(default_factory=list)
    removed: list[Section] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        """Whether applying the plan would change anything."""
        return bool(self.added or self.renamed or self.moved or self.removed)


def translated_spreadsheet_error(error: SpreadsheetError) -> str:
    """A SpreadsheetError's message in the interface language (the module's templates are gettext ids)."""
    return _(error.message_template).format(**error.params)


# --- Parsing -------------------------------------------------------------------------------------


def parse_xlsx(data: bytes, filename: str, max_bytes: int) -> tuple[list[OutlineRow], list[OutlineProblem]]:
    """Rows of an Excel outline (columns as in HEADERS, rows in order), and the reader's problems."""
    try:
        data = check_xlsx_upload(data, filename=filename, max_bytes=max_bytes)
        records, sheet_errors = read_sheet_rows(
            data, expected_headers=HEADERS, max_rows=MAX_OUTLINE_ROWS, text_columns=["Code", "Parent code"]
        )
    except SpreadsheetError as error:
        return [], [OutlineProblem("", "", translated_spreadsheet_error(error))]
    problems = [
        OutlineProblem(_("Row %(row)s", row=e.row) if e.row else "", e.column or "", translated_spreadsheet_error(e))
        for e in sheet_errors
    ]
    rows = [
        OutlineRow(
            code=record["Code"].upper(),
            parent_code=record["Parent code"].upper() or None,
            titles={lang: record[column] for lang, column in TITLE_COLUMNS.items()},
            where=_("Row %(row)s", row=record["_row"]),
        )
        for record in records
    ]
    return rows, problems


def _yaml_nodes(document: Any, document_code: str) -> list[Any] | None:
    """The list of top nodes: a bare list, {sections: [...]}, or the seed shape {documents: [{code, sections}]}."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("sections"), list):
        return document["sections"]
    if isinstance(document, dict) and isinstance(document.get("documents"), list):
        for entry in document["documents"]:
            if isinstance(entry, dict) and str(entry.get("code")) == document_code:
                return entry.get("sections") if isinstance(entry.get("sections"), list) else None
    return None


def parse_yaml(data: bytes, document_code: str) -> tuple[list[OutlineRow], list[OutlineProblem]]:
    """Rows of a YAML outline (nested nodes with code, title {en, fr, es} and children), depth first."""
    if len(data) > MAX_YAML_BYTES:
        return [], [OutlineProblem("", "", _("The YAML file is larger than %(n)d KB.", n=MAX_YAML_BYTES // 1024))]
    try:
        document = yaml.safe_load(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return [], [OutlineProblem("", "", _("The file is not UTF-8 text."))]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("Line %(line)s", line=mark.line + 1) if mark else ""
        return [], [OutlineProblem(where, "", _("The file is not valid YAML."))]
    nodes = _yaml_nodes(document, document_code)
    if nodes is None:
        message = _(
            "Expected a list of sections, a 'sections' list, or a 'documents' entry with the code %(code)s.",
            code=document_code,
        )
        return [], [OutlineProblem("", "", message)]
    rows: list[OutlineRow] = []
    problems: list[OutlineProblem] = []
    _walk_yaml(nodes, None, [], rows, problems)
    return rows, problems


def _walk_yaml(nodes, parent_code, path, rows, problems) -> None:
    if len(path) >= MAX_DEPTH:
        where = _("Node %(path)s", path=" › ".join(path))
        problems.append(
            OutlineProblem(where, "children", _("Sections are nested more than %(n)d levels deep.", n=MAX_DEPTH))
        )
        return
    for number, node in enumerate(nodes, start=1):
        if len(rows) >= MAX_OUTLINE_ROWS:
            too_many = _("More than %(n)d sections.", n=MAX_OUTLINE_ROWS)
            if not any(p.message == too_many for p in problems):
                problems.append(OutlineProblem("", "", too_many))
            return
        label = str(node.get("code")) if isinstance(node, dict) and node.get("code") is not None else f"#{number}"
        where = _("Node %(path)s", path=" › ".join([*path, label]))
        if not isinstance(node, dict):
            problems.append(OutlineProblem(where, "", _("Each section must be a mapping with code and title.")))
            continue
        code = node.get("code")
        if code is not None and not isinstance(code, str):
            # YAML reads 1.10 as the number 1.1: the code would silently change.
            problems.append(OutlineProblem(where, "code", _("Put the code in quotes so it is read as text.")))
            code = str(code)
        title = node.get("title")
        if isinstance(title, str):
            title = {"en": title}
        if not isinstance(title, dict):
            title = {}
        titles = {lang: normalize_text(str(title.get(lang) or "")) for lang in ("en", "fr", "es")}
        code = normalize_text(code or "").upper()
        rows.append(OutlineRow(code=code, parent_code=parent_code, titles=titles, where=where))
        children = node.get("children") or []
        if not isinstance(children, list):
            problems.append(OutlineProblem(where, "children", _("The children must be a list of sections.")))
            children = []
        _walk_yaml(children, code or None, [*path, label], rows, problems)


# --- Planning ------------------------------------------------------------------------------------


def _row_problems(row: OutlineRow, seen: set[str], known_parents: set[str], columns: dict[str, str]):
    problem = code_problem(row.code)
    if problem:
        yield OutlineProblem(row.where, columns["code"], problem)
    elif row.code in seen:
        yield OutlineProblem(row.where, columns["code"], _("The code %(code)s appears twice.", code=row.code))
    if row.parent_code and row.parent_code not in known_parents:
        message = _(
            "'%(code)s' is not in the outline (a parent must come before its sub-sections).", code=row.parent_code
        )
        yield OutlineProblem(row.where, columns["parent"], message)
    if row.parent_code and row.parent_code == row.code:
        yield OutlineProblem(row.where, columns["parent"], _("A section cannot be its own parent."))
    if not row.titles.get("en"):
        yield OutlineProblem(row.where, columns["en"], _("The English title is required."))
    for lang, text in row.titles.items():
        if text and len(text) > MAX_TITLE_CHARS:
            yield OutlineProblem(
                row.where, columns[lang], _("The title is longer than %(n)d characters.", n=MAX_TITLE_CHARS)
            )


def plan_outline(version: DocumentVersion, rows: list[OutlineRow], mode: str, kind: str) -> OutlinePlan:
    """Compare the file's rows with the version's sections and list additions, renames, moves, removals, errors."""
    if mode not in MODES:
        raise ValidationError(_("Unknown import mode."))
    columns = (
        {"code": "Code", "parent": "Parent code", **TITLE_COLUMNS}
        if kind == "xlsx"
        else {"code": "code", "parent": "", "en": "title.en", "fr": "title.fr", "es": "title.es"}
    )
    plan = OutlinePlan(mode=mode, rows=rows)
    existing = {section.code: section for section, _depth in tree_order(version)}
    seen: set[str] = set()
    # In "extend" an existing section may be the parent of a new one; in "replace" the file is the whole outline.
    known_parents = set(existing) if mode == "extend" else set()
    for index, row in enumerate(rows):
        row.index = index
        problems = list(_row_problems(row, seen, known_parents | seen, columns))
        plan.errors.extend(problems)
        if row.code:
            seen.add(row.code)
        if problems:
            continue
        section = existing.get(row.code)
        if section is None:
            plan.added.append(row)
            continue
        texts = clean_titles(row.titles)
        diff = {k: (getattr(section, k), v) for k, v in texts.items() if getattr(section, k) != v}
        if diff:
            plan.renamed.append((section, row, diff))
        current_parent = section.parent.code if section.parent else None
        if current_parent != row.parent_code:
            if mode == "replace":
                plan.moved.append((section, row))
            else:
                message = _(
                    "%(code)s is under %(current)s in this version; move it on the outline page instead.",
                    code=row.code,
                    current=current_parent or "—",
                )
                plan.errors.append(OutlineProblem(row.where, columns["parent"], message))
        if not diff and current_parent == row.parent_code:
            plan.unchanged += 1
    if not rows and not plan.errors:
        plan.errors.append(OutlineProblem("", "", _("The file lists no sections.")))
    if mode == "replace":
        plan.removed = [section for code, section in existing.items() if code not in seen]
        if section_references([s.id for s in existing.values()]):
            message = _("Feedback or revision items refer to sections of this version: use 'extend', not 'replace'.")
            plan.errors.insert(0, OutlineProblem("", "", message))
    return plan


def apply_outline(actor: User | None, version: DocumentVersion, plan: OutlinePlan, *, file_sha256: str) -> dict:
    """Write a plan without errors (one transaction, committed by the caller); returns the counts."""
    if plan.errors:
        raise WorkflowError(_("The outline has errors; nothing was imported."))
    existing = {section.code: section for section, _depth in tree_order(version)}
    by_code: dict[str, Section] = dict(existing)
    # "replace" numbers siblings in file order; "extend" appends new sections after the existing ones.
    last_position: dict[str | None, int] = {}
    if plan.mode == "extend":
        for section in existing.values():
            key = section.parent.code if section.parent else None
            last_position[key] = max(last_position.get(key, 0), section.position)
    for row in plan.rows:  # parents come before children, so each parent is known when its children arrive
        texts = clean_titles(row.titles)
        section = by_code.get(row.code)
        is_new = section is None
        if is_new:
            section = Section(version=version, code=row.code, **texts)
            db.session.add(section)
            by_code[row.code] = section
        else:
            for name, value in texts.items():
                setattr(section, name, value)
        if is_new or plan.mode == "replace":
            last_position[row.parent_code] = last_position.get(row.parent_code, 0) + 1
            section.parent = by_code[row.parent_code] if row.parent_code else None
            section.position = last_position[row.parent_code]
    db.session.flush()
    # Removed sections go deepest first, after their kept children were re-parented above.
    removed = sorted(plan.removed, key=lambda s: len(s.path), reverse=True)
    removed_ids = [section.id for section in removed]
    for twin in db.session.scalars(select(Section).where(Section.predecessor_id.in_(removed_ids))):
        twin.predecessor_id = None  # later versions keep their text; only the link back goes
    for section in removed:
        db.session.delete(section)
        db.session.flush()
    counts = {"added": len(plan.added), "renamed": len(plan.renamed), "moved": len(plan.moved), "removed": len(removed)}
    record_activity(
        actor,
        ActivityCategory.import_,
        "outline.import",
        target=version,
        after={"mode": plan.mode, "rows": len(plan.rows), "sha256": file_sha256, **counts},
    )
    return counts


# --- Excel template / export ---------------------------------------------------------------------


def outline_workbook(version: DocumentVersion) -> bytes:
    """The version's outline as an .xlsx with the import columns (an empty version gives the bare template)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "outline.xlsx")
        workbook = new_xlsxwriter_workbook(path, constant_memory=False)
        sheet = workbook.add_worksheet("Outline")
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})  # codes stay text when typed in Excel (1.10 is not 1.1)
        write_row(sheet, 0, HEADERS, bold)
        sheet.set_column(0, 1, 14, text)
        sheet.set_column(2, 4, 60)
        sheet.freeze_panes(1, 0)
        for number, (section, _depth) in enumerate(tree_order(version), start=1):
            parent = section.parent.code if section.parent else None
            write_row(sheet, number, [section.code, parent, section.title_en, section.title_fr, section.title_es])
        workbook.close()
        with open(path, "rb") as handle:
            return handle.read()
