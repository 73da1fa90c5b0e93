"""The demo seed leaves two exports on the Exports page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from reviewtracker.exports.services import export_path
from reviewtracker.extensions import db
from reviewtracker.models import Export, ExportKind
from reviewtracker.seed.demo import seed_demo


def test_demo_seed_writes_a_workbook_and_a_matrix(app):
    """One consolidated workbook and Kenya's matrix, both on disk."""
    seed_demo(date.today())
    db.session.commit()
    exports = db.session.scalars(select(Export).order_by(Export.id)).all()
    assert [e.kind for e in exports][-2:] == [ExportKind.consolidated, ExportKind.matrix]
    assert all(export_path(e).is_file() for e in exports)
