"""Property test: whatever users type, no exported cell is a formula and every cell reads back sanitised."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewtracker.exports.consolidated import write_consolidated
from reviewtracker.exports.consolidated_rows import FEEDBACK_SHEET
from reviewtracker.exports.matrix import write_matrix
from reviewtracker.exports.params import ExportParams
from reviewtracker.extensions import db
from reviewtracker.models._base import utcnow
from reviewtracker.spreadsheets import xlsx_text
from tests import factories
from tests.exports.conftest import open_xlsx

COL = {str(c.header): i for i, c in enumerate(FEEDBACK_SHEET)}
RISKY = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", " =", "=HYPERLINK(", "-1+1", "@SUM(1)", "\x00", "\x1b"])
# PostgreSQL cannot store NUL; the guard's handling of NUL is covered by tests/test_spreadsheets.py too.
TEXT = st.builds(lambda a, b: (a + b).replace("\x00", ""), RISKY | st.text(max_size=3), st.text(max_size=60)).filter(
    lambda t: t.strip() != ""
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comment=TEXT, proposed=TEXT, response=TEXT)
def test_user_text_never_becomes_a_formula(app, tmp_path, comment, proposed, response):
    """Comment, proposed change and response cells: never a formula, the text itself (xlsx_text), quote-prefixed."""
    review_round = factories.create_round(("KE",))
    author = factories.create_user("contributor", "KE")
    item = factories.create_feedback(author, review_round, state="forwarded", comment=comment, proposed_change=proposed)
    factories.create_response(item, response)
    try:
        params = ExportParams(round_id=review_round.id, country_id=author.country_id)
        path = str(tmp_path / f"c{utcnow().timestamp()}.xlsx")
        write_consolidated(path, params, None, utcnow())
        row = next(open_xlsx(path).worksheets[1].iter_rows(min_row=2))
        for name, text in (("Comment", comment), ("Proposed change", proposed), ("Response", response)):
            cell = row[COL[name]]
            expected, risky = xlsx_text(text)
            assert cell.data_type == "s"
            assert cell.value == expected  # the text itself: no guard character in .xlsx
            assert cell.quotePrefix == risky  # risky text stays text when edited in Excel
        write_matrix(path, params, None, utcnow())
        matrix = next(open_xlsx(path).worksheets[0].iter_rows(min_row=2))
        assert all(cell.data_type != "f" for cell in matrix)
        assert matrix[5].value == xlsx_text(comment)[0]
    finally:
        db.session.rollback()
