"""Property test: any Unicode through the web form gives no 500; stored text = normalize_text(submitted).

NUL is refused on its field (the form again, 400, text kept without it); other control characters are stripped.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback
from reviewtracker.models._base import MAX_COMMENT_CHARS
from reviewtracker.spreadsheets import normalize_text
from tests import factories

SPECIAL = st.sampled_from(
    [
        "\u202e",
        "\u200f",
        "\u0301",
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
        "👩🏽‍⚕️",
        "🇲🇦",
        "\x00",
        "\x0b",
        "\x7f",
        "\r\n",
        "\t",
        "{{7*7}}",
        "<b>",
        "\u05e9\u05dc\u05d5\u05dd",
    ]
)
TEXT = st.one_of(
    st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), SPECIAL), max_size=12).map(
        "".join
    ),
    st.builds(lambda s, n: (s or "é") * n, st.text(min_size=1, max_size=3), st.just(20_000)),
    st.just(""),
    st.just(" \x00\x07 "),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(comment=TEXT, proposed=TEXT)
def test_arbitrary_unicode_through_the_form(world, client, login_as, comment, proposed):
    login_as(world.users["contributor"])
    section = factories.get_section("G.2.1")
    before = db.session.scalar(select(Feedback.id).order_by(Feedback.id.desc()))
    response = client.post(
        f"/feedback/rounds/{world.round.id}/new",
        data={"section_id": str(section.id), "type": "general", "priority": "low", "language": "other",
              "comment": comment, "proposed_change": proposed},
    )  # fmt: skip
    assert response.status_code < 500
    expected, expected_change = normalize_text(comment), normalize_text(proposed)
    # A field carrying NUL is refused with a message on it (tests/feedback/test_nul_inline.py shows the page).
    has_nul = "\x00" in comment or "\x00" in proposed
    valid = not has_nul and 0 < len(expected) <= MAX_COMMENT_CHARS and len(expected_change) <= MAX_COMMENT_CHARS
    latest = db.session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()
    if valid:
        assert response.status_code == 302
        assert latest.id != before and latest.comment == expected
        assert (latest.proposed_change or "") == expected_change
        assert latest.edits[0].comment == expected
    else:
        assert response.status_code == 400
        assert latest.id == before
