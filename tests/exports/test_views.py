"""The Exports page, creating and downloading exports, and what a failed export leaves behind."""

from __future__ import annotations

import hashlib
import os
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from reviewtracker.exports import consolidated_rows as rows_module
from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.services import export_path, exports_dir, run_export
from reviewtracker.extensions import db
from reviewtracker.models import Export, ExportKind, TriageStatus
from reviewtracker.triage.workflow import DECIDED
from tests.exports.conftest import open_xlsx, sheet_rows


def _form(world, kind, country=None, **extra):
    data = {"kind": kind, "round_id": world.round.id, "lang": "en", **extra}
    if country is not None:
        data["country_id"] = country
    return data


def _count() -> int:
    return db.session.scalar(select(func.count(Export.id)))


def test_co_lead_creates_and_downloads_again(client, login_as, export_world):
    """The export appears on the page and downloads byte for byte, with a safe file name."""
    login_as(export_world.co_lead)
    page = client.get("/exports/")
    assert page.status_code == 200 and "No exports yet" in page.text
    response = client.post("/exports/new", data=_form(export_world, "consolidated", lang="fr"))
    assert response.status_code == 302
    export = db.session.scalars(select(Export)).one()
    page = client.get("/exports/")
    assert "Consolidated workbook" in page.text and export.sha256[:12] in page.text and "5" in page.text
    for _ in range(2):  # a stored export can be downloaded again
        download = client.get(f"/exports/{export.id}/download")
        assert download.status_code == 200
        assert hashlib.sha256(download.data).hexdigest() == export.sha256
        assert f"filename={export.filename}" in download.headers["Content-Disposition"]
        download.close()
    with force_locale("fr"):
        assert open_xlsx(download.data).sheetnames[0] == gettext("Summary") != "Summary"


def test_filters_from_the_form(client, login_as, export_world):
    """Statuses and countries chosen in the form reach the file."""
    login_as(export_world.co_lead)
    data = _form(export_world, "csv", statuses=["accepted", "noted"])
    assert client.post("/exports/new", data=data).status_code == 302
    assert db.session.scalars(select(Export)).one().rows == 2


def test_focal_point_gets_only_their_country(client, login_as, export_world):
    """A's focal point: A's matrix allowed, B's refused, consolidated refused; B's stored matrix is a 404."""
    country_a = export_world.items_a[0].country_id
    country_b = export_world.items_b[0].country_id
    matrix_b = run_export(None, ExportKind.matrix, ExportParams(round_id=export_world.round.id, country_id=country_b))
    consolidated = run_export(None, ExportKind.consolidated, ExportParams(round_id=export_world.round.id))
    login_as(export_world.focal_a)
    assert client.post("/exports/new", data=_form(export_world, "matrix", country_b)).status_code == 403
    assert client.post("/exports/new", data=_form(export_world, "consolidated", country_a)).status_code == 403
    assert client.post("/exports/new", data=_form(export_world, "csv")).status_code == 403
    assert client.post("/exports/new", data=_form(export_world, "matrix", country_a)).status_code == 302
    own = db.session.scalars(select(Export).where(Export.created_by_id == export_world.focal_a.id)).one()
    assert own.country_id == country_a
    assert client.get(f"/exports/{matrix_b.id}/download").status_code == 404
    assert client.get(f"/exports/{consolidated.id}/download").status_code == 404
    download = client.get(f"/exports/{own.id}/download")
    assert download.status_code == 200
    data = download.data
    download.close()
    cells = " ".join(str(v) for ws in open_xlsx(data).worksheets for r in sheet_rows(ws) for v in r)
    assert "Secret of B" not in cells
    page = client.get("/exports/")
    assert f"/exports/{own.id}/download" in page.text
    assert f"/exports/{matrix_b.id}/download" not in page.text
    assert f"/exports/{consolidated.id}/download" not in page.text


def test_matrix_needs_a_country(client, login_as, export_world):
    """The form says what is missing and creates nothing."""
    login_as(export_world.co_lead)
    response = client.post("/exports/new", data=_form(export_world, "matrix"))
    assert response.status_code == 400 and "Choose the country of the matrix." in response.text
    assert _count() == 0


def test_unknown_kind_is_a_bad_request(client, login_as, export_world):
    """Only the four kinds exist."""
    login_as(export_world.co_lead)
    assert client.post("/exports/new", data=_form(export_world, "../../etc/passwd")).status_code == 400


def test_revision_summary_page(client, login_as, export_world):
    """The printable page lists the revision item and the comments behind it, in the chosen language."""
    login_as(export_world.co_lead)
    page = client.get(f"/exports/revisions?round_id={export_world.round.id}&lang=fr")
    assert page.status_code == 200
    assert "R-100" in page.text and export_world.items_b[1].display_id in page.text and "Proposée" in page.text
    assert client.get("/exports/revisions?round_id=99999").status_code == 404


def _files() -> set[str]:
    return set(os.listdir(exports_dir()))


def test_interrupted_export_keeps_the_previous_file(export_world, monkeypatch):
    """A writer failing mid-way leaves the earlier export intact, no temp or partial file and no Export row."""
    params = ExportParams(round_id=export_world.round.id)
    previous = run_export(None, ExportKind.consolidated, params)
    db.session.commit()
    before = export_path(previous).read_bytes()
    files = _files()
    original = rows_module.FeedbackRowBuilder.values
    calls = {"n": 0}

    def failing(self, row):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("killed mid-way")
        return original(self, row)

    monkeypatch.setattr(rows_module.FeedbackRowBuilder, "values", failing)
    for kind in (ExportKind.consolidated, ExportKind.csv):
        calls["n"] = 0
        with pytest.raises(RuntimeError):
            run_export(None, kind, params)
    db.session.rollback()
    assert _files() == files
    assert export_path(previous).read_bytes() == before
    assert _count() == 1


def test_disk_full_is_reported_and_leaves_nothing(client, login_as, export_world, monkeypatch):
    """ENOSPC while writing: a clear message, a 503, no file and no row."""
    import errno

    from reviewtracker.spreadsheets import writing

    login_as(export_world.co_lead)
    files = _files()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writing.os, "fsync", full)
    response = client.post("/exports/new", data=_form(export_world, "consolidated"))
    assert response.status_code == 503 and "disk may be full" in response.text
    assert _files() == files
    assert _count() == 0


def test_other_country_ids_in_filters_never_leak(client, login_as, export_world):
    """A focal point adding B to the filters of A's matrix is refused by the form, and even if such parameters
    reach the service (API, CLI, a future form), A's matrix holds no row of B."""
    country_a, country_b = export_world.items_a[0].country_id, export_world.items_b[0].country_id
    login_as(export_world.focal_a)
    data = _form(export_world, "matrix", country_a, countries=[country_b])
    response = client.post("/exports/new", data=data)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Export.id))) == 0
    params = ExportParams(round_id=export_world.round.id, country_id=country_a, country_ids=(country_a, country_b))
    export = run_export(export_world.focal_a, ExportKind.matrix, params)
    cells = " ".join(str(v) for r in sheet_rows(open_xlsx(export_path(export)).worksheets[0]) for v in r)
    assert "Secret of B" not in cells
    assert export.rows == len([i for i in export_world.items_a if i.state.value == "forwarded"]) > 0


def _status_choices(page: str) -> set[str]:
    """The values offered by the export form's status filter."""
    select_html = re.search(r'<select[^>]*name="statuses"[^>]*>(.*?)</select>', page, re.S).group(1)
    return set(re.findall(r'value="([a-z_]+)"', select_html))


def test_a_country_filters_only_by_decisions_it_can_see(client, login_as, export_world):
    """A focal point's status filter offers published decisions, never "new" or "in review"; co-leads get all."""
    login_as(export_world.focal_a)
    country_choices = _status_choices(client.get("/exports/").get_data(as_text=True))
    login_as(export_world.co_lead)
    working_group_choices = _status_choices(client.get("/exports/").get_data(as_text=True))
    assert country_choices == {s.value for s in DECIDED}
    assert working_group_choices == {s.value for s in TriageStatus}
