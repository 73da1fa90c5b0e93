"""The exported files, opened with openpyxl/csv and checked against the database in all three languages."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from reviewtracker.catalogues import load_translations
from reviewtracker.exports.consolidated_rows import FEEDBACK_SHEET
from reviewtracker.exports.lookups import Labels
from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.services import export_path, run_export
from reviewtracker.extensions import db
from reviewtracker.models import Export, ExportKind, TriageStatus
from reviewtracker.models._base import MAX_COMMENT_CHARS
from reviewtracker.spreadsheets import xlsx_text
from tests.exports.conftest import open_xlsx, read_csv, sheet_rows

SHEETS = ["Summary", "Feedback", "By section", "Coverage", "Revision items", "Guiding questions"]
COL = {str(c.header): i for i, c in enumerate(FEEDBACK_SHEET)}


def translated(lang: str, texts: list[str]) -> list[str]:
    """What the catalogues say in lang; French and Spanish must differ from English (no missing translation)."""
    with force_locale(lang):
        result = [gettext(text) for text in texts]
    if lang != "en":
        catalogue = load_translations(lang)
        assert [t for t in texts if t not in catalogue] == []
    return result


def _export(kind, world, **params):
    params.setdefault("round_id", world.round.id)
    return run_export(None, kind, ExportParams(**params))


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_consolidated_sheets_headers_and_rows(export_world, lang):
    """Sheets and headers are in the chosen language; only forwarded, non-deleted items; values match."""
    export = _export(ExportKind.consolidated, export_world, lang=lang)
    book = open_xlsx(export_path(export))
    assert book.sheetnames == translated(lang, SHEETS)
    feedback = book.worksheets[1]
    rows = sheet_rows(feedback)
    headers = rows[0]
    assert headers == translated(lang, [str(c.header) for c in FEEDBACK_SHEET])
    assert headers == Labels(lang).headers(c.header for c in FEEDBACK_SHEET)
    assert feedback.freeze_panes == "A2"
    assert feedback.auto_filter.ref == f"A1:{feedback.cell(1, len(headers)).column_letter}{len(rows)}"
    items = export_world.items_a + export_world.items_b
    assert export.rows == len(rows) - 1 == len(items)
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {item.display_id for item in items}
    accepted = by_id[export_world.items_a[1].display_id]
    assert accepted[COL["Status"]] == Labels(lang)(TriageStatus.accepted) == translated(lang, ["Accepted"])[0]
    assert accepted[COL["Comment"]] == export_world.items_a[1].comment  # RTL and emoji intact
    assert accepted[COL["Response"]] == "We agree; see R-100."
    first = by_id[export_world.items_a[0].display_id]
    assert first[COL["Comment"]] == export_world.items_a[0].comment  # '=HYPERLINK(...': text, no apostrophe
    formula_cell = feedback.cell(1 + next(i for i, r in enumerate(rows) if r[0] == first[0]), COL["Comment"] + 1)
    assert formula_cell.data_type == "s" and formula_cell.quotePrefix
    assert first[COL["Usefulness rating"]] == 4
    assert first[COL["Section code"]] == "G.2.1"
    assert first[COL["Revision items"]] == "R-100"
    assert first[COL["Assignee"]] == "Sofia Rossi"
    assert first[COL["Link"]].endswith(f"/triage/{export_world.items_a[0].id}")
    assert first[COL["Submitted on"]].date() == export_world.items_a[0].submitted_at.date()  # a real date cell
    assert feedback.cell(2, COL["Submitted on"] + 1).is_date
    comments = [r[COL["Comment"]] for r in rows[1:]]
    assert "Not forwarded yet" not in comments and "Deleted item" not in comments


def test_consolidated_summary_sections_coverage_revisions_questions(export_world):
    """The summary sheets count what the Feedback sheet holds."""
    book = open_xlsx(export_path(_export(ExportKind.consolidated, export_world)))
    summary = {row[0]: row[1] for row in sheet_rows(book["Summary"]) if row[0]}
    assert summary["Round"] == export_world.round.name
    assert summary["Feedback items"] == 5
    assert summary["New"] == 3 and summary["Accepted"] == 1 and summary["Noted"] == 1
    assert summary["Kenya"] == 3 and summary["Morocco"] == 2
    by_section = {row[0]: row for row in sheet_rows(book["By section"])[1:]}
    assert by_section["G.2.1"][2] == 2
    coverage = sheet_rows(book["Coverage"])
    header = coverage[0]
    g21 = next(r for r in coverage if r[0] == "G.2.1")
    assert g21[header.index("Kenya")] == 1 and g21[header.index("Morocco")] == 1 and g21[-1] == 2
    revisions = sheet_rows(book["Revision items"])
    assert revisions[1][:3] == ["R-100", "Clarify step 1", "G.2.1"]
    assert revisions[1][6] == 2 and revisions[1][8] == "FB-000001, FB-000005".replace(
        "FB-000001", export_world.items_a[0].display_id
    ).replace("FB-000005", export_world.items_b[1].display_id)
    questions = sheet_rows(book["Guiding questions"])
    assert questions[1][:4] == ["Kenya", 1, "Question 1?", "Our answer"]


def test_filters_narrow_the_rows(export_world):
    """Statuses, countries, documents and dates filter the exported rows."""
    a, b = export_world.items_a, export_world.items_b
    accepted = _export(ExportKind.consolidated, export_world, statuses=(TriageStatus.accepted,))
    assert accepted.rows == 1
    only_b = _export(ExportKind.consolidated, export_world, country_ids=(b[0].country_id,))
    ids = {r[0] for r in sheet_rows(open_xlsx(export_path(only_b)).worksheets[1])[1:]}
    assert ids == {item.display_id for item in b}
    booklet = _export(ExportKind.csv, export_world, document_ids=(b[0].version.document_id,))
    assert booklet.rows == 1
    today = a[0].forwarded_at.date()
    assert _export(ExportKind.csv, export_world, date_from=today, date_to=today).rows == 5
    assert _export(ExportKind.csv, export_world, date_to=today.replace(year=today.year - 1)).rows == 0


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_matrix_has_only_its_country(export_world, lang):
    """A's matrix: A's forwarded items only, published responses only, headers translated."""
    country_id = export_world.items_a[0].country_id
    export = _export(ExportKind.matrix, export_world, country_id=country_id, lang=lang)
    assert export.country_id == country_id
    book = open_xlsx(export_path(export))
    rows = sheet_rows(book.worksheets[0])
    assert rows[0][5] == translated(lang, ["Comment"])[0]
    assert {r[0] for r in rows[1:]} == {i.display_id for i in export_world.items_a}
    everything = " ".join(str(v) for ws in book.worksheets for row in sheet_rows(ws) for v in row)
    assert "Secret of B" not in everything and "Morocco" not in everything and "Maroc" not in everything
    first = next(r for r in rows if r[0] == export_world.items_a[0].display_id)
    # Linked to R-100 but still "new" with nothing published: the matrix says "under review", no revision item.
    assert first[7] == translated(lang, ["Under review"])[0] and first[9] is None
    assert book.worksheets[0].freeze_panes == "A2"


def test_matrix_hides_unpublished_responses(export_world):
    """The draft response of B's item stays inside the working group."""
    export = _export(ExportKind.matrix, export_world, country_id=export_world.items_b[0].country_id)
    rows = sheet_rows(open_xlsx(export_path(export)).worksheets[0])
    assert all(r[8] is None for r in rows[1:])


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_csv_has_bom_and_matches_the_feedback_sheet(export_world, lang):
    """UTF-8 with BOM; same headers and rows as the Feedback sheet (dates as text)."""
    export = _export(ExportKind.csv, export_world, lang=lang)
    data = export_path(export).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(data)
    sheet = sheet_rows(open_xlsx(export_path(_export(ExportKind.consolidated, export_world, lang=lang))).worksheets[1])
    assert rows[0] == sheet[0]
    assert len(rows) == len(sheet) == 6
    for csv_row, xlsx_row in zip(rows[1:], sheet[1:], strict=True):
        for index, (text, value) in enumerate(zip(csv_row, xlsx_row, strict=True)):
            if hasattr(value, "strftime"):
                assert text == value.strftime("%Y-%m-%d %H:%M"), index
            elif isinstance(value, str) and value.lstrip()[:1] in ("=", "+", "-", "@"):
                assert text == "'" + value, index  # only CSV carries the guard; .xlsx uses the quote-prefix style
            else:
                assert text == ("" if value is None else str(value)), index
    assert rows[1][COL["Comment"]].startswith("'=")


def test_revision_summary_workbook(export_world):
    """One row per revision item, and the comments behind it."""
    export = _export(ExportKind.revisions, export_world, lang="es")
    book = open_xlsx(export_path(export))
    assert book.sheetnames == translated("es", ["Revision items", "Linked comments"])
    items = sheet_rows(book.worksheets[0])
    assert items[1][0] == "R-100" and items[1][7] == 2
    linked = sheet_rows(book.worksheets[1])
    assert {r[1] for r in linked[1:]} == {export_world.items_a[0].display_id, export_world.items_b[1].display_id}


def test_export_is_recorded_with_hash_and_activity(export_world):
    """The Export row holds kind, params, rows, size and the file's sha256; an activity row is written."""
    import hashlib

    from reviewtracker.models import Activity

    export = _export(ExportKind.consolidated, export_world, lang="fr")
    data = export_path(export).read_bytes()
    assert export.sha256 == hashlib.sha256(data).hexdigest() and export.size_bytes == len(data)
    assert export.params == {"round_id": export_world.round.id, "lang": "fr"}
    activity = db.session.scalars(select(Activity).where(Activity.action == "export.create")).one()
    assert activity.target_id == export.id and activity.category.value == "export"
    assert db.session.scalar(select(func.count(Export.id))) == 1


def test_text_cells_are_sanitised(export_world):
    """Control characters go, formulas become text, and the longest comment the app accepts is exported whole.

    (Text over Excel's 32,767-character limit cannot reach the database: see the CHECK constraints; the cut
    itself is tested in tests/test_spreadsheets.py.)
    """
    item = export_world.items_a[2]
    item.comment = "\tnot =1+1 \x07bell " + "x" * (MAX_COMMENT_CHARS - 20)
    db.session.flush()
    export = _export(ExportKind.consolidated, export_world)
    sheet = open_xlsx(export_path(export)).worksheets[1]
    cell = next(row[COL["Comment"]] for row in sheet.iter_rows(min_row=2) if row[0].value == item.display_id)
    assert cell.data_type == "s" and cell.quotePrefix  # text, even when edited in Excel
    assert cell.value == xlsx_text(item.comment)[0] and "\x07" not in cell.value
    assert cell.value.startswith("\tnot =1+1") and cell.value.endswith("x" * (MAX_COMMENT_CHARS - 20))
