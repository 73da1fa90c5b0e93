"""Export faults: disk full inside XlsxWriter, temp files left by a killed export, and the paged Exports page."""

from __future__ import annotations

import errno
import os
import time
import zipfile

import pytest
from sqlalchemy import func, select

from reviewtracker.exports.services import exports_dir
from reviewtracker.extensions import db
from reviewtracker.models import Export, ExportKind

DISK_FULL = "The export could not be written (the disk may be full). Earlier exports are intact."


def _form(world, kind: str) -> dict:
    return {"kind": kind, "round_id": world.round.id, "lang": "en"}


def _count() -> int:
    return db.session.scalar(select(func.count(Export.id)))


class FullDiskZipFile(zipfile.ZipFile):
    """The zip file XlsxWriter packs the workbook into, on a disk that fills up after the first entry."""

    def write(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def writestr(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("kind", ["consolidated", "matrix", "revisions"])
def test_disk_full_inside_xlsxwriter_gives_the_csv_message_and_keeps_the_previous_export(
    client, login_as, export_world, monkeypatch, kind
):
    """XlsxWriter turns ENOSPC into FileCreateError: the same clear message as CSV, no row, the old file intact."""
    import xlsxwriter.workbook

    login_as(export_world.co_lead)
    assert client.post("/exports/new", data=_form(export_world, "consolidated")).status_code == 302
    previous = db.session.scalars(select(Export)).one()
    previous_bytes = (exports_dir() / previous.filename).read_bytes()
    files = sorted(p.name for p in exports_dir().iterdir())

    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", FullDiskZipFile)
    data = _form(export_world, kind)
    if kind == "matrix":
        data["country_id"] = export_world.items_a[0].country_id
    response = client.post("/exports/new", data=data)
    assert response.status_code == 503, response.text[:2000]
    assert DISK_FULL in response.text
    assert _count() == 1  # no row for the failed export
    assert sorted(p.name for p in exports_dir().iterdir()) == files  # no new file, no temp file left
    assert (exports_dir() / previous.filename).read_bytes() == previous_bytes


def _temp_file(name: str, age_seconds: float):
    path = exports_dir() / name
    path.write_bytes(b"PK half an export")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_an_export_removes_temp_files_that_a_killed_export_left_behind(client, login_as, export_world):
    """Temp files hours old belong to no running export: they go; a fresh one may be another export's: it stays."""
    login_as(export_world.co_lead)
    stale = _temp_file(".tmpabc123.tmp", age_seconds=3 * 3600)
    fresh = _temp_file(".tmpdef456.tmp", age_seconds=5)
    unrelated = _temp_file("notes.txt", age_seconds=3 * 3600)
    assert client.post("/exports/new", data=_form(export_world, "csv")).status_code == 302
    assert not stale.exists()
    assert fresh.exists() and unrelated.exists()


def _stored_exports(world, count: int) -> None:
    for n in range(count):
        db.session.add(
            Export(
                kind=ExportKind.csv,
                params={"round_id": world.round.id, "lang": "en"},
                round_id=world.round.id,
                filename=f"csv-page-test-{n:03d}.csv",
                rows=n,
                sha256=f"{n:064x}",
                created_by_id=world.co_lead.id,
            )
        )
    db.session.commit()


def test_the_exports_page_pages_past_25_exports(client, login_as, export_world):
    """26 stored exports: page 1 shows 25 and a pager, page 2 shows the last one; no 500."""
    login_as(export_world.co_lead)
    _stored_exports(export_world, 26)
    first = client.get("/exports/")
    assert first.status_code == 200, first.text[:2000]
    assert first.text.count("/download") == 25
    assert 'href="/exports/?page=2"' in first.text
    second = client.get("/exports/?page=2")
    assert second.status_code == 200
    assert second.text.count("/download") == 1
    assert 'href="/exports/?page=1"' in second.text and 'aria-current="page">2<' in second.text
