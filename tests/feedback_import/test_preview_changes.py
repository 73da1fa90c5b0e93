"""The round-trip preview shows each change (field, now → in the file), offers only what the file holds, and a
row that can no longer be changed is reported without blocking the other rows."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, FeedbackImport
from tests.feedback_import.conftest import FIELDS, download, page_text, upload


def _edited(data: bytes, changes: dict[str, dict[str, str]]) -> tuple[bytes, dict[str, int]]:
    """Change cells of the rows of some items ({display id: {column: value}}); returns the file and their rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = {}
    for cells in workbook.active.iter_rows(min_row=2):
        for column, value in changes.get(cells[0].value, {}).items():
            cells[FIELDS.index(column)].value = value
            rows[cells[0].value] = cells[0].row
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), rows


def _table(page: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert match, f"no table #{table_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_the_preview_shows_each_changed_field_before_and_after(client, world, login_as):
    login_as(world.users["contributor"])
    draft = world.draft
    before_comment = draft.comment
    data, rows = _edited(
        download(client, world.round.id, ours=True),
        {draft.display_id: {"Comment": "Rewritten offline", "Priority": "High", "Guiding principles": "a, c"}},
    )
    upload(client, world.round.id, data)
    page = page_text(client.get("/feedback/imports/preview"))
    changes = _table(page, "changes")
    assert f"{rows[draft.display_id]} {draft.display_id}" in changes  # the row number and the item
    assert f"Comment : {before_comment} → Rewritten offline" in changes
    assert "Priority : Medium → High" in changes
    assert "Guiding principles : → a, c" in changes
    assert "Type :" not in changes and "Reference :" not in changes  # unchanged fields are not listed


def test_a_file_with_only_changes_does_not_offer_to_import_new_items(client, world, login_as):
    login_as(world.users["contributor"])
    data, _rows = _edited(download(client, world.round.id, ours=True), {world.draft.display_id: {"Comment": "New"}})
    upload(client, world.round.id, data)
    page = page_text(client.get("/feedback/imports/preview"))
    assert 'id="count-new">0<' in page and 'id="count-updated">1<' in page
    assert "new item" not in page.lower() and "submit them all" not in page
    assert "1 existing item will be changed as shown above." in page
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    db.session.expire_all()
    assert db.session.get(Feedback, world.draft.id).comment == "New"


def test_a_row_of_a_forwarded_item_is_reported_and_the_other_rows_can_be_imported(client, world, login_as):
    login_as(world.users["contributor"])
    forwarded_comment = world.forwarded.comment
    data, rows = _edited(
        download(client, world.round.id, ours=True),
        {world.draft.display_id: {"Comment": "Draft edited"}, world.forwarded.display_id: {"Comment": "Too late"}},
    )
    upload(client, world.round.id, data)
    page = page_text(client.get("/feedback/imports/preview"))
    assert 'id="count-errors">0<' in page and 'id="count-locked">1<' in page and 'id="count-updated">1<' in page
    locked = _table(page, "locked")
    assert f"{rows[world.forwarded.display_id]} {world.forwarded.display_id}" in locked
    assert "was already forwarded to the working group, so it can no longer be changed." in locked
    assert "Comment : " in locked and "→ Too late" in locked  # what the file would have changed
    assert "Import the 1 other row" in page
    hidden = re.search(r'name="skip_rows" type="hidden" value="([0-9,]*)"', page)
    assert hidden and hidden.group(1) == str(rows[world.forwarded.display_id])

    # Confirming without that explicit choice (or with another set of rows) imports nothing.
    for skip in ("", "999"):
        response = client.post("/feedback/imports/confirm", data={"mode": "draft", "skip_rows": skip})
        assert response.status_code == 302
        assert "1 row changes an item that can no longer be changed" in page_text(client.get(response.location))
        db.session.expire_all()
        assert db.session.get(Feedback, world.draft.id).comment != "Draft edited"
        assert db.session.scalar(select(func.count(FeedbackImport.id))) == 0

    response = client.post("/feedback/imports/confirm", data={"mode": "draft", "skip_rows": hidden.group(1)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Feedback, world.draft.id).comment == "Draft edited"
    assert db.session.get(Feedback, world.forwarded.id).comment == forwarded_comment
    record = db.session.scalar(select(FeedbackImport))
    assert (record.rows_created, record.rows_updated) == (0, 1)
    assert "1 row that can no longer be changed was left out." in page_text(client.get("/feedback/imports"))


def test_a_file_whose_only_change_is_locked_offers_nothing_to_import(client, world, login_as):
    login_as(world.users["contributor"])
    data, _rows = _edited(download(client, world.round.id, ours=True), {world.forwarded.display_id: {"Comment": "x"}})
    upload(client, world.round.id, data)
    page = page_text(client.get("/feedback/imports/preview"))
    assert 'id="count-locked">1<' in page and "Import the 0" not in page and "Confirm the import" not in page
    assert "correct the file and upload it again" in page
