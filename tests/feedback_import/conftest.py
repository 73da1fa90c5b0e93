"""Fixtures for the offline-template import: filled workbooks, uploads and a private upload folder."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback

FIELDS = [
    "ID",
    "Section code",
    "Reference",
    "Type",
    "Priority",
    "Comment",
    "Proposed change",
    "Language",
    "COVID-19",
    "Guiding principles",
    "Objectives",
    "Submitting organisation",
    "Row version",
]


@pytest.fixture(autouse=True)
def _upload_dir(request, tmp_path, monkeypatch):
    """Pending uploads go to a private folder, so tests never write into the repository's instance/."""
    if "app" in request.fixturenames:
        monkeypatch.setitem(request.getfixturevalue("app").config, "IMPORT_UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def feedback_count() -> int:
    """How many feedback rows exist."""
    db.session.expire_all()
    return db.session.scalar(select(func.count(Feedback.id)))


def download(client, round_id: int, lang: str = "en", ours: bool = False) -> bytes:
    """Download the template (or the country's feedback) through the route."""
    kind = "our-feedback" if ours else "template"
    response = client.get(f"/feedback/rounds/{round_id}/{kind}.xlsx?lang={lang}")
    assert response.status_code == 200, response.status_code
    return response.data


def fill(template: bytes, rows: list[dict], start: int | None = None) -> bytes:
    """Write rows (by English column name) into the template's Feedback sheet with openpyxl, as a user would."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    row = start or sheet.max_row + 1
    if start is None:  # the first empty row after the data
        row = 2
        while sheet.cell(row=row, column=1).value or sheet.cell(row=row, column=6).value:
            row += 1
    for values in rows:
        for key, value in values.items():
            sheet.cell(row=row, column=FIELDS.index(key) + 1, value=value)
        row += 1
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def edit(template: bytes, changes) -> bytes:
    """Apply changes(sheet) to the Feedback sheet and save."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    changes(workbook.worksheets[0])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(client, round_id: int, data: bytes, filename: str = "feedback.xlsx"):
    """Post a file to the upload form; returns the response (not followed)."""
    return client.post(
        f"/feedback/rounds/{round_id}/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def row(comment: str = "A comment", **values) -> dict:
    """A valid new row, with overrides."""
    base = {"Section code": "G.2.1", "Type": "Substantive", "Priority": "High", "Comment": comment}
    base.update({key.replace("_", " "): value for key, value in values.items()})
    return base


def patch_zip(data: bytes, replace=None, add=None) -> bytes:
    """Rewrite a workbook's zip parts (to build hostile files from a real template)."""
    import zipfile

    replace, add = replace or {}, add or {}
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, replace[name](content) if name in replace else content)
        for name, content in add.items():
            target.writestr(name, content)
    return output.getvalue()


def page_text(response) -> str:
    """The response's HTML with entities decoded, for assertions on messages with quotes."""
    import html

    return html.unescape(response.get_data(as_text=True))
