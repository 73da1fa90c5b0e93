"""The offline Excel template of a round: instructions, a Feedback sheet with drop-downs, sections and questions."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from xlsxwriter.utility import quote_sheetname

from reviewtracker.extensions import db
from reviewtracker.feedback_import import columns as cols
from reviewtracker.i18n import label
from reviewtracker.models import (
    Country,
    DocumentVersion,
    Feedback,
    FeedbackLanguage,
    FeedbackState,
    FeedbackType,
    GuidingPrinciple,
    Objective,
    Organisation,
    Priority,
    ReviewRound,
    Section,
    User,
)
from reviewtracker.permissions import feedback_visibility
from reviewtracker.spreadsheets import new_xlsxwriter_workbook, write_row

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_EDITABLE_ROWS = 500


@dataclass
class TemplateData:
    """Everything the workbook shows, loaded once."""

    review_round: ReviewRound
    country: Country
    user: User
    lang: str
    today: date
    max_rows: int
    versions: list[DocumentVersion]
    sections: list[tuple[DocumentVersion, Section | None]]  # None: the whole document
    principles: list[GuidingPrinciple]
    objectives: list[Objective]
    organisations: list[Organisation]
    items: list[Feedback] = field(default_factory=list)


def ordered_sections(version: DocumentVersion) -> list[Section]:
    """A version's sections in reading order (depth first, by position)."""
    rows = db.session.scalars(select(Section).where(Section.version_id == version.id)).all()
    children: dict[int | None, list[Section]] = {}
    for section in rows:
        children.setdefault(section.parent_id, []).append(section)
    ordered: list[Section] = []
    stack = sorted(children.get(None, []), key=lambda s: (s.position, s.code), reverse=True)
    while stack:
        section = stack.pop()
        ordered.append(section)
        stack.extend(sorted(children.get(section.id, []), key=lambda s: (s.position, s.code), reverse=True))
    return ordered


def country_organisations(country_id: int) -> list[Organisation]:
    """Active organisations of a country, by name."""
    stmt = select(Organisation).where(Organisation.country_id == country_id, Organisation.active.is_(True))
    return list(db.session.scalars(stmt.order_by(Organisation.name)))


def load_template_data(
    review_round: ReviewRound, user: User, *, lang: str, today: date, max_rows: int, with_items: bool = False
) -> TemplateData:
    """Gather the round's sections, lists and (for the round-trip) the country's feedback the user may see."""
    versions = sorted(review_round.versions, key=lambda v: (v.document.position, v.document.code, v.number))
    sections: list[tuple[DocumentVersion, Section | None]] = []
    for version in versions:
        sections.append((version, None))
        sections.extend((version, section) for section in ordered_sections(version))
    items: list[Feedback] = []
    if with_items:
        stmt = (
            select(Feedback)
            .where(feedback_visibility(user), Feedback.round_id == review_round.id)
            .where(Feedback.country_id == user.country_id)
            .where(Feedback.state.not_in([FeedbackState.withdrawn, FeedbackState.merged]))
            .options(
                selectinload(Feedback.principles),
                selectinload(Feedback.objectives),
                selectinload(Feedback.section),
                selectinload(Feedback.version).selectinload(DocumentVersion.document),
                selectinload(Feedback.organisation),
            )
            .order_by(Feedback.id)
        )
        items = list(db.session.scalars(stmt))
    return TemplateData(
        review_round=review_round,
        country=user.country,
        user=user,
        lang=lang,
        today=today,
        max_rows=max_rows,
        versions=versions,
        sections=sections,
        principles=list(db.session.scalars(select(GuidingPrinciple).order_by(GuidingPrinciple.letter))),
        objectives=list(db.session.scalars(select(Objective).order_by(Objective.number))),
        organisations=country_organisations(user.country_id),
        items=items,
    )


def build_template_bytes(data: TemplateData) -> bytes:
    """The workbook as bytes, written in the template's language."""
    with tempfile.TemporaryDirectory(prefix="rt-template-") as folder:
        path = os.path.join(folder, "template.xlsx")
        with force_locale(data.lang):
            write_template(path, data)
        with open(path, "rb") as handle:
            return handle.read()


def section_code(version: DocumentVersion, section: Section | None) -> str:
    """What the Section code column holds: the section's code, or the document's code for the whole document."""
    return section.code if section is not None else version.document.code


def write_template(path: str, data: TemplateData) -> None:
    """Write the template workbook to path (the current locale is the template's language)."""
    workbook = new_xlsxwriter_workbook(path)
    names = cols.sheet_names()
    formats = _formats(workbook)
    feedback_sheet = workbook.add_worksheet(names["feedback"])
    instructions = workbook.add_worksheet(names["instructions"])
    sections = workbook.add_worksheet(names["sections"])
    questions = workbook.add_worksheet(names["questions"])
    lists = workbook.add_worksheet(names["lists"])
    feedback_sheet.activate()
    _write_feedback(feedback_sheet, data, formats, names)
    _write_instructions(instructions, data, formats)
    _write_sections(sections, data, formats)
    _write_questions(questions, data, formats)
    _write_lists(lists, data, formats)
    workbook.close()


def _formats(workbook) -> dict:
    return {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top", "locked": True}
        ),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "bold": workbook.add_format({"bold": True, "valign": "top"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "text": workbook.add_format({"num_format": "@", "valign": "top", "locked": False}),
        "cell": workbook.add_format({"valign": "top", "locked": False}),
        "long": workbook.add_format({"text_wrap": True, "valign": "top", "locked": False}),
    }


def _row_values(item: Feedback) -> list:
    yes, no = cols.yes_no()
    return [
        item.display_id,
        section_code(item.version, item.section),
        item.reference or "",
        label(item.type),
        label(item.priority),
        item.comment,
        item.proposed_change or "",
        label(item.language),
        yes if item.covid else no,
        ", ".join(p.letter for p in item.principles),
        ", ".join(str(o.number) for o in item.objectives),
        item.organisation.name if item.organisation else "",
        item.lock_version,
    ]


def _write_feedback(sheet, data: TemplateData, formats: dict, names: dict[str, str]) -> None:
    last_row = max(data.max_rows, len(data.items) + MIN_EDITABLE_ROWS, MIN_EDITABLE_ROWS)
    column_formats = []
    for index, column in enumerate(cols.COLUMNS):
        fmt = formats["text"] if column.text else formats["long"] if column.width >= 30 else formats["cell"]
        column_formats.append(fmt)
        options = {"hidden": True} if column.key == cols.ROW_VERSION else {}
        sheet.set_column(index, index, column.width, fmt, options)
    write_row(sheet, 0, [str(column.heading) for column in cols.COLUMNS], formats["header"])
    sheet.set_row(0, 30)
    for row, item in enumerate(data.items, start=1):
        write_row(sheet, row, _row_values(item), column_formats)
    sheet.freeze_panes(1, 0)
    _add_validations(sheet, data, last_row, names)
    # Locked header, editable data: rows may be added, sorted and filtered, but headings stay as they are.
    sheet.protect(
        "",
        {
            "insert_rows": True,
            "delete_rows": True,
            "format_columns": True,
            "format_rows": True,
            "sort": True,
            "autofilter": True,
        },
    )


def _list_validation(values: Sequence[str], message: str) -> dict:
    return {
        "validate": "list",
        "source": list(values),
        "input_message": message[:255],
        "error_type": "warning",
        "error_message": _("Choose a value from the list.")[:255],
    }


def _add_validations(sheet, data: TemplateData, last_row: int, names: dict[str, str]) -> None:
    def where(key: str) -> tuple[int, int, int, int]:
        index = cols.COLUMN_INDEX[key]
        return 1, index, last_row, index

    lists = quote_sheetname(names["lists"])
    sections = quote_sheetname(names["sections"])
    yes, no = cols.yes_no()
    sheet.data_validation(
        *where(cols.SECTION),
        {
            "validate": "list",
            "source": f"={sections}!$A$2:$A${len(data.sections) + 1}",
            "input_message": _("A code from the Sections sheet, or a document code for the whole document.")[:255],
            "error_type": "warning",
            "error_message": _("This code is not in the Sections sheet.")[:255],
        },
    )
    for key, enum_class in ((cols.TYPE, FeedbackType), (cols.PRIORITY, Priority), (cols.LANGUAGE, FeedbackLanguage)):
        sheet.data_validation(*where(key), _list_validation([label(m) for m in enum_class], cols.heading(key)))
    sheet.data_validation(*where(cols.COVID), _list_validation([yes, no], _("Is the comment about COVID-19?")))
    # Several values are allowed, so a value outside the list only shows an information message.
    multi = {"error_type": "information", "error_message": _("Separate several values with commas.")[:255]}
    sheet.data_validation(
        *where(cols.PRINCIPLES),
        {
            "validate": "list",
            "source": f"={lists}!$A$2:$A${len(data.principles) + 1}",
            "input_message": _("Letters of the guiding principles, separated by commas, e.g. a, f")[:255],
            **multi,
        },
    )
    sheet.data_validation(
        *where(cols.OBJECTIVES),
        {
            "validate": "list",
            "source": f"={lists}!$C$2:$C${len(data.objectives) + 1}",
            "input_message": _("Numbers of the GCM objectives, separated by commas, e.g. 7, 15")[:255],
            **multi,
        },
    )
    if data.organisations:
        sheet.data_validation(
            *where(cols.ORGANISATION),
            {
                "validate": "list",
                "source": f"={lists}!$E$2:$E${len(data.organisations) + 1}",
                "input_message": _("Optional: an organisation of your country (see the Lists sheet).")[:255],
                "error_type": "warning",
                "error_message": _("This organisation is not in the list.")[:255],
            },
        )


def _write_instructions(sheet, data: TemplateData, formats: dict) -> None:
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 100, formats["wrap"])
    closes = data.review_round.closes_on_for(data.country.id)
    write_row(sheet, 0, [_("Offline feedback template")], formats["title"])
    facts = [
        (_("Review round"), data.review_round.name),
        (_("Country"), data.country.title_in(data.lang)),
        (_("Downloaded by"), f"{data.user.name} <{data.user.email}>"),
        (_("Downloaded on"), data.today.isoformat()),
        (_("Feedback accepted until"), closes.isoformat()),
        (_("Documents under review"), "; ".join(v.display_name for v in data.versions)),
    ]
    row = 2
    for name, value in facts:
        write_row(sheet, row, [name, value], [formats["bold"], formats["wrap"]])
        row += 1
    row_limit = format_decimal(data.max_rows)  # in the workbook's language (forced above)
    steps = [
        _(
            "The country is set by the account that downloaded this file (%(country)s); "
            "it is never read from the file.",
            country=data.country.title_in(data.lang),
        ),
        _("Write one comment per row of the Feedback sheet. Leave the ID column empty for new comments."),
        _(
            "Section code: a code from the Sections sheet, typed exactly (for example G.2.3); "
            "a document code alone (G, B) means the whole document."
        ),
        _("Type, priority, language and COVID-19: choose from the drop-down lists."),
        _("Guiding principles: letters separated by commas (a, f). Objectives: numbers separated by commas (7, 15)."),
        _("The comment is required and may have up to %(n)s characters.", n="10,000"),
        _("Do not rename, move, add or remove columns, and keep the headings on the first row."),
        _("Type or paste values only: formulas, macros and links to other files are refused."),
        _("Save the file as an Excel Workbook (.xlsx). A file holds up to %(n)s rows.", n=row_limit),
        _(
            "Rows with an ID update an existing item. If the item was changed online after you downloaded "
            "this file, the row is reported as a conflict and nothing is overwritten."
        ),
        _("Upload the file on the Import page: you will see a preview, and nothing is saved until you confirm."),
        _("Answer the guiding questions online; they are listed here for reference."),
    ]
    row += 1
    write_row(sheet, row, [_("How to fill in this template")], formats["title"])
    for number, step in enumerate(steps, start=1):
        write_row(sheet, row + number, [str(number), step], [formats["bold"], formats["wrap"]])
    sheet.protect("")


def _write_sections(sheet, data: TemplateData, formats: dict) -> None:
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 80)
    sheet.set_column(2, 2, 40)
    write_row(sheet, 0, [_("Section code"), _("Title"), _("Document version")], formats["header"])
    whole = _("(whole document)")
    for row, (version, section) in enumerate(data.sections, start=1):
        title = section.title_in(data.lang) if section else f"{whole} {version.document.title_in(data.lang)}"
        # write_row writes every str with write_string: a code such as "1.10" never becomes the number 1.1
        write_row(sheet, row, [section_code(version, section), title, version.display_name])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(data.sections), 2)


def _write_questions(sheet, data: TemplateData, formats: dict) -> None:
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 110, formats["wrap"])
    write_row(sheet, 0, [_("No."), _("Guiding question")], formats["header"])
    for row, question in enumerate(data.review_round.questions, start=1):
        write_row(sheet, row, [row, question.text_in(data.lang)], [None, formats["wrap"]])


def _write_lists(sheet, data: TemplateData, formats: dict) -> None:
    headings = [_("Principle"), _("Guiding principle"), _("Objective"), _("GCM objective"), _("Organisation")]
    for index, width in enumerate((10, 50, 10, 60, 50)):
        sheet.set_column(index, index, width)
    write_row(sheet, 0, headings, formats["header"])
    rows = max(len(data.principles), len(data.objectives), len(data.organisations))
    for row in range(rows):
        values: list = [None] * 5
        if row < len(data.principles):
            values[0:2] = [data.principles[row].letter, data.principles[row].title_in(data.lang)]
        if row < len(data.objectives):
            values[2:4] = [data.objectives[row].number, data.objectives[row].short_in(data.lang)]
        if row < len(data.organisations):
            values[4] = data.organisations[row].name
        write_row(sheet, row + 1, values)
