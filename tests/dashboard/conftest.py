"""A seeded round for the dashboard tests, and a tiny HTML table reader."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from reviewtracker.extensions import db
from reviewtracker.models import Acknowledgement, AnswerState, GuidingAnswer
from reviewtracker.models._base import utcnow
from tests import factories


class Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (th and td alike), keyed by the caption's start."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption and self.tables:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)


def read_tables(html: str) -> list[dict]:
    """Parse a page's tables."""
    parser = Tables()
    parser.feed(html)
    return parser.tables


def table_with(html: str, caption_start: str) -> list[list[str]]:
    """The rows of the table whose caption starts with the given text."""
    for table in read_tables(html):
        if table["caption"].strip().startswith(caption_start):
            return table["rows"]
    raise AssertionError(f"no table with caption {caption_start!r}")


@pytest.fixture
def seeded(world):
    """The World plus a spread of items in both countries, guiding answers and a second round to ignore."""
    ke_author, ma_author = world.users["contributor"], world.users["contributor_other"]
    r = world.round
    make = factories.create_feedback
    make(ke_author, r, state="draft", section="G.1.2")
    make(ke_author, r, state="returned", section="G.1.2")
    make(ke_author, r, state="submitted", section="B.07.2", type="editorial")
    in_review = make(ke_author, r, state="forwarded", status="in_review", section="G.2.3", type="general")
    in_review.assignee_id = world.users["co_lead"].id
    noted = make(ke_author, r, state="forwarded", status="noted", section="G.1.1")
    factories.create_response(noted, published=True).acknowledgement = Acknowledgement.agree
    make(ke_author, r, state="withdrawn", section="G.2.4")
    make(ke_author, r, state="forwarded", section="G.2.4", deleted_at=utcnow())
    make(ma_author, r, state="draft", section="G.0")
    make(ma_author, r, state="submitted", section="G.0")
    ma_new = make(ma_author, r, state="forwarded", section="G.0")
    deferred = make(ma_author, r, state="forwarded", status="deferred", section="B.07.2", type="editorial")
    factories.create_response(deferred, published=False, by=world.users["co_lead"])
    ke, ma = factories.get_country("KE"), factories.get_country("MA")
    for i, question in enumerate(r.questions):
        db.session.add(
            GuidingAnswer(question_id=question.id, country_id=ke.id, text="Yes", state=AnswerState.submitted)
        )
        state = AnswerState.submitted if i == 0 else AnswerState.draft
        db.session.add(GuidingAnswer(question_id=question.id, country_id=ma.id, text="Maybe", state=state))
    other = factories.create_round(("KE", "MA"), name="Earlier round")
    make(ke_author, other, state="forwarded", section="G.0")
    db.session.commit()
    world.extra.update(other_round=other, in_review=in_review, deferred=deferred, ma_new=ma_new, ke=ke, ma=ma)
    return world
