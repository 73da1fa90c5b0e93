"""Every bad upload of RELIABILITY.md "Uploads" is refused with a clear message, and nothing is written."""

from __future__ import annotations

import io
import os
import time

import pytest
from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import FeedbackImport
from tests import factories
from tests.feedback_import.conftest import (
    FIELDS,
    download,
    edit,
    feedback_count,
    fill,
    page_text,
    patch_zip,
    upload,
)

GOOD_ROW = {"Section code": "G.2.1", "Type": "General", "Comment": "Fine"}
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def signed_in(client, world, login_as):
    """A contributor of A signed in; returns (world, template bytes, feedback rows before)."""
    login_as(world.users["contributor"])
    return world, download(client, world.round.id), feedback_count()


def _nothing_written(before: int) -> None:
    assert feedback_count() == before
    assert db.session.scalar(select(func.count(FeedbackImport.id))) == 0


def refused_at_upload(client, world, data: bytes, filename: str = "feedback.xlsx") -> str:
    """The upload form answers 400 with the message; no upload is kept."""
    response = upload(client, world.round.id, data, filename)
    assert response.status_code == 400, response.status_code
    assert client.get("/feedback/imports/preview").status_code == 302  # nothing pending
    return page_text(response)


def refused_at_preview(client, world, data: bytes) -> str:
    """The file is accepted for a preview that lists the problems; confirming writes nothing."""
    response = upload(client, world.round.id, data)
    assert response.status_code == 302, page_text(response)[-2000:]
    text = page_text(client.get("/feedback/imports/preview"))
    assert "Confirm the import" not in text
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    return text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Section,Type,Comment\nG.2.1,general,hello\n", "it looks like a CSV or text file"),
        (b"<html><body><table><tr><td>G.2.1</td></tr></table></body></html>", "it looks like an HTML page"),
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "an old .xls file"),
        (b"%PDF-1.7 hello", "a PDF document"),
    ],
    ids=["csv", "html", "empty", "xls", "pdf"],
)
def test_other_files_renamed_xlsx_are_refused(client, signed_in, content, expected):
    world, _template, before = signed_in
    assert expected in refused_at_upload(client, world, content)
    _nothing_written(before)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("feedback.xlsm", "contains macros"),
        ("feedback.xls", "Old Excel files (.xls) are not accepted"),
        ("feedback.csv", "CSV files are not accepted"),
    ],
)
def test_wrong_extensions_are_refused(client, signed_in, filename, expected):
    world, template, before = signed_in
    assert expected in refused_at_upload(client, world, fill(template, [GOOD_ROW]), filename)
    _nothing_written(before)


def test_zip_bomb_is_refused(client, signed_in):
    world, template, before = signed_in
    bomb = patch_zip(fill(template, [GOOD_ROW]), add={"xl/media/image1.png": b"\x00" * (30 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert "like a zip bomb" in refused_at_upload(client, world, bomb)
    _nothing_written(before)


def test_xml_entity_bomb_is_refused(client, signed_in):
    world, template, before = signed_in
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))

    def bomb(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'.encode() + body.replace(b"<c ", b"<c ", 1)

    started = time.perf_counter()
    text = refused_at_upload(client, world, patch_zip(fill(template, [GOOD_ROW]), replace={SHEET: bomb}))
    assert "XML document type declaration (xl/worksheets/sheet1.xml)" in text
    assert time.perf_counter() - started < 5
    _nothing_written(before)


def test_macros_inside_an_xlsx_are_refused(client, signed_in):
    world, template, before = signed_in
    data = patch_zip(fill(template, [GOOD_ROW]), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert "contains macros" in refused_at_upload(client, world, data)
    _nothing_written(before)


def test_external_links_are_refused(client, signed_in):
    world, template, before = signed_in
    data = patch_zip(fill(template, [GOOD_ROW]), add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "links to other files" in refused_at_upload(client, world, data)
    _nothing_written(before)


def test_over_the_size_limit_gets_the_form_again_with_a_friendly_413(app, client, signed_in, monkeypatch):
    world, template, before = signed_in
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 20 * 1024)
    big = fill(template, [{**GOOD_ROW, "Comment": os.urandom(4000).hex()} for _ in range(10)])
    response = upload(client, world.round.id, big)
    text = page_text(response)
    assert response.status_code == 413
    assert "The file is larger than the limit of 20 KB; nothing was imported." in text
    assert "Upload and preview" in text
    _nothing_written(before)


def test_formulas_are_refused_naming_the_cell(client, signed_in):
    world, template, before = signed_in
    data = fill(template, [GOOD_ROW, {**GOOD_ROW, "Comment": '=HYPERLINK("http://evil","click")'}])
    text = refused_at_preview(client, world, data)
    assert "Cell F3 contains a formula; paste values only." in text
    assert 'id="count-errors">1<' in page_text(client.get("/feedback/imports/preview"))
    _nothing_written(before)


def test_unknown_codes_and_values_are_named_with_row_and_column(client, signed_in):
    world, template, before = signed_in
    rows = [
        GOOD_ROW,
        {**GOOD_ROW, "Section code": "B.24"},
        {**GOOD_ROW, "Section code": "X.1"},
        {**GOOD_ROW, "Type": "Important"},
        {**GOOD_ROW, "Guiding principles": "a, z"},
        {**GOOD_ROW, "Objectives": "7, 24"},
        {**GOOD_ROW, "COVID-19": "maybe"},
        {**GOOD_ROW, "Submitting organisation": "Unknown NGO"},
        {**GOOD_ROW, "Comment": "x" * 10_001},
        {**GOOD_ROW, "Comment": "   "},
    ]
    text = refused_at_preview(client, world, fill(template, rows))
    assert "'B.24' is not a section of the B — Advanced draft." in text
    assert "'X.1' is not a section of the documents under review in this round" in text
    assert "'Important' is not one of the values of the drop-down list." in text
    assert "Use letters a to j separated by commas" in text
    assert "Use objective numbers 1 to 23" in text
    assert "'maybe' is not yes or no." in text
    assert "'Unknown NGO' is not an organisation of your country." in text
    assert "The comment is longer than 10000 characters." in text
    assert "The comment is empty." in text
    assert "<td>3</td><td>Section code</td>" in text  # row 3 is the second data row
    _nothing_written(before)


def test_an_organisation_of_another_country_is_refused(client, signed_in):
    world, _template, before = signed_in
    factories.create_organisation("MA", name="Moroccan NGO")
    template = download(client, world.round.id)
    text = refused_at_preview(client, world, fill(template, [{**GOOD_ROW, "Submitting organisation": "Moroccan NGO"}]))
    assert "'Moroccan NGO' is not an organisation of your country." in text
    _nothing_written(before)


def test_a_code_typed_as_a_number_is_reported_not_merged(client, signed_in):
    world, template, before = signed_in
    text = refused_at_preview(client, world, fill(template, [{**GOOD_ROW, "Section code": 1.1}]))
    assert "as a number or date" in text and "format the column as Text" in text
    _nothing_written(before)


def test_ids_of_another_country_or_unknown_are_row_errors(client, world, login_as):
    other = factories.create_feedback(world.users["contributor_other"], world.round, state="submitted")
    db.session.commit()
    login_as(world.users["contributor"])
    before = feedback_count()
    template = download(client, world.round.id)
    rows = [
        {**GOOD_ROW, "ID": other.display_id, "Row version": other.lock_version, "Comment": "Overwrite B"},
        {**GOOD_ROW, "ID": "FB-999999", "Row version": 1},
        {**GOOD_ROW, "ID": "not an id", "Row version": 1},
    ]
    text = refused_at_preview(client, world, fill(template, rows))
    assert f"'{other.display_id}' is not an item of your country in this round." in text
    assert "'FB-999999' is not an item of your country in this round." in text
    assert "'not an id' is not an item of your country in this round." in text
    db.session.expire_all()
    assert db.session.get(type(other), other.id).comment != "Overwrite B"
    assert feedback_count() == before


def test_missing_renamed_and_extra_columns_are_named(client, signed_in):
    world, template, before = signed_in

    def drift(sheet):
        sheet["F1"] = "Commments"  # Comment, mistyped
        sheet["C1"] = None  # Reference removed
        sheet["N1"] = "Notes"  # an extra column

    text = refused_at_preview(client, world, edit(fill(template, [GOOD_ROW]), drift))
    assert "The heading Commments in cell F1 looks like a renamed Comment; change it back to Comment." in text
    assert "The column Reference is missing." in text
    assert "Unknown column Notes in cell N1" in text
    assert "The comment is empty." not in text  # rows are checked once the columns are right
    _nothing_written(before)


def test_headings_on_the_wrong_row_are_reported(client, signed_in):
    world, template, before = signed_in

    def push_down(sheet):
        sheet.insert_rows(1, amount=2)

    text = refused_at_preview(client, world, edit(fill(template, [GOOD_ROW]), push_down))
    assert "The column headings must be on row 1; they seem to be on row 3." in text
    _nothing_written(before)


def test_a_million_empty_rows_are_read_quickly(client, signed_in):
    world, template, before = signed_in
    filled = fill(template, [GOOD_ROW, GOOD_ROW])

    def far_away(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="K1048576" s="0"/></row></sheetData>')

    data = patch_zip(filled, replace={SHEET: far_away})
    started = time.perf_counter()
    response = upload(client, world.round.id, data)
    text = page_text(client.get("/feedback/imports/preview"))
    assert response.status_code == 302 and time.perf_counter() - started < 10
    assert 'id="count-new">2<' in text and 'id="count-errors">0<' in text
    assert feedback_count() == before


def test_more_rows_than_allowed_are_refused(app, client, signed_in, monkeypatch):
    world, template, before = signed_in
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    text = refused_at_preview(client, world, fill(template, [GOOD_ROW] * 5))
    assert "The sheet has more than 3 rows of data; split it into smaller files." in text
    _nothing_written(before)


def test_the_same_file_twice_creates_nothing_the_second_time(client, signed_in):
    world, template, before = signed_in
    data = fill(template, [GOOD_ROW, GOOD_ROW])
    upload(client, world.round.id, data)
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    assert feedback_count() == before + 2
    upload(client, world.round.id, data)
    text = page_text(client.get("/feedback/imports/preview"))
    assert "This file was already imported on" in text and "Confirm the import" not in text
    response = client.post("/feedback/imports/confirm", data={"mode": "draft"}, follow_redirects=True)
    assert "nothing was imported again" in page_text(response)
    assert feedback_count() == before + 2
    assert db.session.scalar(select(func.count(FeedbackImport.id))) == 1


@pytest.mark.parametrize(
    "filename",
    ["../../etc/passwd.xlsx", "..\\..\\boot.ini;.xlsx", "<script>alert(1)</script>.xlsx", "\u202exslx.exe.xlsx"],
)
def test_hostile_file_names_are_never_paths_and_shown_as_text(client, signed_in, _upload_dir, filename):
    world, template, before = signed_in
    response = upload(client, world.round.id, fill(template, [GOOD_ROW]), filename)
    assert response.status_code == 302
    stored = os.listdir(_upload_dir)
    assert len(stored) == 1 and len(stored[0]) == len("0" * 32 + ".xlsx")
    raw = client.get("/feedback/imports/preview").get_data(as_text=True)
    assert "<script>alert" not in raw and "\r\n" not in raw.split("File:")[1][:300]
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    record = db.session.scalar(select(FeedbackImport))
    assert "/" not in record.filename and "\r" not in record.filename and '"' not in record.filename
    assert "\u202e" not in record.filename
    assert os.listdir(_upload_dir) == []  # deleted after the import
    assert feedback_count() == before + 1


def test_cr_lf_and_quotes_never_reach_the_stored_name():
    from reviewtracker.feedback_import.services import display_filename

    name = display_filename('evil"\r\nSet-Cookie: x=1\x00.xlsx')
    assert name == "evil_ Set-Cookie_ x=1.xlsx"
    assert display_filename("") == "upload.xlsx"


def test_a_name_cut_at_a_quote_by_the_browser_is_refused_without_storing(client, signed_in, _upload_dir):
    world, template, before = signed_in
    text = refused_at_upload(client, world, fill(template, [GOOD_ROW]), 'evil"\r\nSet-Cookie: x=1.xlsx')
    assert "Only Excel .xlsx files are accepted." in text
    assert not _upload_dir.exists() or os.listdir(_upload_dir) == []
    _nothing_written(before)


def test_a_tampered_session_reference_is_never_a_path(client, signed_in):
    world, _template, _before = signed_in
    with client.session_transaction() as session:
        session["feedback_import"] = {
            "token": "../../etc/passwd",
            "round_id": world.round.id,
            "user_id": world.users["contributor"].id,
            "filename": "x.xlsx",
            "sha256": "0" * 64,
        }
    response = client.get("/feedback/imports/preview")
    assert response.status_code == 302 and "/feedback/imports" in response.headers["Location"]


def test_a_country_outside_the_round_cannot_download_or_upload(client, world, login_as):
    only_a = factories.create_round(("KE",))
    db.session.commit()
    login_as(world.users["contributor_other"])
    assert client.get(f"/feedback/rounds/{only_a.id}/template.xlsx").status_code == 403
    assert upload(client, only_a.id, b"PK").status_code == 403


def test_a_closed_round_refuses_uploads_but_offers_the_template(client, world, login_as):
    closed = factories.create_round(("KE",), is_open=False)
    db.session.commit()
    login_as(world.users["contributor"])
    assert "not open for your country" in page_text(client.get(f"/feedback/rounds/{closed.id}/import"))
    assert client.get(f"/feedback/rounds/{closed.id}/template.xlsx").status_code == 200
    assert upload(client, closed.id, b"PK").status_code == 403


def test_fields_cover_every_template_column():
    from reviewtracker.feedback_import.columns import HEADERS

    assert FIELDS == HEADERS


def test_stale_uploads_are_removed(app, client, signed_in, _upload_dir):
    world, template, _before = signed_in
    upload(client, world.round.id, fill(template, [GOOD_ROW]))
    (stored,) = os.listdir(_upload_dir)
    old = time.time() - 2 * 24 * 3600
    os.utime(_upload_dir / stored, (old, old))
    assert client.get("/feedback/imports/preview").status_code == 302  # expired: upload again
    assert os.listdir(_upload_dir) == []
    _ = io  # keep the import for readers of the helpers
