"""Download the template, fill it in offline, upload, preview, confirm; and the round-trip of existing items."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Activity, Feedback, FeedbackImport, FeedbackState, Section
from tests import factories
from tests.feedback_import.conftest import download, feedback_count, fill, upload

ARABIC = "تعليق على القسم 😀 مع نص من اليمين إلى اليسار"


def _add_section(code: str) -> Section:
    """A section whose code Excel would turn into a number (1.10 → 1.1) if it were not kept as text."""
    parent = factories.get_section("G.1")
    section = Section(version_id=parent.version_id, parent_id=parent.id, position=99, code=code, title_en="Tenth")
    db.session.add(section)
    db.session.flush()
    return section


def test_template_has_every_sheet_drop_downs_locked_header_and_text_codes(client, world, login_as):
    login_as(world.users["focal_point"])
    data = download(client, world.round.id, lang="fr")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Commentaires", "Instructions", "Sections", "Questions directrices", "Listes"]
    sheet = workbook["Commentaires"]
    headings = [cell.value for cell in sheet[1]]
    assert headings[:3] == ["ID", "Code de section", "Référence"]
    assert sheet.protection.sheet and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["M"].hidden  # the row version
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert validations["D2"].formula1 == '"Général,De fond,Rédactionnel"'
    assert "Sections" in validations["B2"].formula1 and validations["J2"].type == "list"
    sections = workbook["Sections"]
    codes = [row[0] for row in sections.iter_rows(min_row=2, values_only=True)]
    assert "G.2.1" in codes and "B.07.2" in codes and "G" in codes
    assert all(isinstance(code, str) for code in codes)
    instructions = " ".join(str(c) for row in workbook["Instructions"].iter_rows(values_only=True) for c in row if c)
    assert "Kenya" in instructions
    questions = [row[1] for row in workbook["Questions directrices"].iter_rows(min_row=2, values_only=True)]
    assert questions == ["Question 1 ?", "Question 2 ?"]


def test_filled_template_is_previewed_then_imported_with_exact_text(client, world, login_as):
    user = login_as(world.users["contributor"])
    section = _add_section("G.1.10")
    organisation = factories.create_organisation("KE", name="Ministry of Labour")
    before = feedback_count()
    rows = [
        {
            "Section code": "G.1.10",
            "Reference": "para 4.10",
            "Type": "De fond",  # French label in an English template
            "Priority": "alta",  # Spanish, lower case
            "Comment": ARABIC,
            "Proposed change": "Line one\nLine two",
            "Language": "Other language",
            "COVID-19": "Yes",
            "Guiding principles": "a, f",
            "Objectives": "7, 15",
            "Submitting organisation": "ministry of labour",
        },
        {"Section code": "B", "Type": "editorial", "Comment": "-1+1 stays text", "Objectives": 3},
    ]
    data = fill(download(client, world.round.id), rows)
    response = upload(client, world.round.id, data, filename="Kenya comments.xlsx")
    assert response.status_code == 302
    preview = client.get("/feedback/imports/preview")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'id="count-new">2<' in page and 'id="count-errors">0<' in page
    assert "Kenya comments.xlsx" in page and "G.1.10" in page
    assert feedback_count() == before  # nothing written by the preview
    response = client.post("/feedback/imports/confirm", data={"mode": "draft"})
    assert response.status_code == 302
    items = db.session.scalars(select(Feedback).where(Feedback.import_id.is_not(None)).order_by(Feedback.id)).all()
    assert len(items) == 2
    first, second = items
    assert first.section_id == section.id and first.comment == ARABIC
    assert first.reference == "para 4.10" and first.proposed_change == "Line one\nLine two"
    assert first.type.value == "substantive" and first.priority.value == "high" and first.language.value == "other"
    assert first.covid and [p.letter for p in first.principles] == ["a", "f"]
    assert [o.number for o in first.objectives] == [7, 15]
    assert first.organisation_id == organisation.id and first.author_id == user.id
    assert first.state == FeedbackState.draft and first.country_id == user.country_id
    assert second.section_id is None and second.version.document.code == "B"
    assert second.comment == "-1+1 stays text"
    record = db.session.scalar(select(FeedbackImport))
    assert record.rows_created == 2 and record.filename == "Kenya comments.xlsx" and len(record.sha256) == 64
    assert db.session.scalar(select(Activity).where(Activity.action == "import.apply")) is not None
    history = client.get("/feedback/imports").get_data(as_text=True)
    assert "Kenya comments.xlsx" in history and record.sha256[:12] in history


def test_submit_all_submits_the_new_items(client, world, login_as):
    login_as(world.users["contributor"])
    data = fill(download(client, world.round.id), [{"Section code": "G.2.2", "Type": "General", "Comment": "x"}])
    upload(client, world.round.id, data)
    client.post("/feedback/imports/confirm", data={"mode": "submit"})
    item = db.session.scalar(select(Feedback).where(Feedback.import_id.is_not(None)))
    assert item.state == FeedbackState.submitted


def test_round_trip_updates_changed_rows_and_reports_conflicts(client, world, login_as):
    author = login_as(world.users["contributor"])
    other_draft = factories.create_feedback(author, world.round, state="draft", section="G.2.3", comment="Second")
    db.session.commit()
    data = download(client, world.round.id, ours=True)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    by_id = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert world.draft.display_id in by_id and world.forwarded.display_id in by_id
    assert by_id[world.draft.display_id][12] == world.draft.lock_version

    def change(sheet):
        for cells in sheet.iter_rows(min_row=2):
            if cells[0].value == world.draft.display_id:
                cells[5].value = "Edited offline"
            if cells[0].value == other_draft.display_id:
                cells[5].value = "Edited offline too"

    from tests.feedback_import.conftest import edit

    edited = edit(data, change)
    # Meanwhile the second draft is changed online.
    other_draft.comment = "Changed online"
    db.session.commit()
    upload(client, world.round.id, edited)
    page = client.get("/feedback/imports/preview").get_data(as_text=True)
    assert 'id="count-updated">1<' in page and 'id="count-conflicts">1<' in page and 'id="count-new">0<' in page
    assert other_draft.display_id in page
    client.post("/feedback/imports/confirm", data={"mode": "draft"})
    db.session.expire_all()
    assert db.session.get(Feedback, world.draft.id).comment == "Edited offline"
    assert db.session.get(Feedback, other_draft.id).comment == "Changed online"
    assert db.session.scalar(select(FeedbackImport)).rows_updated == 1
