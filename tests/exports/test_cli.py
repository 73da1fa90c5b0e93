"""`flask export ...` writes the file to --out, records it, and never half-overwrites an existing file."""

from __future__ import annotations

from sqlalchemy import select

from reviewtracker.exports import consolidated_rows as rows_module
from reviewtracker.extensions import db
from reviewtracker.models import Export
from tests.exports.conftest import open_xlsx, read_csv, sheet_rows


def _invoke(runner, *args):
    result = runner.invoke(args=["export", *args])
    assert result.exit_code == 0, result.output
    return result


def test_every_command_writes_to_out(runner, export_world, tmp_path):
    """Consolidated (Spanish), matrix, revisions and CSV, each recorded and copied to --out."""
    round_id = str(export_world.round.id)
    _invoke(runner, "consolidated", "--round", round_id, "--lang", "es", "--out", str(tmp_path / "c.xlsx"))
    book = open_xlsx(str(tmp_path / "c.xlsx"))
    assert len(sheet_rows(book.worksheets[1])) == 6 and book.sheetnames[0] == "Resumen"
    _invoke(runner, "matrix", "--round", round_id, "--country", "ke", "--out", str(tmp_path / "m.xlsx"))
    ids = {r[0] for r in sheet_rows(open_xlsx(str(tmp_path / "m.xlsx")).worksheets[0])[1:]}
    assert ids == {i.display_id for i in export_world.items_a}
    _invoke(runner, "revisions", "--out", str(tmp_path / "r.xlsx"))
    assert sheet_rows(open_xlsx(str(tmp_path / "r.xlsx")).worksheets[0])[1][0] == "R-100"
    out_csv = str(tmp_path / "f.csv")
    _invoke(runner, "csv", "--round", round_id, "--country", "MA", "--status", "noted", "--out", out_csv)
    rows = read_csv((tmp_path / "f.csv").read_bytes())
    assert [r[0] for r in rows[1:]] == [export_world.items_b[1].display_id]
    kinds = sorted(e.kind.value for e in db.session.scalars(select(Export)))
    assert kinds == ["consolidated", "csv", "matrix", "revisions"]
    assert all(e.created_by_id is None for e in db.session.scalars(select(Export)))


def test_bad_arguments_are_refused(runner, export_world):
    """Unknown country or round: a message, no file."""
    assert runner.invoke(args=["export", "matrix", "--country", "ZZ"]).exit_code != 0
    assert runner.invoke(args=["export", "consolidated", "--round", "9999"]).exit_code != 0
    assert db.session.scalars(select(Export)).all() == []


def test_failed_export_keeps_the_existing_out_file(runner, export_world, tmp_path, monkeypatch):
    """An export that fails mid-way leaves the file already at --out untouched."""
    out = tmp_path / "c.xlsx"
    out.write_bytes(b"previous export")

    def failing(self, row):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(rows_module.FeedbackRowBuilder, "values", failing)
    result = runner.invoke(args=["export", "consolidated", "--out", str(out)])
    assert result.exit_code != 0
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["c.xlsx"]
