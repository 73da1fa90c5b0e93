"""Fixtures for export tests: a round with varied forwarded feedback in two countries, and file readers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import (
    Feedback,
    GuidingAnswer,
    GuidingPrinciple,
    Objective,
    ReviewRound,
    RevisionItem,
    Tag,
    User,
)
from reviewtracker.models.rounds import AnswerState
from tests import factories


@dataclass
class ExportWorld:
    """Country A (KE) and B (MA) feedback in one round, with responses, tags and a revision item."""

    round: ReviewRound
    co_lead: User
    focal_a: User
    focal_b: User
    items_a: list[Feedback]
    items_b: list[Feedback]
    draft: Feedback
    revision: RevisionItem


@pytest.fixture
def export_world(app) -> ExportWorld:
    """A small, varied round: 3 forwarded items in A, 2 in B, one unforwarded and one deleted item."""
    review_round = factories.create_round(("KE", "MA"))
    author_a = factories.create_user("contributor", "KE")
    author_b = factories.create_user("contributor", "MA")
    co_lead = factories.create_user("co_lead", None, name="Sofia Rossi")
    principle = db.session.scalar(select(GuidingPrinciple).where(GuidingPrinciple.letter == "f"))
    objective = db.session.scalar(select(Objective).where(Objective.number == 7))
    tag = Tag(name="data")
    items_a = [
        factories.create_feedback(
            author_a,
            review_round,
            state="forwarded",
            section="G.2.1",
            comment='=HYPERLINK("http://evil")',
            proposed_change="+1 then more",
            usefulness_rating=4,
            clarity_rating=2,
            covid=True,
            reference="p. 12",
        ),
        factories.create_feedback(
            author_a, review_round, state="forwarded", section="G.2.2", status="accepted", comment="مرحبا 👋🏽 text"
        ),
        factories.create_feedback(author_a, review_round, state="forwarded", section=None, type="editorial"),
    ]
    items_a[0].principles.append(principle)
    items_a[0].objectives.append(objective)
    items_a[0].tags.append(tag)
    items_a[0].assignee_id = co_lead.id
    items_b = [
        factories.create_feedback(author_b, review_round, state="forwarded", section="B.07.2", comment="Secret of B"),
        factories.create_feedback(author_b, review_round, state="forwarded", section="G.2.1", status="noted"),
    ]
    factories.create_response(items_a[1], "We agree; see R-100.")
    factories.create_response(items_b[0], "Draft answer, not published", published=False)
    draft = factories.create_feedback(author_a, review_round, state="submitted", comment="Not forwarded yet")
    deleted = factories.create_feedback(author_a, review_round, state="forwarded", comment="Deleted item")
    deleted.deleted_at = deleted.created_at
    revision = factories.create_revision_item(
        "Clarify step 1", feedback=[items_a[0], items_b[1]], sections=["G.2.1"], code="R-100"
    )
    question = review_round.questions[0]
    answer = GuidingAnswer(question=question, country=author_a.country, text="Our answer", state=AnswerState.submitted)
    db.session.add(answer)
    db.session.commit()
    return ExportWorld(
        round=review_round,
        co_lead=co_lead,
        focal_a=factories.create_user("focal_point", "KE"),
        focal_b=factories.create_user("focal_point", "MA"),
        items_a=items_a,
        items_b=items_b,
        draft=draft,
        revision=revision,
    )


def open_xlsx(path_or_bytes):
    """An openpyxl workbook (not read-only, so data_type and freeze panes are available)."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    return load_workbook(source)


def sheet_rows(sheet) -> list[list]:
    """Every row of a sheet as values."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list[str]]:
    """Rows of an exported CSV (the BOM is checked by the caller)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
