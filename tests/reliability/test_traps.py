"""RELIABILITY.md, "Traps in the default stack": each trap reproduced, and the app's guard against it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from reviewtracker.extensions import db
from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.models import Feedback, FeedbackType, Section, User
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_REFERENCE_CHARS
from reviewtracker.spreadsheets import new_xlsxwriter_workbook, read_sheet_rows, sanitize_cell, write_row
from tests import factories
from tests.reliability.conftest import backend
from tests.world import build_world


def _xlsx(rows: list[list], number_format: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if number_format:
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_pandas_reads_an_uncached_formula_as_nan_but_the_importer_refuses_it():
    """pandas silently turns a formula without cached value into NaN; the app's reader names the cell."""
    data = _xlsx([["Section", "Comment"], ["G.2.1", '=CONCAT("a","b")']])
    frame = pd.read_excel(io.BytesIO(data), engine="openpyxl")
    assert pd.isna(frame.loc[0, "Comment"])  # the trap: the comment is simply gone

    rows, errors = read_sheet_rows(data, expected_headers=["Section", "Comment"], max_rows=10)
    assert rows[0]["Comment"] == ""
    assert [(e.row, e.column) for e in errors] == [(2, "Comment")]
    assert "B2" in errors[0].message and "formula" in errors[0].message


def test_openpyxl_refuses_control_characters_but_sanitised_cells_always_save(tmp_path):
    """One vertical tab (Word's line break) crashes openpyxl; sanitize_cell removes it and the export saves."""
    book = openpyxl.Workbook()
    with pytest.raises(IllegalCharacterError):
        book.active.append(["line one\x0bline two\x00"])
    book.active.append([sanitize_cell("line one\x0bline two\x00")])
    book.save(tmp_path / "ok.xlsx")
    assert openpyxl.load_workbook(tmp_path / "ok.xlsx").active["A1"].value == "line oneline two"


def test_openpyxl_writes_a_leading_equals_as_a_live_formula_but_write_row_writes_text(tmp_path):
    """A comment starting with "=" becomes a formula in openpyxl; the app's writer keeps it as text."""
    payload = '=HYPERLINK("http://evil.example","click")'
    book = openpyxl.Workbook()
    book.active["A1"] = payload
    book.save(tmp_path / "naive.xlsx")
    assert openpyxl.load_workbook(tmp_path / "naive.xlsx").active["A1"].data_type == "f"  # the trap

    path = tmp_path / "safe.xlsx"
    workbook = new_xlsxwriter_workbook(path)
    sheet = workbook.add_worksheet()
    write_row(sheet, 0, [payload, "\t=1+1", "\r-1+1", "@SUM(1)", "+1"])
    workbook.close()
    cells = next(openpyxl.load_workbook(path).active.iter_rows())
    # Text cells with Excel's quote-prefix style: never a formula, and the value is the text itself.
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    # (a lone CR is stored as a line break, as the sanitiser normalises line endings)
    assert [cell.value for cell in cells] == [payload, "\t=1+1", "\n-1+1", "@SUM(1)", "+1"]


def test_xlsxwriter_workbooks_never_turn_text_into_links_or_formulas(tmp_path):
    """Even the generic write() of the app's workbook keeps URL-like and formula-like text as plain strings."""
    path = tmp_path / "links.xlsx"
    workbook = new_xlsxwriter_workbook(path)
    sheet = workbook.add_worksheet()
    for row in range(200):
        sheet.write(row, 0, f"https://example.org/{row}")
        sheet.write(row, 1, "=1+1")
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
        assert b"<hyperlink" not in sheet_xml and b"<f>" not in sheet_xml
        assert not any("externalLink" in name or "sheet1.xml.rels" in name for name in archive.namelist())


def test_pandas_turns_code_like_text_into_numbers_but_the_reader_reports_it():
    """`1.10` typed as a number reads as 1.1 in pandas; the app's reader refuses numeric codes with a message."""
    data = _xlsx([["Section", "Comment"], [1.10, "a"], [1.1, "b"]])
    frame = pd.read_excel(io.BytesIO(data), engine="openpyxl")
    assert list(frame["Section"]) == [1.1, 1.1]  # the trap: two sections merge

    rows, errors = read_sheet_rows(data, expected_headers=["Section", "Comment"], max_rows=10, text_columns=["Section"])
    assert {(e.row, e.column) for e in errors} == {(2, "Section"), (3, "Section")}
    assert "1.10 becomes 1.1" in errors[0].message
    text_data = _xlsx([["Section", "Comment"], ["1.10", "a"], ["1.1", "b"]])
    rows, errors = read_sheet_rows(
        text_data, expected_headers=["Section", "Comment"], max_rows=10, text_columns=["Section"]
    )
    assert [r["Section"] for r in rows] == ["1.10", "1.1"] and not errors


# --- One length policy on both databases ------------------------------------------------------------------


def test_the_input_policy_is_the_same_on_both_databases(app):
    """NUL and control characters are stripped and the documented maximum is enforced before the database."""
    version = factories.get_version()
    item = FeedbackInput(
        version_id=version.id, section_id=None, type=FeedbackType.general, comment="a\x00b" + "c" * MAX_COMMENT_CHARS
    )
    assert "\x00" not in item.comment
    assert "comment" in item.problems()
    assert (
        "reference"
        in FeedbackInput(
            version_id=version.id, section_id=None, type=FeedbackType.general, comment="ok", reference="r" * 201
        ).problems()
    )
    assert MAX_COMMENT_CHARS < 32_767  # below Excel's cell limit, so exports never cut a comment


def test_varchar_and_nul_trap_differs_by_backend(app):
    """SQLite stores an over-long VARCHAR and a NUL byte; PostgreSQL refuses both. Hence the input policy above."""
    author = factories.create_user("contributor")
    review_round = factories.create_round(("KE",))
    db.session.commit()
    too_long = "r" * (MAX_REFERENCE_CHARS + 1)
    for bad in (too_long, "nul\x00byte"):
        nested = db.session.begin_nested()
        try:
            factories.create_feedback(author, review_round, reference=bad)
            stored = True
        except (DBAPIError, ValueError):  # psycopg raises ValueError for NUL before sending it
            stored = False
        nested.rollback()
        assert stored is (backend() == "sqlite"), (bad[:10], backend())


@pytest.mark.parametrize("field", ["comment", "proposed_change"])
def test_the_database_refuses_an_over_long_comment_on_both_backends(app, field):
    """The 10,000-character policy is also a CHECK constraint, so no path (CLI, bulk, API) can bypass it."""
    author = factories.create_user("contributor")
    review_round = factories.create_round(("KE",))
    db.session.commit()
    nested = db.session.begin_nested()
    with pytest.raises(IntegrityError):
        factories.create_feedback(author, review_round, **{field: "x" * (MAX_COMMENT_CHARS + 1)})
    nested.rollback()
    exact = factories.create_feedback(author, review_round, **{field: "x" * MAX_COMMENT_CHARS})
    assert len(getattr(exact, field)) == MAX_COMMENT_CHARS


# --- Foreign keys: on, and RESTRICT for feedback -------------------------------------------------------------


def test_sqlite_connections_have_foreign_keys_wal_and_a_busy_timeout(app, sqlite_only):
    """SQLite's defaults are off/rollback journal/no wait; every app connection turns them on."""
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_feedback_parents_are_restrict_in_the_schema(app):
    """No cascade can delete feedback: its owners are RESTRICT, optional links at most SET NULL, never CASCADE.

    (tests/test_migrations.py checks that the migration builds exactly this schema.)
    """
    rules = {fk.parent.name: fk.ondelete for fk in db.metadata.tables["feedback"].foreign_keys}
    assert "CASCADE" not in rules.values(), rules
    owners = ("author_id", "country_id", "round_id", "version_id", "section_id")
    assert all(rules[name] == "RESTRICT" for name in owners), rules


@pytest.mark.parametrize("parent", ["author", "section"])
def test_deleting_a_user_or_section_with_feedback_is_refused(app, parent):
    """The database refuses to delete an author or a section that feedback points at; nothing is lost."""
    world = build_world()
    target = world.users["contributor"] if parent == "author" else world.draft.section
    model = User if parent == "author" else Section
    with pytest.raises(IntegrityError):
        db.session.execute(delete(model).where(model.id == target.id))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Feedback.id))) == 4


# --- Optimistic locking ---------------------------------------------------------------------------------------


def test_version_id_col_stops_a_lost_update_on_this_backend(app):
    """Two people load the same item; the second save fails instead of overwriting the first."""
    world = build_world()
    first, second = Session(db.engine), Session(db.engine)
    try:
        mine, theirs = first.get(Feedback, world.forwarded.id), second.get(Feedback, world.forwarded.id)
        mine.comment = "first save"
        first.commit()
        theirs.comment = "second save, from a stale copy"
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    db.session.expire_all()
    assert db.session.get(Feedback, world.forwarded.id).comment == "first save"


def test_a_bulk_update_bypasses_the_version_check(app):
    """The documented hole: update() does not bump lock_version, so services must change rows through the ORM."""
    world = build_world()
    version = world.forwarded.lock_version
    db.session.execute(update(Feedback).where(Feedback.id == world.forwarded.id).values(comment="bulk"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Feedback, world.forwarded.id).lock_version == version
    versioned = ("Feedback", "Response", "RevisionItem", "GuidingAnswer")
    offenders = [
        f"{path}:{number}"
        for path in Path(app.config["PROJECT_DIR"], "reviewtracker").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any(f"update({name})" in line.replace(" ", "") for name in versioned)
    ]
    assert not offenders, f"bulk updates of versioned models skip the lost-update check: {offenders}"
