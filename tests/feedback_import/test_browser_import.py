"""In the browser: download the template, fill 2,000 rows offline, upload, preview and import them."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, FeedbackState
from tests import factories

pytestmark = pytest.mark.browser
ROWS = 2_000


def test_a_2000_row_template_is_filled_uploaded_previewed_and_imported(live_server, page, tmp_path):
    live_server.app.config["IMPORT_UPLOAD_DIR"] = str(tmp_path / "uploads")
    with live_server.app.app_context():
        user = factories.create_user("focal_point", "KE", email="fp@example.org")
        review_round = factories.create_round(("KE",), name="Pilot round")
        db.session.commit()
        round_id, user_id = review_round.id, user.id
    live_server.sign_in(page, "fp@example.org", factories.PASSWORD)
    page.goto(f"{live_server.url}/feedback/imports")
    page.get_by_role("link", name="Pilot round").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Template — Français (.xlsx)").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    workbook = openpyxl.load_workbook(template)
    sheet = workbook["Commentaires"]
    types = ["Général", "De fond", "Rédactionnel"]
    for number in range(ROWS):
        row = number + 2
        sheet.cell(row=row, column=2, value="G.2.1" if number % 2 else "B.07.2")
        sheet.cell(row=row, column=4, value=types[number % 3])
        sheet.cell(row=row, column=6, value=f"Commentaire hors ligne n° {number + 1} — ملاحظة")
        sheet.cell(row=row, column=10, value="a, f")
    filled = tmp_path / "Commentaires Kenya.xlsx"
    workbook.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/feedback/imports/preview", timeout=120_000)
    assert page.locator("#count-new").inner_text() == f"{ROWS:,}"  # in the English number format
    assert page.locator("#count-errors").inner_text() == "0"
    assert page.locator("#new-rows tbody tr").count() == 20
    with live_server.app.app_context():
        assert db.session.scalar(select(func.count(Feedback.id))) == 0  # nothing before confirming
    page.get_by_label("as drafts (you can review and submit them later)").check()
    page.set_default_timeout(180_000)  # 2,000 items go in one transaction
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url("**/feedback/imports", timeout=180_000)
    assert f"Imported: {ROWS} items created" in page.locator("body").inner_text()
    assert "Commentaires Kenya.xlsx" in page.locator("#imports").inner_text()
    with live_server.app.app_context():
        items = db.session.scalars(select(Feedback).where(Feedback.author_id == user_id)).all()
        assert len(items) == ROWS and {item.round_id for item in items} == {round_id}
        assert {item.state for item in items} == {FeedbackState.draft}
        assert any(item.comment == "Commentaire hors ligne n° 1 — ملاحظة" for item in items)
